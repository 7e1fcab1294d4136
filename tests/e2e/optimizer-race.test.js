// The optimizer-race figure in Chromium: five optimizers (and one extra) on
// a chosen 2-D surface; every control changes the figure, Play replays the
// race, attributes set the start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, inFigure, mountFigure, setControl, startBrowser, waitForFrame,
} from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="optimizer-race"]';

function computations(page) {
  return page.$eval(figure, (el) => el.computations.map(({ key, op, config, result }) => ({
    key, op, config, divergedAt: result.divergedAt ?? null, steps: result.steps,
  })));
}

const keys = async (page) => (await computations(page)).map((c) => c.key).sort();

// Position (0..1000) of η on the log slider over [1e-4, 10].
const lrPosition = (lr) => Math.round(((Math.log10(lr) + 4) / 5) * 1000);

test('optimizer-race: renders five races on Rosenbrock with a ranked status', async () => {
  const { page, problems } = await mountFigure(browser, 'optimizer-race');
  const info = await inFigure(page, figure, (c) => ({
    canvases: c.querySelectorAll('canvas').length,
    status: c.querySelector('.lr-status').textContent,
    rows: c.querySelectorAll('.race-row').length,
    lrSliders: c.querySelectorAll('input[data-param="lr"]').length,
    labels: [...c.querySelectorAll('input, select, button')].map((i) => i.getAttribute('aria-label') ?? i.closest('label')?.textContent ?? i.textContent),
  }));
  assert.equal(info.canvases, 2);
  assert.equal(info.rows, 6);
  assert.equal(info.lrSliders, 5);
  assert.match(info.status, /On Rosenbrock after 400 steps, closest to the minimum: momentum \(f − f\* = [\d.e−]+\)/);
  for (const name of ['SGD', 'Adagrad', 'RMSprop', 'Adam']) assert.match(info.status, new RegExp(`${name} \\(f − f\\* = `));
  for (const label of info.labels) assert.ok(label && label.trim(), 'every control has a name');
  assert.deepEqual(await keys(page), ['grid:contour', 'run:adagrad', 'run:adam', 'run:momentum', 'run:rmsprop', 'run:sgd']);
  const adam = (await computations(page)).find((c) => c.key === 'run:adam');
  assert.deepEqual(adam.config, {
    problem: { name: 'rosenbrock', x0: [-1.2, 1] }, optimizer: { name: 'adam', lr: 0.1, betas: [0.9, 0.999] }, steps: 400, record: { params: true },
  });
  await inFigure(page, figure, (c) => c.querySelector('.lr-data summary').click());
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.lr-data tbody tr').length > 0, figure);
  const table = await inFigure(page, figure, (c) => {
    return {
      head: [...c.querySelectorAll('.lr-data th')].map((th) => th.textContent),
      note: c.querySelector('.lr-data-note').textContent,
    };
  });
  assert.equal(table.head.length, 1 + 5 * 3);
  assert.equal(table.head[1], 'SGD f − f*');
  assert.match(table.note, /of 401 rows/);
  assert.deepEqual(problems, []);
});

test('optimizer-race: every control changes what is shown', async () => {
  const { page, problems } = await mountFigure(browser, 'optimizer-race');
  const changes = [
    ['input[data-opt="sgd"][data-param="lr"]', lrPosition(0.0015)],
    ['input[data-opt="momentum"][data-param="momentum"]', 0.5],
    ['input[data-opt="adagrad"][data-param="lr"]', lrPosition(2)],
    ['input[data-opt="rmsprop"][data-param="alpha"]', 1.5],
    ['input[data-opt="adam"][data-param="betas.0"]', 0.5],
    ['input[data-opt="adam"][data-param="betas.1"]', 2],
    ['[data-control="steps"] input', 200],
    ['input[data-race="on-adagrad"]', false],
    ['select[data-race="extra"]', 'lion'],
    ['input[data-opt="lion"][data-param="lr"]', lrPosition(0.03)],
    ['[data-control="surface"] select', 'beale'],
    ['[data-control="surface"] select', 'valley'],
    ['[data-control="surface"] select', 'himmelblau'],
  ];
  let last = await figureFingerprint(page, figure);
  for (const [control, value] of changes) {
    await setControl(page, figure, control, value);
    const next = await figureFingerprint(page, figure);
    assert.ok(next.hash !== last.hash || next.status !== last.status, `${control} = ${value} changes the figure`);
    last = next;
  }
  const comps = await computations(page);
  assert.deepEqual(comps.map((c) => c.key).sort(), ['grid:contour', 'run:adam', 'run:lion', 'run:momentum', 'run:rmsprop', 'run:sgd']);
  // Switching surface restored that surface's defaults.
  const momentum = comps.find((c) => c.key === 'run:momentum');
  assert.equal(momentum.config.problem.name, 'himmelblau');
  assert.deepEqual(momentum.config.optimizer, { name: 'sgd', lr: 0.002, momentum: 0.9 });
  assert.equal(momentum.config.steps, 100);
  assert.match(last.status, /On Himmelblau after 100 steps/);
  assert.match(last.status, /First within 10⁻³ of the minimum: \w+ at step \d+/);
  assert.deepEqual(problems, []);
});

test('optimizer-race: Play replays the race and ends on the whole race', async () => {
  const { page, problems } = await mountFigure(browser, 'optimizer-race', { surface: 'valley' });
  const full = await figureFingerprint(page, figure);
  await inFigure(page, figure, (c) => c.querySelector('button[data-race="play"]').click());
  await page.waitForFunction((sel) => /Replaying: step \d+ of 100/.test(document.querySelector(sel).shadowRoot.querySelector('.lr-status').textContent), figure);
  const mid = await figureFingerprint(page, figure);
  assert.notEqual(mid.hash, full.hash, 'the replay draws part of the race');
  // Pause, then play to the end.
  await inFigure(page, figure, (c) => c.querySelector('button[data-race="play"]').click());
  assert.match((await figureFingerprint(page, figure)).status, /Paused at step \d+ of 100/);
  await page.$eval(figure, (el) => { el.dataset.waitFrom = el.dataset.frames; });
  await inFigure(page, figure, (c) => c.querySelector('button[data-race="play"]').click());
  await waitForFrame(page, figure, 15000);
  const end = await figureFingerprint(page, figure);
  assert.equal(end.status, full.status);
  assert.equal(await inFigure(page, figure, (c) => c.querySelector('button[data-race="play"]').textContent), 'Play');

  // Reduced motion: Play jumps straight to the end.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.$eval(figure, (el) => { el.dataset.waitFrom = el.dataset.frames; });
  await inFigure(page, figure, (c) => c.querySelector('button[data-race="play"]').click());
  await waitForFrame(page, figure, 2000);
  assert.equal((await figureFingerprint(page, figure)).status, full.status);
  assert.deepEqual(problems, []);
});

test('optimizer-race: attributes choose surface, steps and optimizers; bad ones fall back', async () => {
  const { page, problems } = await mountFigure(browser, 'optimizer-race', { surface: 'beale', steps: 150, optimizers: 'sgd,adam,nadam' });
  const comps = await computations(page);
  assert.deepEqual(comps.map((c) => c.key).sort(), ['grid:contour', 'run:adam', 'run:nadam', 'run:sgd']);
  for (const c of comps.filter((c) => c.op === 'run')) {
    assert.equal(c.config.problem.name, 'beale');
    assert.equal(c.config.steps, 150);
  }
  const state = await inFigure(page, figure, (c) => ({
    extra: c.querySelector('select[data-race="extra"]').value,
    momentumOn: c.querySelector('input[data-race="on-momentum"]').checked,
    momentumDisabled: c.querySelector('input[data-opt="momentum"][data-param="lr"]').disabled,
  }));
  assert.deepEqual(state, { extra: 'nadam', momentumOn: false, momentumDisabled: true });

  // Options by config path (adam.betas.1), and by the names older links used (beta1).
  const opts = await mountFigure(browser, 'optimizer-race', { options: 'adam.betas.1:0.99,nadam.beta1:0.8,momentum.momentum:0.5', optimizers: 'momentum,adam,nadam' });
  const optimizers = Object.fromEntries((await computations(opts.page)).filter((c) => c.op === 'run').map((c) => [c.key, c.config.optimizer]));
  assert.deepEqual(optimizers['run:adam'].betas, [0.9, 0.99]);
  assert.deepEqual(optimizers['run:nadam'].betas, [0.8, 0.999]);
  assert.equal(optimizers['run:momentum'].momentum, 0.5);
  const link = await opts.page.$eval(figure, (el) => el.figure.share.current());
  assert.deepEqual(link.find(([k]) => k === 'options'), ['options', 'momentum.momentum:0.5,adam.betas.1:0.99,nadam.betas.0:0.8']);
  assert.deepEqual(opts.problems, []);

  const bad = await mountFigure(browser, 'optimizer-race', { surface: 'moon', steps: 'lots', optimizers: 'sgd,warp,lion,lion2,adamw' });
  const notes = await inFigure(bad.page, figure, (c) => [...c.querySelectorAll('.lr-note')].map((n) => n.textContent).join(' | '));
  assert.match(notes, /surface="moon" is not one of rosenbrock, valley, saddle, beale, himmelblau; using rosenbrock/);
  assert.match(notes, /steps="lots" is not a number in \[10, 2000\]; using 400/);
  assert.match(notes, /"warp", "lion2" not known/);
  assert.match(notes, /only one of .* at a time; using lion/);
  assert.deepEqual((await keys(bad.page)), ['grid:contour', 'run:lion', 'run:sgd']);
  assert.deepEqual(problems, []);
  assert.deepEqual(bad.problems, []);
});

test('optimizer-race: the rotated valley and the saddle', async () => {
  const { page, problems } = await mountFigure(browser, 'optimizer-race', { surface: 'valley' });
  const sgd = (await computations(page)).find((c) => c.key === 'run:sgd');
  assert.deepEqual(sgd.config.problem, { name: 'quadratic', diag: [1, 50], rotation: 30, x0: [-2.5, 0] });
  assert.match((await figureFingerprint(page, figure)).status, /On the narrow valley after 100 steps/);
  const saddle = await mountFigure(browser, 'optimizer-race', { surface: 'saddle' });
  assert.match((await figureFingerprint(saddle.page, figure)).status, /On the saddle after 100 steps/);
  assert.deepEqual(problems, []);
  assert.deepEqual(saddle.problems, []);
});
