// The per-parameter figure in Chromium: four optimizers on sparse_linear, the
// per-group errors (the rare features learn faster with the adaptive methods),
// the bars of effective steps (the engine's effectiveLr: Adagrad's rare
// coordinates take larger steps than the frequent ones, SGD's step is η on
// every coordinate), every control redraws, bad attributes fall back with a
// note. Its layout at phone width in both themes: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, inFigure, mountFigure, setControl, shootFigure, startBrowser,
} from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="per-parameter"]';

const info = (page) => inFigure(page, figure, (c) => ({
  status: c.querySelector('.lr-status').textContent,
  canvases: c.querySelectorAll('canvas').length,
  title: c.querySelector('.lr-panel-wide .lr-panel-title').textContent,
}));

// What the engine recorded for one optimizer's run: its config, the shape
// of effectiveLr, the effective steps of every coordinate at step t, and
// (for checks over the whole run) the smallest and largest entry.
const effective = (page, id, t) => page.$eval(figure, (el, [key, step]) => {
  const { config, result } = el.computations.find((c) => c.key === key);
  const dim = result.dim;
  const flat = result.effectiveLr;
  return {
    config, dim, steps: result.steps, length: flat.length,
    row: Array.from(flat.subarray(step * dim, (step + 1) * dim)),
    min: Math.min(...flat), max: Math.max(...flat),
  };
}, [`run:${id}`, t]);

test('per-parameter: runs the four optimizers; rare features learn faster with the adaptive ones', async () => {
  const { page, problems } = await mountFigure(browser, 'per-parameter', {});
  const first = await info(page);
  assert.equal(first.canvases, 5);
  const keys = await page.$eval(figure, (el) => el.computations.map((c) => c.key).sort());
  assert.deepEqual(keys, ['run:adagrad', 'run:adam', 'run:rmsprop', 'run:sgd']);
  // "After 200 steps the error on the rare features is SGD a, Adagrad b, RMSprop c, Adam d"
  const m = /rare features is SGD ([\d.]+), Adagrad ([\d.]+), RMSprop ([\d.]+), Adam ([\d.]+)/.exec(first.status);
  assert.ok(m, first.status);
  const [sgd, ...adaptive] = m.slice(1).map(Number);
  for (const e of adaptive) assert.ok(e < sgd, `adaptive rare error ${e} should beat SGD's ${sgd}`);
  assert.match(first.status, /^At step 20, Adagrad's effective steps are /);

  // η of Adagrad: one run is redone and the status changes.
  const a = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-pp-lr', 200);
  const b = await figureFingerprint(page, figure);
  assert.notEqual(b.status, a.status);
  assert.notEqual(b.hash, a.hash);

  // The optimizer select and the time slider redraw.
  await setControl(page, figure, 'select.lr-pp-optimizer', 'adam');
  const c = await info(page);
  assert.match(c.title, /— Adam$/);
  const before0 = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-pp-t', 150);
  const d = await figureFingerprint(page, figure);
  assert.notEqual(d.hash, before0.hash);
  assert.match((await info(page)).title, /at step 150 — Adam/);
  assert.deepEqual(problems, []);
});

test('per-parameter: bars of the engine\'s effective steps', async () => {
  const { page, problems } = await mountFigure(browser, 'per-parameter', { optimizer: 'adagrad', t: 10 });
  const dim = 20;
  const rare = (i) => i >= dim / 2;  // rare_fraction 0.5: the last half
  // Every run records effective_lr; the engine returns steps × dim numbers.
  for (const id of ['sgd', 'adagrad', 'rmsprop', 'adam']) {
    const e = await effective(page, id, 0);
    assert.deepEqual(e.config.record, { params: true, effective_lr: true });
    assert.equal(e.dim, dim);
    assert.equal(e.length, e.steps * dim, `${id}: effectiveLr has steps × dim numbers`);
  }

  // SGD's effective step is η for every coordinate at every step.
  const sgd = await effective(page, 'sgd', 100);
  assert.equal(sgd.config.optimizer.lr, 0.3);
  assert.deepEqual([sgd.min, sgd.max], [0.3, 0.3]);

  // Adagrad at a mid step: every rare coordinate's step η/(√s + ε) is larger
  // than every frequent one's (their squared gradients have summed up less).
  const ada = await effective(page, 'adagrad', 100);
  const frequentSteps = ada.row.filter((_, i) => !rare(i));
  const rareSteps = ada.row.filter((_, i) => rare(i));
  assert.ok(Math.min(...rareSteps) > Math.max(...frequentSteps),
    `Adagrad at step 100: rare ${Math.min(...rareSteps)} … should exceed frequent … ${Math.max(...frequentSteps)}`);
  // and the frequent coordinates' steps are below the η they started from.
  assert.ok(Math.max(...frequentSteps) < 0.3);
  console.log(`per-parameter: Adagrad at step 100, frequent ${Math.min(...frequentSteps).toPrecision(3)}–${Math.max(...frequentSteps).toPrecision(3)}, rare ${Math.min(...rareSteps).toPrecision(3)}–${Math.max(...rareSteps).toPrecision(3)}`);

  // The status reads the bars' numbers: the engine's row at step t (capped at 10³, "∞").
  const expected = async (id, t) => {
    const { row } = await effective(page, id, t);
    return page.evaluate(async ([values, half]) => {
      const { formatNumber } = await import('/src/model/format.js');
      const range = (vals) => {
        const capped = vals.map((v) => Math.min(1e3, v));
        const lo = Math.min(...capped);
        const hi = Math.max(...capped);
        return lo === hi ? formatNumber(lo) : `${formatNumber(lo)}–${hi >= 1e3 ? '∞' : formatNumber(hi)}`;
      };
      return [range(values.slice(0, half)), range(values.slice(half))];
    }, [row, dim / 2]);
  };
  const [f10, r10] = await expected('adagrad', 10);
  const first = await info(page);
  assert.ok(first.status.startsWith(`At step 10, Adagrad's effective steps are ${f10} on the frequent features and ${r10} on the rare ones (SGD: 0.3 on every coordinate).`), first.status);

  const a = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-pp-t', 100);
  const b = await figureFingerprint(page, figure);
  assert.notEqual(b.hash, a.hash);
  const [f100, r100] = await expected('adagrad', 100);
  assert.ok(b.status.startsWith(`At step 100, Adagrad's effective steps are ${f100} on the frequent features and ${r100} on the rare ones`), b.status);
  await setControl(page, figure, 'select.lr-pp-optimizer', 'sgd');
  assert.match((await info(page)).status, /^At step 100, SGD's effective steps are 0\.3 on the frequent features and 0\.3 on the rare ones/);
  await setControl(page, figure, 'select.lr-pp-optimizer', 'adagrad');
  await shootFigure(page, figure, 'per-parameter-bars.png');
  assert.deepEqual(problems, []);
});

test('per-parameter: bad attributes fall back with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'per-parameter', { optimizer: 'lbfgs', 'lr-adam': 'x', t: 5000 });
  const notes = await inFigure(page, figure, (c) => [...c.querySelectorAll('.lr-note')].map((n) => n.textContent).join(' | '));
  assert.match(notes, /optimizer="lbfgs" is not one of sgd, adagrad, rmsprop, adam; using adagrad/);
  assert.match(notes, /lr-adam="x" is not a number in \[0\.001, 3\]; using 0\.1/);
  assert.match(notes, /t="5000" is not a number in \[0, 199\]; using 20/);
  assert.match((await info(page)).title, /at step 20 — Adagrad/);
  assert.deepEqual(problems, []);
});
