// The robustness figure in Chromium: five optimizers' sweeps overlaid, a
// bar of the η range that trains well per optimizer with its width, the
// status naming the widest; threshold, N, problem and the toggles each change
// what is shown; bad attributes fall back with a note. Its layout at phone
// width in both themes: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { figureFingerprint, figureState, mountFigure, setControl, startBrowser } from './browser.js';

const figure = 'lrlab-figure[name="robustness"]';
const ALL = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];
let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

function state(page) {
  return figureState(page, figure, (c) => ({
    widths: Object.fromEntries([...c.querySelectorAll('.lr-toggles .checkbox')].map((l) => [l.querySelector('input').name.replace('show-', ''), l.querySelector('.lr-toggle-width').textContent])),
    checked: [...c.querySelectorAll('.lr-toggles input')].filter((i) => i.checked).map((i) => i.name.replace('show-', '')),
  }));
}

function computations(page) {
  return page.$eval(figure, (el) => el.computations.map(({ key, op, config }) => ({ key, op, config })));
}

async function settled(page, extra = {}) {
  await page.waitForFunction(([sel, want]) => {
    const c = document.querySelector(sel).shadowRoot.querySelector('.lr-figure');
    return c.dataset.num === '101' && Object.entries(want).every(([k, v]) => c.dataset[k] === String(v));
  }, [figure, extra], { timeout: 60000 });
}

const decades = (text) => Number(/\d+\.\d/.exec(text)[0]);

test('robustness: five sweeps, a width per optimizer, and the widest named', async () => {
  const { page, problems } = await mountFigure(browser, 'robustness');
  const s = await state(page);
  assert.equal(s.problem, 'quadratic');
  assert.equal(s.num, '101');
  assert.equal(s.canvases, 2);
  assert.equal(s.optimizers, ALL.join(','));
  for (const id of ALL) assert.match(s.widths[id], /^(≥ )?\d+\.\d decades( \(widest of \d+ pieces\))?$/, id);
  // The widest in the status is the widest printed.
  const widest = ALL.reduce((a, b) => (decades(s.widths[b]) > decades(s.widths[a]) ? b : a));
  assert.equal(s.widest, widest);
  const label = { sgd: 'SGD', momentum: 'Momentum', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam' }[widest];
  assert.match(s.status, new RegExp(`below 1\\.00e−4, ${label} trains well over the widest range of η: (at least )?\\d+\\.\\d decades \\(η from [\\d.e−]+ to [\\d.e−]+`));
  assert.match(s.status, /Others, in decades of one unbroken range: /);
  const comps = await computations(page);
  assert.deepEqual(comps.map((c) => c.key).sort(), ALL.map((id) => `sweep:${id}`).sort());
  for (const c of comps) {
    assert.equal(c.op, 'sweep');
    assert.deepEqual(c.config.sweep, { lr_min: 1e-4, lr_max: 100, num: 101 });
    assert.equal(c.config.steps, 100);
  }
  assert.deepEqual(comps.find((c) => c.key === 'sweep:momentum').config.optimizer, { name: 'sgd', momentum: 0.9, lr: 1e-4 });
  assert.deepEqual(problems, []);
});

test('robustness: the threshold only redraws; N, problem and the toggles recompute', async () => {
  const { page, problems } = await mountFigure(browser, 'robustness');
  let before = await state(page);
  let print = await figureFingerprint(page, figure);
  const comps = await computations(page);

  // A looser threshold: wider ranges, no new engine work.
  await setControl(page, figure, 'input[name=threshold]', 900);
  let after = await state(page);
  let nextPrint = await figureFingerprint(page, figure);
  assert.notEqual(nextPrint.hash, print.hash);
  assert.notEqual(after.status, before.status);
  assert.ok(Number(after.threshold) > Number(before.threshold));
  for (const id of ALL) assert.ok(decades(after.widths[id]) >= decades(before.widths[id]), `${id}: ${after.widths[id]} vs ${before.widths[id]}`);
  assert.deepEqual(await computations(page), comps);

  // N.
  [before, print] = [after, nextPrint];
  await setControl(page, figure, 'input[name=steps]', 400);
  await settled(page, { steps: 400 });
  after = await state(page);
  nextPrint = await figureFingerprint(page, figure);
  assert.notEqual(nextPrint.hash, print.hash);
  assert.match(after.status, /after 400 steps/);
  assert.ok((await computations(page)).every((c) => c.config.steps === 400));

  // An optimizer off, then on again.
  [before, print] = [after, nextPrint];
  await setControl(page, figure, 'input[name=show-adam]', false);
  after = await state(page);
  nextPrint = await figureFingerprint(page, figure);
  assert.notEqual(nextPrint.hash, print.hash);
  assert.equal(after.optimizers, 'sgd,momentum,adagrad,rmsprop');
  assert.doesNotMatch(after.status, /Adam/);
  assert.equal(after.widths.adam, '');
  assert.ok(!(await computations(page)).some((c) => c.key === 'sweep:adam'));
  await setControl(page, figure, 'input[name=show-adam]', true);
  assert.match((await state(page)).status, /Adam/);

  // The problem: its own η range and threshold.
  for (const [problem, pattern] of [['rosenbrock', /on Rosenbrock/], ['logistic_regression', /final validation loss after 400 steps on the digits logistic regression is below 0\.35/]]) {
    print = nextPrint;
    await setControl(page, figure, 'select[name=problem]', problem);
    await settled(page, { problem });
    after = await state(page);
    nextPrint = await figureFingerprint(page, figure);
    assert.notEqual(nextPrint.hash, print.hash);
    assert.match(after.status, pattern);
  }
  assert.ok((await computations(page)).every((c) => c.config.problem.name === 'logistic_regression'));
  assert.deepEqual(problems, []);
});

test('robustness: attributes choose the optimizers, the problem and the threshold', async () => {
  const { page, problems } = await mountFigure(browser, 'robustness', { problem: 'rosenbrock', optimizers: 'sgd, adam', threshold: 0.01, steps: 300 });
  const s = await state(page);
  assert.deepEqual(s.checked, ['sgd', 'adam']);
  assert.equal(s.threshold, '0.01');
  assert.equal(s.steps, '300');
  assert.deepEqual((await computations(page)).map((c) => c.key).sort(), ['sweep:adam', 'sweep:sgd']);
  assert.deepEqual(s.notes, []);
  assert.deepEqual(problems, []);
});

test('robustness: bad attributes fall back to the defaults with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'robustness', { problem: 'mnist', steps: 'many', threshold: 50, optimizers: 'sgd,lion' });
  const s = await state(page);
  assert.equal(s.problem, 'quadratic');
  assert.equal(s.steps, '100');
  assert.equal(s.threshold, '0.0001');
  assert.deepEqual(s.checked, ['sgd']);
  const notes = s.notes.join('\n');
  assert.equal(s.notes.length, 4);
  assert.match(notes, /problem="mnist" is not one of/);
  assert.match(notes, /steps="many" is not a number/);
  assert.match(notes, /threshold="50" is not a number in \[1\.00e−12, 1\]; using 1\.00e−4/);
  assert.match(notes, /optimizers="sgd,lion": lion not known .*showing sgd/);
  assert.deepEqual(problems, []);
});
