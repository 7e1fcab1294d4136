// The "schedules" figure in Chromium: every schedule and every one of its
// options redraws η(t) and the losses, against a constant-η baseline on the
// same minibatches; attributes set the start. Its layout at phone width in
// both themes: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figureFingerprint, inFigure, mountFigure, setControl, shootFigure, startBrowser } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'build/native/lrlab');
const figure = 'lrlab-figure[name="schedules"]';
const SCHEDULES = ['constant', 'step', 'multistep', 'exponential', 'cosine', 'warmup_cosine', 'cosine_warm_restarts', 'one_cycle', 'cyclic', 'polynomial'];

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

function state(page) {
  return inFigure(page, figure, (c) => ({
    schedule: c.dataset.schedule,
    finalVal: Number(c.dataset.finalVal),
    baselineVal: Number(c.dataset.baselineVal),
    status: c.querySelector('.lr-status').textContent,
    description: c.querySelector('.lr-schedule-description').textContent,
    legend: c.querySelector('.lr-schedule-form legend').textContent,
    options: [...c.querySelectorAll('.lr-schedule-fields [data-option]')].map((o) => o.dataset.option),
    canvases: c.querySelectorAll('canvas').length,
    notes: [...c.querySelectorAll('.lr-note')].map((n) => n.textContent),
  }));
}

function computations(page) {
  return page.$eval(figure, (el) => Object.fromEntries(el.computations.map(({ key, op, config }) => [key, { op, config }])));
}

// Fires the reader's event on a control and waits for the frame it causes.
const input = (page, selector, value) => setControl(page, figure, selector, value);

// An option's input and a value for it that differs from the current one.
function otherValue(page, option) {
  return inFigure(page, figure, (c, option) => {
    const where = `.lr-schedule-fields [data-option="${option}"]`;
    const input = c.querySelector(`${where} input, ${where} select`);
    if (input.tagName === 'SELECT') return [`${where} select`, [...input.options].map((o) => o.value).find((v) => v !== input.value)];
    if (input.type === 'text') return [`${where} input`, '100, 250, 400'];
    // Part-way along the slider (the ends can make other options moot, e.g.
    // ConstantLR's factor 1).
    const [min, max, now] = [Number(input.min), Number(input.max), Number(input.value)];
    const step = input.step === 'any' ? 0 : Number(input.step);
    const snap = (v) => (step ? min + Math.round((v - min) / step) * step : v);
    let v = snap(min + 0.37 * (max - min));
    if (Math.abs(v - now) <= step) v = snap(min + 0.71 * (max - min));
    return [`${where} input`, String(Number(v.toFixed(6)))];
  }, option);
}

test('schedules: warm-up + cosine against constant η on the same minibatches', async () => {
  const { page, problems } = await mountFigure(browser, 'schedules');
  const s = await state(page);
  assert.equal(s.schedule, 'warmup_cosine');
  assert.equal(s.canvases, 2);
  assert.deepEqual(s.options, ['warmup_steps', 'warmup_start_factor', 'eta_min']);
  assert.match(s.description, /The linear warm-up \(steps 0 to 60\) raises η in a straight line from s·η = 0 to η = 0\.2\. The cosine annealing \(steps 60 to 600\) then lowers it along half a cosine to η_min = 0\./);
  assert.match(s.status, /^With linear warm-up \+ cosine, the final validation loss after 600 steps is 0\.0\d+, against 0\.1\d+ with constant η = 0\.2\. The schedule's is \d+ % lower\./);
  assert.ok(s.finalVal < s.baselineVal, 'the schedule helps at the default settings');

  // Both runs were tracked; they differ only in the schedule, and the native
  // CLI gives the same final validation losses.
  const c = await computations(page);
  assert.deepEqual(Object.keys(c).sort(), ['baseline', 'run']);
  const { schedule, ...rest } = c.run.config;
  assert.deepEqual(schedule, { name: 'warmup_cosine', total_steps: 600, warmup_steps: 60, warmup_start_factor: 0, eta_min: 0 });
  assert.deepEqual(rest, c.baseline.config);
  assert.equal(rest.seed, 0);
  for (const [key, expected] of [['run', s.finalVal], ['baseline', s.baselineVal]]) {
    const native = JSON.parse(execFileSync(CLI, ['run', '-'], { input: JSON.stringify(c[key].config) }).toString());
    assert.ok(Math.abs(native.val_loss.at(-1) - expected) < 1e-9 * expected, `${key}: ${native.val_loss.at(-1)} vs ${expected}`);
  }
  await shootFigure(page, figure, 'schedules-warmup-cosine.png');
  assert.deepEqual(problems, []);
});

test('schedules: every schedule and every option redraws', async () => {
  const { page, problems } = await mountFigure(browser, 'schedules');
  const statuses = new Set();
  for (const id of SCHEDULES) {
    const before = await figureFingerprint(page, figure);
    await input(page, '[data-control="schedule"] select', id);
    const s = await state(page);
    assert.equal(s.schedule, id);
    const after = await figureFingerprint(page, figure);
    assert.notEqual(after.hash, before.hash, `${id} redrew the charts`);
    statuses.add(s.status);
    for (const option of s.options) {
      const [selector, value] = await otherValue(page, option);
      const b = await figureFingerprint(page, figure);
      await input(page, selector, value);
      const a = await figureFingerprint(page, figure);
      assert.ok(a.hash !== b.hash || a.status !== b.status, `${id}.${option} = ${value} changed the figure`);
    }
  }
  assert.equal(statuses.size, SCHEDULES.length, 'each schedule has its own summary');

  // The shared controls: η, steps, and the log axis for η.
  for (const [selector, value] of [['[data-control="lr"] input', 600], ['[data-control="steps"] input', 1000], ['[data-control="log-lr"] input', true]]) {
    const b = await figureFingerprint(page, figure);
    await input(page, selector, value);
    const a = await figureFingerprint(page, figure);
    assert.notEqual(a.hash, b.hash, `${selector} changed the figure`);
  }
  const c = await computations(page);
  assert.equal(c.run.config.steps, 1000);
  assert.equal(c.baseline.config.steps, 1000);
  assert.equal(c.baseline.config.optimizer.lr, c.run.config.optimizer.lr);
  assert.deepEqual(problems, []);
});

test('schedules: a bad milestone list is flagged and not run', async () => {
  const { page, problems } = await mountFigure(browser, 'schedules', { schedule: 'multistep' });
  const before = await computations(page);
  await page.$eval(figure, (el) => {
    const input = el.shadowRoot.querySelector('[data-option="milestones"] input');
    input.value = '400, 200';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const flagged = await inFigure(page, figure, (c) => {
    const input = c.querySelector('[data-option="milestones"] input');
    return { invalid: input.getAttribute('aria-invalid'), hint: c.querySelector('[data-option="milestones"] .lr-hint').textContent };
  });
  assert.deepEqual(flagged, { invalid: 'true', hint: 'milestones must increase' });
  assert.deepEqual((await computations(page)).run.config, before.run.config);
  assert.deepEqual(problems, []);
});

test('schedules: attributes set the start; bad ones fall back with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'schedules', { schedule: 'step', lr: '0.2', steps: '400', step_size: '100', gamma: '0.5' });
  const s = await state(page);
  assert.deepEqual(s.notes, []);
  assert.equal(s.schedule, 'step');
  const c = await computations(page);
  assert.deepEqual(c.run.config.schedule, { name: 'step', step_size: 100, gamma: 0.5 });
  assert.equal(c.run.config.optimizer.lr, 0.2);
  assert.equal(c.run.config.steps, 400);
  assert.deepEqual(problems, []);

  const bad = await mountFigure(browser, 'schedules', { schedule: 'banana', lr: '7' });
  const b = await state(bad.page);
  assert.equal(b.schedule, 'warmup_cosine');
  assert.match(b.notes.join('\n'), /schedule="banana" is not one of constant, step/);
  assert.match(b.notes.join('\n'), /lr="7" is not a number in \[0\.01, 1\]; using 0\.2/);
  assert.deepEqual(bad.problems, []);

  const opts = await mountFigure(browser, 'schedules', { schedule: 'multistep', milestones: '500,100', t_max: '-3', gamma: '2' });
  const o = await state(opts.page);
  assert.equal(o.notes.length, 2, o.notes.join('\n'));
  assert.match(o.notes.join('\n'), /milestones="500,100": milestones must increase; using 300, 450/);
  assert.match(o.notes.join('\n'), /gamma="2" is not a number in \[0\.05, 0\.95\]; using 0\.1/);
  assert.deepEqual((await computations(opts.page)).run.config.schedule, { name: 'multistep', milestones: [300, 450], gamma: 0.1 });
  assert.deepEqual(opts.problems, []);
});
