// The engine computing a piece at a time (what the Worker does): the same
// results as in one go, whatever the pieces, and a computation told to stop
// stops between two pieces — its session or job freed, nothing left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError } from '../../web/src/engine/core.js';
import { loadCore } from '../util/core.js';

const { module, core } = await loadCore();

const CONFIGS = {
  run: { problem: { name: 'mlp', hidden: 8 }, optimizer: { name: 'adam', lr: 0.01 }, steps: 300, batch_size: 16, eval_every: 7, plateau: { patience: 1 } },
  runJson: { problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd', lr: 0.001, momentum: 0.9 }, steps: 2000 },
  sweep: { problem: { name: 'logistic_regression' }, optimizer: { name: 'sgd' }, steps: 60, eval_every: 60, sweep: { lr_min: 1e-3, lr_max: 10, num: 21 } },
  rangeTest: { problem: { name: 'mlp', hidden: 8 }, optimizer: { name: 'sgd' }, range_test: { steps: 150 } },
  grid: { problem: { name: 'rosenbrock' }, grid: { x: [-2, 2], y: [-1, 3], nx: 200, ny: 150 } },
};

test('in pieces, every computation gives what it gives in one go', async () => {
  for (const [op, config] of Object.entries(CONFIGS)) {
    await core.prepare(config);
    const whole = core[op](config);
    const pieces = await core.piecewise(op, config);
    assert.deepEqual(pieces, whole, op);
  }
});

test('told to stop, a computation stops between pieces and frees what it held', async () => {
  const heavy = { problem: { name: 'mlp', hidden: 64 }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 20000, record: { params: false } };
  await core.prepare(heavy);
  for (const [op, config] of [['run', heavy], ['runJson', heavy], ['sweep', { ...heavy, steps: 1000, sweep: { num: 10 } }], ['grid', CONFIGS.grid]]) {
    let pieces = 0;
    // It rejects (the whole computation, seconds long, did not finish) right
    // after the check that said stop: the fourth.
    await assert.rejects(core.piecewise(op, config, () => ++pieces > 3), (err) => err instanceof CancelledError && err.name === 'AbortError', op);
    assert.equal(pieces, 4, op);
  }
  // Told to stop before it starts: nothing runs.
  await assert.rejects(core.piecewise('sweep', CONFIGS.sweep, () => true), CancelledError);
  assert.equal(core.openSessions(), 0);
  // And a stopped computation leaks nothing: many of them leave the heap as it was.
  const before = module.HEAPU8.length;
  for (let i = 0; i < 300; i++) {
    let n = 0;
    await assert.rejects(core.piecewise(i % 2 ? 'run' : 'sweep', i % 2 ? heavy : { ...heavy, steps: 200, sweep: { num: 5 } }, () => ++n > 1));
  }
  assert.equal(module.HEAPU8.length, before);
});

test('a config error in pieces is the same ConfigError, with its issues', async () => {
  await assert.rejects(core.piecewise('sweep', { optimizer: { name: 'sgd', momentum: 3 }, sweep: { num: 0 } }), (err) => {
    assert.equal(err.name, 'ConfigError');
    assert.deepEqual(err.issues.map((i) => i.path), ['sweep.num', 'optimizer.momentum']);
    return true;
  });
  assert.throws(() => core.piecewise('schema', {}), /cannot run in pieces/);
});

test('a run in pieces reports its history so far, each report an exact prefix of the result', async () => {
  // Long enough for several pieces of ~8 ms.
  const config = { problem: { name: 'mlp', hidden: 32 }, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, steps: 1500, batch_size: 32, eval_every: 20, plateau: { patience: 2 } };
  await core.prepare(config);
  const reports = [];
  const whole = await core.piecewise('run', config, () => false, (partial) => reports.push(partial));
  assert.deepEqual(whole, core.run(config), 'reporting changes nothing in the result');
  assert.ok(reports.length >= 2, `${reports.length} reports`);
  let last = 0;
  for (const p of reports) {
    assert.ok(p.steps > last && p.steps < whole.steps, `steps ${p.steps} after ${last}, before ${whole.steps}`);
    last = p.steps;
    assert.equal(p.loss.length, p.steps + 1, 'the loss at the start and after each step');
    for (const key of ['loss', 'lr', 'gradNorm']) assert.deepEqual(p[key], whole[key].subarray(0, p[key].length), key);
    const evals = p.valSteps.length;
    assert.deepEqual(p.valSteps, whole.valSteps.subarray(0, evals));
    assert.deepEqual(p.valLoss, whole.valLoss.subarray(0, evals));
    for (const key of ['best', 'numBad', 'cooldown', 'multiplier']) assert.deepEqual(p.plateau[key], whole.plateau[key].subarray(0, evals), key);
    assert.equal(p.divergedAt, null);
  }
  // Other computations take no progress callback.
  const ticks = [];
  await core.piecewise('sweep', CONFIGS.sweep, () => false, (x) => ticks.push(x));
  assert.equal(ticks.length, 0);
});
