// The per-parameter figure in Chromium: four optimizers on sparse_linear, the
// per-group errors (the rare features learn faster with the adaptive methods),
// the bars of effective steps (from the engine's effectiveLr, or a stand-in
// while the engine lacks it), every control redraws, bad attributes fall back
// with a note, and the layout holds at phone width in both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, figureReady, inFigure, mountFigure, openPage, setControl, shootFigure, startBrowser,
} from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="per-parameter"]';

const info = (page) => inFigure(page, figure, (c) => ({
  status: c.querySelector('.lr-status').textContent,
  effective: c.dataset.effectiveLr,
  canvases: c.querySelectorAll('canvas').length,
  title: c.querySelector('.lr-panel-wide .lr-panel-title').textContent,
}));

// Mounts the figure on a page whose engine, when it lacks record.effective_lr,
// adds a stand-in effectiveLr (rare coordinates 4× larger, decaying) so the
// drawing of the bars can be checked before the engine has the real thing.
async function mountWithEffectiveLr(attrs = {}, options = {}) {
  const opened = await openPage(browser, '/', options);
  const mocked = await opened.page.evaluate(async ({ attrs }) => {
    const { getEngine } = await import('/src/engine/engine.js');
    const engine = getEngine();
    const run = engine.run.bind(engine);
    let native = true;
    try {
      await run({ problem: { name: 'sparse_linear', n_samples: 10, dim: 2 }, optimizer: { name: 'adam', lr: 0.01 }, steps: 1, record: { effective_lr: true } });
    } catch {
      native = false;
    }
    if (!native) {
      engine.run = async (config) => {
        if (!config?.record?.effective_lr) return run(config);
        const { effective_lr: _, ...record } = config.record;
        const r = await run({ ...config, record });
        const eff = new Float64Array(Math.max(1, r.steps * r.dim));
        for (let t = 0; t < r.steps; t++) {
          for (let i = 0; i < r.dim; i++) {
            const scale = config.optimizer.name === 'sgd' ? 1 : (i >= r.dim / 2 ? 4 : 0.6) / Math.sqrt(1 + t / 20);
            eff[t * r.dim + i] = r.lr[t] * scale;
          }
        }
        r.effectiveLr = eff;
        return r;
      };
    }
    const el = document.createElement('lrlab-figure');
    el.setAttribute('name', 'per-parameter');
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    el.dataset.frames = '0';
    el.addEventListener('lrlab-drawn', () => { el.dataset.frames = String(Number(el.dataset.frames) + 1); });
    document.querySelector('main').replaceChildren(el);
    return !native;
  }, { attrs });
  await figureReady(opened.page, figure);
  return { ...opened, mocked };
}

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
  if (first.effective === 'unavailable') {
    assert.match(first.status, /^Per-coordinate effective steps are not available from this engine build\./);
    console.log('per-parameter: engine has no record.effective_lr yet; the bars say so');
  }

  // η of Adagrad: one run is redone and the status changes.
  const a = await figureFingerprint(page, figure);
  const t0 = Date.now();
  await setControl(page, figure, 'input.lr-pp-lr', 200);
  console.log(`per-parameter: η input → frame ${Date.now() - t0} ms`);
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

test('per-parameter: bars of effective steps (engine data, or a stand-in until the engine has it)', async () => {
  const { page, problems, mocked } = await mountWithEffectiveLr({ optimizer: 'adagrad', t: 10 });
  const first = await info(page);
  assert.equal(first.effective, 'available');
  assert.match(first.status, /^At step 10, Adagrad's effective steps are [\d.–∞]+ on the frequent features and [\d.–∞]+ on the rare ones \(SGD: 0\.3 on every coordinate\)\./);
  const a = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-pp-t', 100);
  const b = await figureFingerprint(page, figure);
  assert.notEqual(b.hash, a.hash);
  assert.match(b.status, /^At step 100, /);
  await setControl(page, figure, 'select.lr-pp-optimizer', 'sgd');
  assert.match((await info(page)).status, /^At step 100, SGD's effective steps are 0\.3 on the frequent features and 0\.3 on the rare ones/);
  await setControl(page, figure, 'select.lr-pp-optimizer', 'adagrad');
  await shootFigure(page, figure, `per-parameter-bars${mocked ? '-standin' : ''}.png`);
  if (mocked) console.log('per-parameter: bars drawn from a stand-in effectiveLr (engine lacks record.effective_lr)');
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

for (const width of [1280, 375]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`per-parameter: ${width} px, ${colorScheme}: no horizontal overflow; screenshot`, async () => {
      const { page, problems } = await mountFigure(browser, 'per-parameter', {}, { width, height: 900, colorScheme });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= width, `scrollWidth ${overflow} > ${width}`);
      await shootFigure(page, figure, `per-parameter-${width}-${colorScheme}.png`);
      assert.deepEqual(problems, []);
    });
  }
}
