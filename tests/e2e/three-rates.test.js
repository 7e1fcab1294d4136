// The three-rates figure in Chromium: three gradient-descent runs on an
// ill-conditioned quadratic, each η on its own slider, the stability limit
// 2/λmax marked and named in the status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, inFigure, mountFigure, setControl, startBrowser,
} from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="three-rates"]';

const slider = (id) => `input[data-run="${id}"]`;

// Slider position (0..1000) of η on a log slider over [min, max].
function position(lr, min = 0.001, max = 1) {
  return Math.round(((Math.log10(lr) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * 1000);
}

function computations(page) {
  return page.$eval(figure, (el) => el.computations.map(({ key, op, config, result }) => ({
    key, op, config, divergedAt: result.divergedAt ?? null, steps: result.steps, lambdaMax: result.problem?.lambda_max,
  })));
}

test('three-rates: renders three runs, the limit and a status with numbers', async () => {
  const { page, problems } = await mountFigure(browser, 'three-rates');
  const info = await inFigure(page, figure, (c) => ({
    canvases: c.querySelectorAll('canvas').length,
    status: c.querySelector('.lr-status').textContent,
    hint: c.querySelector('.tr-hint').textContent,
    badges: [...c.querySelectorAll('.tr-past')].map((b) => b.textContent),
    ticks: [...c.querySelectorAll('.tr-limit')].map((t) => t.style.getPropertyValue('--at')),
    legend: c.querySelector('.lr-legend').textContent,
    past: c.dataset.past,
  }));
  assert.equal(info.canvases, 2);
  assert.match(info.status, /too small η = 0\.01 brings the loss from 5\.67 to [\d.]+/);
  assert.match(info.status, /about right η = 0\.15 brings the loss from 5\.67 to [\d.e−-]+/);
  assert.match(info.status, /too large η = 0\.21 zig-zags ever wider/);
  assert.match(info.status, /Past the stability limit 2\/λmax = 0\.2: too large \(η = 0\.21\)/);
  assert.match(info.hint, /2\/λmax = 0\.2/);
  assert.deepEqual(info.badges, ['', '', 'past 2/λmax']);
  assert.equal(info.past, 'large');
  // 2/λmax = 0.2 on a log track over [0.001, 1]: log(200)/log(1000) ≈ 0.767.
  for (const at of info.ticks) assert.ok(Math.abs(Number(at) - Math.log10(200) / 3) < 1e-9, at);

  const comps = await computations(page);
  assert.deepEqual(comps.map((c) => c.key).sort(), ['grid:contour', 'run:good', 'run:large', 'run:small']);
  const large = comps.find((c) => c.key === 'run:large');
  assert.deepEqual(large.config, { problem: { name: 'quadratic', diag: [1, 10], x0: [-1.8, 0.9] }, optimizer: { name: 'sgd', lr: 0.21 }, steps: 40, record: { params: true } });
  assert.equal(large.lambdaMax, 10);

  // The numbers behind the charts: 41 steps × (loss, x₁, x₂) for each run.
  await inFigure(page, figure, (c) => c.querySelector('.lr-data summary').click());
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.lr-data tbody tr').length > 0, figure);
  const table = await inFigure(page, figure, (c) => {
    return {
      head: [...c.querySelectorAll('.lr-data th')].map((th) => th.textContent),
      rows: c.querySelectorAll('.lr-data tbody tr').length,
      csv: Boolean(c.querySelector('.lr-download').href),
    };
  });
  assert.equal(table.head.length, 10);
  assert.equal(table.head[1], 'too small loss');
  assert.equal(table.rows, 41);
  assert.ok(table.csv);
  assert.deepEqual(problems, []);
});

test('three-rates: every slider changes the figure; dragging past 2/λmax diverges', async () => {
  const { page, problems } = await mountFigure(browser, 'three-rates');
  let last = await figureFingerprint(page, figure);
  for (const [id, lr] of [['small', 0.003], ['good', 0.05], ['large', 0.5]]) {
    await setControl(page, figure, slider(id), position(lr));
    const next = await figureFingerprint(page, figure);
    assert.notEqual(next.hash, last.hash, `${id} slider redraws`);
    assert.notEqual(next.status, last.status, `${id} slider changes the status`);
    last = next;
  }
  const status = last.status;
  assert.match(status, /too large η = 0\.501 diverged at step \d+/);
  const legend = await inFigure(page, figure, (c) => c.querySelector('.lr-legend').textContent);
  assert.match(legend, /diverged at step \d+\u00a0✕/);
  const comps = await computations(page);
  assert.ok(comps.find((c) => c.key === 'run:large').divergedAt > 0);

  // Drag the small run past the limit too: the status names both.
  await setControl(page, figure, slider('small'), position(0.25));
  const both = (await figureFingerprint(page, figure)).status;
  assert.match(both, /Past the stability limit 2\/λmax = 0\.2: too small \(η = 0\.2\d+\), too large \(η = 0\.501\)/);
  assert.deepEqual(problems, []);
});

test('three-rates: attributes set the start; bad ones fall back with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'three-rates', { 'lambda-max': 20, steps: 25, 'lr-large': 0.5 });
  const comps = await computations(page);
  const large = comps.find((c) => c.key === 'run:large');
  assert.equal(large.config.optimizer.lr, 0.5);
  assert.equal(large.config.steps, 25);
  assert.deepEqual(large.config.problem.diag, [1, 20]);
  assert.equal(comps.find((c) => c.key === 'run:good').config.optimizer.lr, 0.075);
  const status = (await figureFingerprint(page, figure)).status;
  assert.match(status, /2\/λmax = 0\.1/);

  const bad = await mountFigure(browser, 'three-rates', { 'lr-small': 'banana', steps: 3.5, 'lambda-max': -1 });
  const notes = await inFigure(bad.page, figure, (c) => [...c.querySelectorAll('.lr-note')].map((n) => n.textContent));
  assert.equal(notes.length, 3);
  assert.match(notes.join(' '), /lambda-max="-1" is not a number in \[1, 1000\]; using 10/);
  assert.match(notes.join(' '), /steps="3.5" is not a number in \[5, 500\]; using 40|steps="3.5" is not a whole number; using 40/);
  assert.match(notes.join(' '), /lr-small="banana" is not a number in \[0\.001, 1\]; using 0\.01/);
  const badComps = await computations(bad.page);
  assert.equal(badComps.find((c) => c.key === 'run:small').config.optimizer.lr, 0.01);
  assert.deepEqual(problems, []);
  assert.deepEqual(bad.problems, []);
});
