// The lr-sweep figure in Chromium: it draws a sweep and a run, every control
// changes what is shown (η only the run, the rest the sweep), the η cursor
// can be dragged on the chart and moved from the keyboard, divergence is
// said, bad attributes fall back with a note. Its layout at phone width, in
// both themes and with momentum: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, figureState, inFigure, mountFigure, setControl, startBrowser, waitForFrame,
} from './browser.js';

const figure = 'lrlab-figure[name="lr-sweep"]';
let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const state = (page) => figureState(page, figure);

function computations(page) {
  return page.$eval(figure, (el) => el.computations.map(({ key, op, config }) => ({ key, op, config })));
}

// Waits until the figure shows the full-resolution sweep (after a drag's
// quick sweeps) for the given steps.
async function settled(page, extra = {}) {
  await page.waitForFunction(([sel, want]) => {
    const c = document.querySelector(sel).shadowRoot.querySelector('.lr-figure');
    return c.dataset.num === '101' && Object.entries(want).every(([k, v]) => c.dataset[k] === String(v));
  }, [figure, extra]);
}

// Waits until the figure has drawn nothing new for 300 ms.
async function quiet(page) {
  for (;;) {
    const frames = await page.$eval(figure, (el) => el.dataset.frames);
    await page.waitForTimeout(300);
    if (frames === await page.$eval(figure, (el) => el.dataset.frames)) return;
  }
}

test('lr-sweep: draws the sweep and the run, with numbers in the status and the data table', async () => {
  const { page, problems } = await mountFigure(browser, 'lr-sweep');
  const s = await state(page);
  assert.equal(s.problem, 'quadratic');
  assert.equal(s.optimizer, 'sgd');
  assert.equal(s.steps, '100');
  assert.equal(s.lr, '0.05');
  assert.equal(s.num, '101');
  assert.equal(s.canvases, 2);
  assert.match(s.status, /lowest final loss, [\d.e−]+, comes at η ≈ [\d.]+; runs diverge from η ≈ [\d.]+ up \(2\/λmax = 0\.2\)/);
  assert.match(s.status, /At the cursor, η = 0\.05, the loss falls from 1\.6 to/);
  const comps = await computations(page);
  const sweep = comps.find((c) => c.key === 'sweep');
  const run = comps.find((c) => c.key === 'run');
  assert.equal(sweep.op, 'sweep');
  assert.deepEqual(sweep.config.sweep, { lr_min: 1e-4, lr_max: 100, num: 101 });
  assert.equal(run.op, 'run');
  assert.equal(run.config.optimizer.lr, 0.05);
  // The table behind the chart: one row per η.
  const rows = await inFigure(page, figure, (c) => {
    c.querySelector('details.lr-data').open = true;
    return new Promise((r) => setTimeout(() => r(c.querySelector('.lr-data-note').textContent), 50));
  });
  assert.match(rows, /101 rows/);
  assert.deepEqual(problems, []);
});

test('lr-sweep: problem, optimizer and N recompute the sweep; η recomputes only the run', async () => {
  const { page, problems } = await mountFigure(browser, 'lr-sweep');
  let before = await figureFingerprint(page, figure);
  let comps = await computations(page);

  // η: the run changes, the sweep does not.
  await setControl(page, figure, 'input[name=lr]', 300);
  let after = await figureFingerprint(page, figure);
  assert.notEqual(after.hash, before.hash);
  assert.notEqual(after.status, before.status);
  let next = await computations(page);
  assert.deepEqual(next.find((c) => c.key === 'sweep').config, comps.find((c) => c.key === 'sweep').config);
  assert.notEqual(next.find((c) => c.key === 'run').config.optimizer.lr, comps.find((c) => c.key === 'run').config.optimizer.lr);

  // N: a new sweep.
  [before, comps] = [after, next];
  await setControl(page, figure, 'input[name=steps]', 300);
  await settled(page, { steps: 300 });
  after = await figureFingerprint(page, figure);
  assert.notEqual(after.hash, before.hash);
  assert.match(after.status, /for 300 steps/);
  next = await computations(page);
  assert.equal(next.find((c) => c.key === 'sweep').config.steps, 300);

  // Optimizer: a new sweep.
  before = after;
  await setControl(page, figure, 'select[name=optimizer]', 'momentum');
  await settled(page, { optimizer: 'momentum' });
  after = await figureFingerprint(page, figure);
  assert.notEqual(after.hash, before.hash);
  assert.match(after.status, /2\(1\+μ\)\/λmax = 0\.38/);
  next = await computations(page);
  assert.deepEqual(next.find((c) => c.key === 'sweep').config.optimizer, { name: 'sgd', momentum: 0.9, lr: 1e-4 });

  // Problem: a new sweep over that problem's η range.
  for (const [problem, pattern] of [['rosenbrock', /on Rosenbrock/], ['logistic_regression', /lowest final validation loss/]]) {
    before = after;
    await setControl(page, figure, 'select[name=problem]', problem);
    await settled(page, { problem });
    after = await figureFingerprint(page, figure);
    assert.notEqual(after.hash, before.hash);
    assert.match(after.status, pattern);
  }
  next = await computations(page);
  assert.equal(next.find((c) => c.key === 'sweep').config.problem.name, 'logistic_regression');
  assert.equal(next.find((c) => c.key === 'run').config.problem.name, 'logistic_regression');
  assert.deepEqual(problems, []);
});

test('lr-sweep: the η cursor follows a drag on the chart and the arrow keys', async () => {
  const { page, problems } = await mountFigure(browser, 'lr-sweep');
  const box = await inFigure(page, figure, (c) => {
    const r = c.querySelector('.u-over').getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  await page.$eval(figure, (el) => { el.dataset.waitFrom = el.dataset.frames; });
  const y = box.y + box.height * 0.6;
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.35, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.up();
  await waitForFrame(page, figure);
  // η at the middle of a 1e-4…100 log axis is 0.1.
  await quiet(page);
  let s = await state(page);
  assert.ok(Math.abs(Math.log10(Number(s.lr)) - -1) < 0.1, `η after the drag: ${s.lr}`);

  // Keyboard: the η slider is a native range input.
  await inFigure(page, figure, (c) => c.querySelector('input[name=lr]').focus());
  const lrBefore = s.lr;
  await page.$eval(figure, (el) => { el.dataset.waitFrom = el.dataset.frames; });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await waitForFrame(page, figure);
  await quiet(page);
  s = await state(page);
  assert.ok(Number(s.lr) > Number(lrBefore), `${s.lr} > ${lrBefore}`);
  assert.deepEqual(problems, []);
});

test('lr-sweep: past the stability limit the run diverges and says so', async () => {
  const { page, problems } = await mountFigure(browser, 'lr-sweep', { lr: 1 });
  const s = await state(page);
  assert.notEqual(s.divergedAt, '');
  assert.match(s.status, /At the cursor, η = 1, the run diverges at step \d+/);
  assert.deepEqual(problems, []);
});

test('lr-sweep: bad attributes fall back to the defaults with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'lr-sweep', { problem: 'banana', optimizer: 'lbfgs', steps: 5, lr: -1 });
  const s = await state(page);
  assert.equal(s.problem, 'quadratic');
  assert.equal(s.optimizer, 'sgd');
  assert.equal(s.steps, '100');
  assert.equal(s.lr, '0.05');
  assert.equal(s.notes.length, 4);
  assert.match(s.notes.join('\n'), /problem="banana" is not one of quadratic, rosenbrock, logistic_regression; using quadratic/);
  assert.match(s.notes.join('\n'), /steps="5" is not a number in \[10, 1000\]; using 100/);
  assert.match(s.notes.join('\n'), /lr="-1"/);
  assert.deepEqual(problems, []);
});

test('lr-sweep: attributes set the initial state (digits, Adam, 50 steps)', async () => {
  const { page, problems } = await mountFigure(browser, 'lr-sweep', { problem: 'logistic_regression', optimizer: 'adam', steps: 50, lr: 0.01 });
  const s = await state(page);
  assert.deepEqual([s.problem, s.optimizer, s.steps, s.lr], ['logistic_regression', 'adam', '50', '0.01']);
  assert.match(s.status, /^Adam for 50 steps on the digits logistic regression/);
  assert.match(s.status, /no run diverges|runs diverge/);
  assert.deepEqual(problems, []);
});
