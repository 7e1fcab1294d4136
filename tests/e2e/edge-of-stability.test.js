// The "edge-of-stability" figure in Chromium: full-batch gradient descent on
// the digits network, whose sharpness rises to 2/η and hovers there; after
// η is raised half-way it settles under the new, lower limit. The drawn
// sharpness is what the native CLI computes for the same config; every
// control changes the picture; bad attributes fall back with a note.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figureFingerprint, figureState, mountFigure, setControl, startBrowser } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'build/native/lrlab');
const figure = 'lrlab-figure[name="edge-of-stability"]';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const state = (page) => figureState(page, figure, (c) => ({ disabled: c.querySelector('[data-control="lr2"] input').disabled }));

const control = (page, name, value) => setControl(page, figure, `[data-control="${name}"] input, [data-control="${name}"] select`, value);

// The figure's run, through the native CLI.
async function nativeRun(page) {
  const [run] = await page.$eval(figure, (el) => el.computations.map(({ config, result }) => ({
    config, steps: Array.from(result.sharpness.steps), values: Array.from(result.sharpness.values),
  })));
  const native = JSON.parse(execFileSync(CLI, ['run', '-'], { input: JSON.stringify(run.config) }).toString());
  return { run, native };
}

test('edge-of-stability: the sharpness rises to 2/η, and after the raise settles under the new limit', async () => {
  const { page, problems } = await mountFigure(browser, 'edge-of-stability');
  const s = await state(page);
  assert.equal(s.canvases, 2);
  assert.equal(s.limit, '4');
  // Progressive sharpening from well below the limit to it, then hovering
  // there (mean within 10 %) until the raise at step 150.
  assert.ok(Number(s.reachedAt) > 0 && Number(s.reachedAt) < 150, `reached the limit at step ${s.reachedAt}`);
  const m = s.status.match(/rose from ([\d.]+) at step 0 .* averaged ([\d.]+) \(([\d.]+) × the limit\) from there to step 150/);
  assert.ok(m, s.status);
  assert.ok(Number(m[1]) < 0.25 * 4, `starts at ${m[1]}, far below 2/η = 4`);
  assert.ok(Math.abs(Number(m[3]) - 1) < 0.1, `hovers at ${m[3]} × the limit`);
  const after = s.status.match(/At step 150 η became 1, limit 2\/η = 2: the loss went from ([\d.]+) to a peak of ([\d.]+), and the sharpness ended at ([\d.]+) \(([\d.]+) × the new limit\)/);
  assert.ok(after, s.status);
  assert.ok(Number(after[2]) > 2 * Number(after[1]), 'the raise makes the loss jump');
  assert.ok(Math.abs(Number(after[4]) - 1) < 0.15, `ends at ${after[4]} × the new limit`);

  // What is drawn is the core's: the native CLI gives the same estimates.
  const { run, native } = await nativeRun(page);
  assert.deepEqual(run.config.record.sharpness, { every: 5, iterations: 10 });
  assert.equal(run.config.batch_size, 1437);
  assert.deepEqual(run.config.schedule, { name: 'multistep', milestones: [150], gamma: 2 });
  assert.deepEqual(native.sharpness.steps, run.steps);
  // Equal to rounding until the raise; after it the catapult amplifies the
  // last-bit differences between WASM and native arithmetic (measured: 1e-9
  // relative by step 220), so there the test asks for agreement to 1e-5.
  native.sharpness.values.forEach((v, i) => {
    const tolerance = run.steps[i] <= 150 ? 1e-9 : 1e-5;
    assert.ok(Math.abs(v - run.values[i]) <= tolerance * Math.abs(v), `step ${run.steps[i]}: ${v} vs ${run.values[i]}`);
  });
  assert.deepEqual(problems, []);
});

test('edge-of-stability: a quadratic cannot adapt: constant sharpness, and past the limit the loss grows', async () => {
  const { page, problems } = await mountFigure(browser, 'edge-of-stability', { problem: 'quadratic' });
  const s = await state(page);
  assert.match(s.status, /^A quadratic's sharpness is a constant, 3; the limit at η = 0\.5 is 2\/η = 4\./);
  assert.match(s.status, /the loss grows 4 × per step/);
  const { run } = await nativeRun(page);
  // Ten warm-started power iterations per estimate, on eigenvalues 1 and 3.
  run.values.forEach((v) => assert.ok(Math.abs(v - 3) < 1e-7, `λmax ${v}`));
  assert.deepEqual(problems, []);
});

test('edge-of-stability: every control changes what is shown', async () => {
  const { page, problems } = await mountFigure(browser, 'edge-of-stability', { steps: '200' });
  const changes = [['lr', 700], ['lr2', 300], ['raise', false], ['optimizer', 'momentum'], ['problem', 'tanh'], ['steps', 100]];
  for (const [name, value] of changes) {
    const before = await figureFingerprint(page, figure);
    const beforeState = await state(page);
    await control(page, name, value);
    const afterFp = await figureFingerprint(page, figure);
    const afterState = await state(page);
    assert.ok(afterFp.hash !== before.hash, `${name} changed the charts`);
    if (name !== 'lr2' && name !== 'steps') assert.notEqual(afterState.status, beforeState.status, `${name} changed the summary`);
  }
  const s = await state(page);
  assert.equal(s.disabled, true, 'η after the raise is off while the raise is');
  assert.match(s.status, /\(2 \+ 2β\)\/η/, 'with momentum, the limit is (2 + 2β)/η');
  assert.deepEqual(problems, []);
});

test('edge-of-stability: bad attributes fall back with a note; good ones set the run', async () => {
  const { page, problems } = await mountFigure(browser, 'edge-of-stability', { lr: '50', problem: 'cifar', steps: 'many', raise: 'maybe' });
  const s = await state(page);
  assert.equal(s.notes.length, 4, s.notes.join('\n'));
  assert.match(s.notes.join('\n'), /lr="50" is not a number in \[0\.05, 2\]; using 0\.5/);
  assert.match(s.notes.join('\n'), /problem="cifar"/);
  assert.equal(s.limit, '4');

  const good = await mountFigure(browser, 'edge-of-stability', { lr: '0.8', raise: 'off', optimizer: 'momentum', steps: '400', problem: 'tanh' });
  const config = await good.page.$eval(figure, (el) => el.computations[0].config);
  assert.deepEqual(config.optimizer, { name: 'sgd', lr: 0.8, momentum: 0.9 });
  assert.equal(config.steps, 400);
  assert.equal(config.schedule, undefined);
  assert.deepEqual(config.problem, { name: 'mlp', hidden: 16, activation: 'tanh' });
  assert.deepEqual((await state(good.page)).notes, []);
  assert.deepEqual(problems, []);
  assert.deepEqual(good.problems, []);
});
