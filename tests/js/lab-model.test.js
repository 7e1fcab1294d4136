// The lab's rules about runs (web/src/model/lab-runs.js), without a browser:
// the run list, the configs it sends, the contour's box, its words and its
// numbers table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RUNS, RunList, contourView, defaultRuns, describeRun, engineConfig, oneCycleFrom, rangeTestConfig,
  rangeTestNote, runsStatus, runsTable, surfaceKey,
} from '../../web/src/model/lab-runs.js';

test('the run list: add copies the selected run into a free colour, remove keeps a sensible selection', () => {
  const list = new RunList(defaultRuns());
  assert.equal(list.runs.length, 2);
  assert.equal(list.selected, 0);
  assert.equal(list.select(0), false, 'selecting the selected run is no change');
  assert.equal(list.select(5), false);
  assert.equal(list.select(1), true);
  assert.ok(list.add());
  assert.equal(list.selected, 2);
  assert.deepEqual(list.run.config, defaultRuns()[1], 'a copy of the run that was selected');
  list.run.config.optimizer.lr = 0.5;
  assert.equal(list.runs[1].config.optimizer.lr, 0.1, 'a copy, not the same object');
  assert.deepEqual(list.runs.map((r) => r.slot), [0, 1, 2]);
  assert.ok(list.add());
  assert.ok(list.full);
  assert.equal(list.add(), false, `at most ${MAX_RUNS}`);
  // Removing a run before the selected one keeps the same run selected.
  list.select(2);
  const selected = list.run;
  assert.ok(list.remove(0));
  assert.equal(list.run, selected);
  // The freed colour is the next one used.
  assert.ok(list.add());
  assert.equal(list.run.slot, 0);
  while (list.runs.length > 1) list.remove(list.runs.length - 1);
  assert.equal(list.remove(0), false, 'the last run stays');
  assert.equal(list.selected, 0);
});

test('engine configs: paths recorded for 1-D and 2-D problems only; the range test and one-cycle runs', () => {
  const [sgd] = defaultRuns();
  assert.deepEqual(engineConfig(sgd).record, { params: true });
  assert.deepEqual(engineConfig({ ...sgd, problem: { name: 'quadratic', diag: [1, 2, 3] } }).record, { params: false });
  assert.deepEqual(engineConfig({ ...sgd, problem: { name: 'mlp' } }).record, { params: false });
  assert.deepEqual(engineConfig({ ...sgd, problem: { name: 'double_well' } }).record, { params: true });
  assert.equal(sgd.record, undefined, 'the run itself is not changed');

  const data = { problem: { name: 'mlp' }, optimizer: { name: 'adam', lr: 0.01 }, batch_size: 64, gradient_noise: 0.1, seed: 4, steps: 50, schedule: { name: 'step', step_size: 5 } };
  assert.deepEqual(rangeTestConfig(data, { lr_min: 1e-5, lr_max: 1, steps: 80 }), {
    problem: { name: 'mlp' }, optimizer: { name: 'adam', lr: 0.01 }, seed: 4,
    range_test: { lr_min: 1e-5, lr_max: 1, steps: 80 }, batch_size: 64, gradient_noise: 0.1,
  });
  // No batch size for a problem without minibatches; no schedule ever.
  assert.equal(rangeTestConfig({ ...sgd, batch_size: 8 }, {}).batch_size, undefined);

  const cycle = oneCycleFrom({ ...data, plateau: { factor: 0.5 } }, 0.0123456);
  assert.deepEqual(cycle.schedule, { name: 'one_cycle', max_lr: 0.0123, total_steps: 50, cycle_momentum: true });
  assert.equal(cycle.plateau, undefined);
  assert.equal(oneCycleFrom({ ...data, optimizer: { name: 'adagrad', lr: 0.1 } }, 0.1).schedule.cycle_momentum, false, 'no momentum to cycle');
});

test('the contour box: the problem\'s view, grown to hold the start and the minimizers', () => {
  assert.deepEqual(contourView({ name: 'rosenbrock' }, [-1.5, 2], [[1, 1]]), { x: [-2, 2], y: [-1, 3] });
  const grown = contourView({ name: 'rosenbrock' }, [3, 2], [[1, 1]]);
  assert.ok(grown.x[1] > 3, 'holds the start');
  assert.deepEqual(contourView({ name: 'quadratic' }, [2, -1], []), { x: [-2.6, 2.6], y: [-2.6, 2.6] });
  // Far-off or non-finite points (a diverged start) do not blow the box up.
  assert.deepEqual(contourView({ name: 'beale' }, [1e9, NaN], []), contourView({ name: 'beale' }, null, []));
  assert.equal(surfaceKey({ name: 'rosenbrock', x0: [1, 2] }), surfaceKey({ name: 'rosenbrock' }));
  assert.notEqual(surfaceKey({ name: 'rosenbrock', b: 10 }), surfaceKey({ name: 'rosenbrock' }));
});

// A result as engine.run gives it, for the words and the table.
function result({ loss, lr, valSteps = [0], valLoss = [loss[0]], divergedAt = null }) {
  return { steps: lr.length, loss: Float64Array.from(loss), lr: Float64Array.from(lr), valSteps: Int32Array.from(valSteps), valLoss: Float64Array.from(valLoss), divergedAt };
}

test('the words: runs, their state and the range test\'s suggestion', () => {
  const [sgd, adam] = defaultRuns();
  assert.equal(describeRun(sgd), 'SGD, η 0.002, μ 0.9');
  assert.equal(describeRun({ ...adam, schedule: { name: 'one_cycle', max_lr: 0.05 } }, { problem: true }), 'Adam, one-cycle to 0.05, Rosenbrock valley');
  assert.equal(describeRun({ ...adam, schedule: { name: 'cosine', T_max: 9 }, plateau: {} }), 'Adam, η 0.1, cosine annealing, plateau');
  const runs = [
    { config: sgd, result: result({ loss: [4, 1, 0.25], lr: [0.002, 0.002] }), error: null },
    { config: adam, result: result({ loss: [4, 1e9], lr: [0.1], divergedAt: 1 }), error: null },
    { config: adam, result: null, error: [{ path: 'optimizer.lr', message: 'must be >= 0, got -1' }] },
    { config: adam, result: null, error: null },
  ];
  const status = runsStatus(runs, 0.0314);
  assert.equal(status.text, '4 runs on Rosenbrock valley: run 1 (SGD, η 0.002, μ 0.9) ends at loss 0.25 after 2 steps; ' +
    'run 2 (Adam, η 0.1) diverged at step 1; run 3 (Adam, η 0.1) has a config error; run 4 (Adam, η 0.1) is computing. ' +
    'The range test suggests η ≈ 0.0314.');
  assert.ok(status.danger);
  assert.equal(runsStatus(runs.slice(0, 1)).danger, false);
  // Runs on different problems: each names its own.
  const mlp = { ...sgd, problem: { name: 'mlp', hidden: 32, data: 'local' } };
  const mixed = runsStatus([{ config: mlp, result: result({ loss: [2, 0.5], lr: [0.002], valLoss: [2, 0.6], valSteps: [0, 1] }), error: null }, runs[0]]);
  assert.equal(mixed.text, '2 runs on 2 problems: run 1 (SGD, η 0.002, μ 0.9, your data: MLP classifier) ends at loss 0.5 after 1 step, validation loss 0.6; ' +
    'run 2 (SGD, η 0.002, μ 0.9, Rosenbrock valley) ends at loss 0.25 after 2 steps.');
  const note = rangeTestNote({ runIndex: 0, error: [{ path: 'range_test.lr_min', message: 'must be below lr_max' }] }, runs);
  assert.deepEqual(note, { text: 'The range test could not run: range_test.lr_min: must be below lr_max', danger: true });
  const found = rangeTestNote({ runIndex: 0, result: { lr: [1e-5, 1e-3, 0.1], suggested_lr: 1e-3, min_loss_lr: 0.1, stopped_at: null } }, runs);
  assert.match(found.text, /^For run 1 \(SGD, η 0\.002, μ 0\.9\): the test ran all 3 steps\. The loss fell fastest at η = 0\.001; lowest at η = 0\.1\. Remove a run/);
});

test('the numbers table: a column per series, a row per step, empty past a run\'s end', () => {
  const runs = [
    { config: defaultRuns()[0], result: result({ loss: [4, 2, 1], lr: [0.1, 0.05] }) },
    { config: { problem: { name: 'mlp' }, optimizer: { name: 'sgd', lr: 0.1 } }, result: result({ loss: [2.3, 2.0], lr: [0.1], valSteps: [0, 1], valLoss: [2.31, 2.2] }) },
  ];
  const { columns, rows } = runsTable(runs, 2);
  assert.deepEqual(columns, ['step', 'run 1 loss', 'run 1 η', 'run 2 loss', 'run 2 validation loss', 'run 2 η']);
  assert.deepEqual(rows, [
    [0, 4, 0.1, 2.3, 2.31, 0.1],
    [1, 2, 0.05, 2.0, 2.2, null],
    [2, 1, null, null, null, null],
  ]);
});
