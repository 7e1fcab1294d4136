// The pure parts of "Share and export" (web/src/export/figure-export.js):
// links and embed snippets, JSON conversion, and which runs the PyTorch
// export picks from a figure's computations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  articleLink, elementSnippet, embedLink, figureJson, iframeSnippet, plainData, pytorchScript, runsToExport,
} from '../../web/src/export/figure-export.js';

const ROOT = new URL('https://example.org/blog/lrlab/');

test('links carry the state as <figure>.<attribute> (article) and plain attributes (embed.html)', () => {
  const state = [['lr-good', '0.05'], ['steps', '60']];
  assert.equal(articleLink(ROOT, 'three-rates', state), 'https://example.org/blog/lrlab/index.html?three-rates.lr-good=0.05&three-rates.steps=60#fig-three-rates');
  assert.equal(articleLink(ROOT, 'one-step', []), 'https://example.org/blog/lrlab/index.html#fig-one-step');
  assert.equal(embedLink(ROOT, 'three-rates', state), 'https://example.org/blog/lrlab/embed.html?figure=three-rates&lr-good=0.05&steps=60');
  // Values are URL-encoded and come back unchanged.
  const odd = [['options', 'adam.lr:0.05,sgd.lr:1e-3'], ['config', 'a b&c=d']];
  const url = new URL(articleLink(ROOT, 'x', odd));
  assert.deepEqual([...url.searchParams], odd.map(([k, v]) => [`x.${k}`, v]));
});

test('embed snippets escape attribute values and use no inline style', () => {
  const state = [['config', '{"runs":[{"a":"<b>&"}]}']];
  const el = elementSnippet(ROOT, 'lab', state);
  assert.equal(el, '<script type="module" src="https://example.org/blog/lrlab/lrlab.js"></script>\n'
    + '<lrlab-figure name="lab" config="{&quot;runs&quot;:[{&quot;a&quot;:&quot;&lt;b>&amp;&quot;}]}"></lrlab-figure>');
  const frame = iframeSnippet(ROOT, 'lab', state, { title: 'The "lab"', height: 612.4 });
  assert.match(frame, /^<iframe class="lrlab-embed" src="https:\/\/example\.org\/blog\/lrlab\/embed\.html\?figure=lab&amp;config=%7B/);
  assert.match(frame, / title="The &quot;lab&quot;" loading="lazy" width="100%" height="612" allow="clipboard-write"><\/iframe>\n<script src="https:\/\/example\.org\/blog\/lrlab\/embed-resize\.js" async><\/script>$/);
  assert.doesNotMatch(frame, /style=/);
});

test('plainData: typed arrays become lists, non-finite numbers null', () => {
  assert.deepEqual(plainData({ a: new Float64Array([1, NaN, Infinity]), b: [2, -Infinity], c: 'x', d: null }), { a: [1, null, null], b: [2, null], c: 'x', d: null });
  const json = figureJson({ id: 'f', state: [['lr', '0.1']], link: 'L', table: { columns: ['t', 'loss'], rows: [[0, NaN]] }, computations: [{ key: 'run', op: 'run', config: { steps: 1 }, result: { big: 1 } }] });
  assert.deepEqual(json, { figure: 'f', state: { lr: '0.1' }, link: 'L', table: { caption: null, columns: ['t', 'loss'], rows: [[0, null]] }, computations: [{ key: 'run', op: 'run', config: { steps: 1 } }] });
});

test('runsToExport: runs as they are, a sweep as its best non-diverged η, grids left out', () => {
  const runs = runsToExport([
    { key: 'grid', op: 'grid', config: { problem: { name: 'rosenbrock' } }, result: {} },
    { key: 'run:a', op: 'run', config: { problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd', lr: 0.001 }, steps: 5, record: { params: true } }, result: { dim: 2, params: new Float64Array([-1.2, 1, -1.1, 0.9]) } },
    {
      key: 'sweep', op: 'sweep',
      config: { problem: { name: 'quadratic' }, optimizer: { name: 'adam', lr: 0.001 }, steps: 10, sweep: { lr_min: 0.001, lr_max: 10, num: 4 } },
      // η = 10 has the lowest number but diverged; η = 0.1 is the best that trained.
      result: { lr: [0.001, 0.1, 1, 10], final_loss: [0.5, 0.01, 0.02, 1e-9], diverged_at: [null, null, null, 3] },
    },
  ]);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0], { label: 'run:a', config: { problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd', lr: 0.001 }, steps: 5 }, start: [-1.2, 1], note: null });
  assert.deepEqual(runs[1].config, { problem: { name: 'quadratic' }, optimizer: { name: 'adam', lr: 0.1 }, steps: 10 });
  assert.match(runs[1].note, /swept η over 4 values from 0\.001 to 10; this is the run at the η with the lowest final loss \(0\.01\)/);
  const script = pytorchScript('demo', runs);
  assert.equal((script.match(/^# ===== run \d of 2/gm) ?? []).length, 2);
  assert.match(script, /torch\.optim\.Adam\(\[x\], lr=0\.1,/);
  assert.match(pytorchScript('demo', []), /shows no training run to export yet/);
  // A run's sharpness record stays (the script computes it); the rest goes.
  const [sharp] = runsToExport([{ key: 'run', op: 'run', config: { problem: { name: 'mlp' }, optimizer: { name: 'sgd', lr: 0.5 }, steps: 10, record: { params: false, sharpness: { every: 5, iterations: 10 } } }, result: {} }]);
  assert.deepEqual(sharp.config.record, { sharpness: { every: 5, iterations: 10 } });
  assert.match(pytorchScript('edge-of-stability', [sharp]), /sharpness_every, sharpness_iterations = 5, 10/);
});
