// The figures' pure logic (web/src/model/), without a browser: which part of
// a 2-D path is drawn and whether its end gets a ✕ (results.js), the loss as
// a gap to the minimum, the race's lane configs and surface defaults
// (race.js), the sweep figures' configs and the points they plot (sweeps.js),
// and the digits figures' series helpers (digits-runs.js). The browser tests
// see these only through what the figures draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossGap, problemMarkers, visiblePath } from '../../web/src/model/results.js';
import { RACERS, SURFACES, coreDefault, racerConfig, racerLabel, surfaceDefaults, valueAt } from '../../web/src/model/race.js';
import { describeRange, finalValues, goodRange, runConfig, sweepConfig } from '../../web/src/model/sweeps.js';
import { alignTo, clampLoss, finalValLoss, overPrevious, padTo, smoothLoss } from '../../web/src/model/digits-runs.js';

// A run result with iterates `points` ([x, y] per step) and losses.
const result = (points, loss, divergedAt = null) => ({
  params: Float64Array.from(points.flat()), steps: points.length - 1, loss: Float64Array.from(loss), divergedAt,
});
const BOX = { x: [-2, 2], y: [-2, 2] };  // drawn inside 1 % of its edges: ±1.96
const path = (r, upTo) => {
  const v = visiblePath(r, BOX, upTo);
  return { ...v, xy: Array.from(v.xy) };
};

test('visiblePath: a path that stays in view is drawn whole, up to the step asked for', () => {
  const r = result([[0, 0], [1, 1], [0.5, 0.5]], [1, 2, 0.5]);
  assert.deepEqual(path(r), { xy: [0, 0, 1, 1, 0.5, 0.5], cross: false, left: false });
  assert.deepEqual(path(r, 1), { xy: [0, 0, 1, 1], cross: false, left: false }, 'a replay at step 1');
  // One that leaves and comes back, or never was in view, is drawn whole too.
  assert.deepEqual(path(result([[0, 0], [3, 0], [0.5, 0]], [1, 9, 0.25])), { xy: [0, 0, 3, 0, 0.5, 0], cross: false, left: false });
  assert.deepEqual(path(result([[5, 0], [6, 0]], [1, 2])), { xy: [5, 0, 6, 0], cross: false, left: false });
});

test('visiblePath: a path that leaves for good is cut at the border; a ✕ when it diverged or its loss grew', () => {
  const diverged = result([[0, 0], [1, 0], [3, 0], [9, 0]], [0, 1, 9, 81], 3);
  assert.deepEqual(path(diverged), { xy: [0, 0, 1, 0, 1.96, 0], cross: true, left: true, leftAt: 2 });
  assert.deepEqual(path(diverged, 1), { xy: [0, 0, 1, 0], cross: false, left: false }, 'no ✕ before the replay gets there');
  // Non-finite iterates end the path at the last finite one.
  assert.deepEqual(path(result([[0, 0], [1, 0], [3, 0], [NaN, NaN]], [0, 1, 9, NaN], 3)).xy, [0, 0, 1, 0, 1.96, 0]);
  // Leaving with the loss growing, not (yet) diverged: a ✕ too.
  assert.equal(path(result([[0, 0], [1, 0], [3, 0]], [1, 2, 9])).cross, true);
  // Leaving while the loss falls (a minimum outside the view): no ✕.
  assert.deepEqual(path(result([[1, 0], [3, 0], [5, 0]], [1, 0.5, 0.2])), { xy: [1, 0, 1.96, 0], cross: false, left: true, leftAt: 1 });
  // The border crossing lies on the segment, in both coordinates.
  const [, , x, y] = path(result([[0, 0], [4, 2]], [1, 5])).xy;
  assert.deepEqual([x, y], [1.96, 0.98]);
});

test('lossGap: f − f* where the minimum is known, f otherwise; non-finite values stay', () => {
  assert.deepEqual(lossGap({ loss: Float64Array.from([3, 2, 1, 0.999999, Infinity, NaN]), problem: { minimum: 1 } }), [2, 1, 0, 0, Infinity, NaN]);
  assert.deepEqual(lossGap({ loss: [3, 2], problem: {} }), [3, 2]);
  assert.deepEqual(lossGap({ loss: [3], problem: { minimum: null } }), [3]);
});

test('problemMarkers: the known 2-D minimizers', () => {
  assert.deepEqual(problemMarkers({ minimizers: [[1, 1], [2, 2, 2], [3, 3]] }), [{ x: 1, y: 1 }, { x: 3, y: 3 }]);
  assert.deepEqual(problemMarkers({ minimizer: [1, 1] }), [{ x: 1, y: 1 }]);
  assert.deepEqual(problemMarkers({ minimizer: [1, 1, 1] }), []);
  assert.deepEqual(problemMarkers(undefined), []);
});

test('race lanes: η, what the racer always has, and the edited options, the betas pair rebuilt', () => {
  assert.deepEqual(racerConfig('adam', { lr: 0.1, 'betas.0': 0.8, 'betas.1': 0.99 }), { name: 'adam', lr: 0.1, betas: [0.8, 0.99] });
  assert.deepEqual(racerConfig('momentum', { lr: 0.01, momentum: 0.5 }), { name: 'sgd', lr: 0.01, momentum: 0.5 });
  assert.deepEqual(racerConfig('nesterov', { lr: 0.01, momentum: 0.5 }), { name: 'sgd', lr: 0.01, momentum: 0.5, nesterov: true });
  assert.deepEqual(racerConfig('sgd', { lr: 0.01, momentum: 0.5 }), { name: 'sgd', lr: 0.01 }, 'plain SGD edits nothing but η');
  assert.deepEqual(racerConfig('rmsprop', { lr: 0.02, alpha: 0.9 }), { name: 'rmsprop', lr: 0.02, alpha: 0.9 });
  assert.equal(valueAt({ betas: [0.8, 0.9] }, 'betas.1'), 0.9);
  assert.equal(valueAt({}, 'betas.0'), undefined);
  assert.equal(coreDefault('adam', 'betas.1'), 0.999);
  assert.equal(racerLabel('momentum'), 'momentum');
  assert.equal(racerLabel('adam'), 'Adam');
});

test('race surfaces: every racer starts at the surface\'s η and the core\'s defaults', () => {
  for (const name of Object.keys(SURFACES)) {
    const defaults = surfaceDefaults(name);
    assert.deepEqual(Object.keys(defaults), Object.keys(RACERS));
    for (const [id, r] of Object.entries(RACERS)) {
      assert.equal(defaults[id].lr, SURFACES[name].lr[id], `${name}: ${id}'s η`);
      assert.deepEqual(Object.keys(defaults[id]), ['lr', ...r.edit]);
    }
  }
  const valley = surfaceDefaults('valley');
  assert.deepEqual(valley.momentum, { lr: 0.01, momentum: 0.9 }, 'momentum starts at its fixed 0.9, not the core\'s 0');
  assert.deepEqual(valley.adam, { lr: 0.2, 'betas.0': 0.9, 'betas.1': 0.999 });
  assert.deepEqual(valley.rmsprop, { lr: 0.05, alpha: 0.99 });
  // A copy each time: a reader's edits do not leak into the next surface switch.
  valley.adam.lr = 5;
  assert.equal(surfaceDefaults('valley').adam.lr, 0.2);
});

test('sweep figures: the sweep evaluates only at N; a run on the digits about 25 times, at a divisor of N', () => {
  assert.deepEqual(sweepConfig('rosenbrock', 'momentum', 200, 11), {
    problem: { name: 'rosenbrock', x0: [-1.5, 2] }, optimizer: { name: 'sgd', momentum: 0.9, lr: 1e-6 }, steps: 200, eval_every: 200,
    sweep: { lr_min: 1e-6, lr_max: 10, num: 11 },
  });
  assert.deepEqual(runConfig('logistic_regression', 'adam', 300, 0.01), {
    problem: { name: 'logistic_regression' }, optimizer: { name: 'adam', lr: 0.01 }, steps: 300, eval_every: 12, record: { params: false },
  });
  assert.equal(runConfig('quadratic', 'sgd', 300, 0.01).eval_every, 300, 'no data: only the end');
  for (const [n, every] of [[1000, 40], [110, 5], [100, 4], [30, 2], [10, 1], [97, 97]]) {
    const e = runConfig('logistic_regression', 'sgd', n, 0.1).eval_every;
    assert.equal(e, every, `N = ${n}`);
    assert.equal(n % e, 0, 'N itself is evaluated');
  }
});

test('sweep points: the final loss (validation loss on the digits), null where the run diverged', () => {
  assert.deepEqual(finalValues('quadratic', { final_loss: [1, 2, NaN, 4], final_val_loss: [9, 9, 9, 9], diverged_at: [null, 5, null, null] }), [1, null, null, 4]);
  assert.deepEqual(finalValues('logistic_regression', { final_loss: [1, 2, 3], final_val_loss: [0.5, Infinity, 0.3], diverged_at: [null, null, null] }), [0.5, null, 0.3]);
});

test('digits series: the bias-corrected moving average, values on the step axis, padding, the clamp', () => {
  assert.deepEqual(smoothLoss([1, 1, 1]), [1, 1, 1], 'bias-corrected: a constant stays itself');
  assert.deepEqual(smoothLoss([2, 0], 0.5), [2, 2 / 3]);
  assert.deepEqual(smoothLoss([1, NaN, 1]), [1, null, null], 'a non-finite loss ends the average');
  assert.deepEqual(alignTo(4, [0, 2, 6], [10, 20, 30]), [10, null, 20, null, null]);
  assert.deepEqual(padTo(3, [1, NaN, Infinity, 4, 5]), [1, null, null, 4]);
  assert.deepEqual(padTo(3, [1]), [1, null, null, null]);
  assert.deepEqual(clampLoss([null, 5, 1e9]), [null, 5, 1000]);
  assert.equal(finalValLoss({ valLoss: [1, 0.5, NaN] }), 0.5);
  assert.ok(Number.isNaN(finalValLoss({ valLoss: [] })));
});

test('a partial run over the last one: its own steps and evaluations first, the rest from the last run', () => {
  const f64 = (a) => Float64Array.from(a);
  const i32 = (a) => Int32Array.from(a);
  const controller = (best, numBad, reducedAt) => ({ best: f64(best), numBad: f64(numBad), cooldown: f64(best.map(() => 0)), multiplier: f64(best.map(() => 1)), reducedAt: i32(reducedAt) });
  const previous = {
    steps: 6, loss: f64([9, 8, 7, 6, 5, 4]), lr: f64([1, 1, 1, 0.5, 0.5, 0.5]), gradNorm: f64([1, 1, 1, 1, 1, 1]),
    valSteps: i32([0, 2, 4, 6]), valLoss: f64([9, 7, 5, 3]), plateau: controller([9, 7, 5, 3], [0, 0, 1, 2], [3, 5]), divergedAt: null,
  };
  const partial = {
    steps: 3, loss: f64([1, 2, 3]), lr: f64([2, 2, 2]), gradNorm: f64([0, 0, 0]),
    valSteps: i32([0, 2]), valLoss: f64([1, 2]), plateau: controller([1, 1], [0, 1], [1]), divergedAt: null,
  };
  const m = overPrevious(partial, previous);
  assert.equal(m.steps, 6);
  assert.deepEqual(Array.from(m.loss), [1, 2, 3, 6, 5, 4]);
  assert.deepEqual(Array.from(m.lr), [2, 2, 2, 0.5, 0.5, 0.5]);
  assert.deepEqual(Array.from(m.valSteps), [0, 2, 4, 6]);
  assert.deepEqual(Array.from(m.valLoss), [1, 2, 5, 3]);
  assert.deepEqual(Array.from(m.plateau.best), [1, 1, 5, 3]);
  assert.deepEqual(Array.from(m.plateau.numBad), [0, 1, 1, 2]);
  assert.deepEqual(Array.from(m.plateau.reducedAt), [1, 5], 'the last run\'s cuts after the partial\'s steps');
  assert.ok(m.loss instanceof Float64Array && m.valSteps instanceof Int32Array);
  assert.equal(m.sharpness, undefined, 'no sharpness recorded, none made up');
  // Sharpness estimates join like evaluations: the partial's, then the last run's later ones.
  const sharp = overPrevious({ ...partial, sharpness: { steps: i32([0, 2]), values: f64([1, 1.5]) } },
    { ...previous, sharpness: { steps: i32([0, 2, 4, 6]), values: f64([5, 6, 7, 8]) } }).sharpness;
  assert.deepEqual(Array.from(sharp.steps), [0, 2, 4, 6]);
  assert.deepEqual(Array.from(sharp.values), [1, 1.5, 7, 8]);
  assert.ok(sharp.steps instanceof Int32Array && sharp.values instanceof Float64Array);
  // Nothing before: the partial as it is. A last run that diverged later keeps its mark; one that diverged earlier does not.
  assert.equal(overPrevious(partial, null), partial);
  assert.equal(overPrevious(partial, { ...previous, divergedAt: 5 }).divergedAt, 5);
  assert.equal(overPrevious(partial, { ...previous, steps: 2, loss: f64([9, 8]), lr: f64([1, 1]), gradNorm: f64([1, 1]), valSteps: i32([0]), valLoss: f64([9]), plateau: controller([9], [0], []), divergedAt: 2 }).divergedAt, null);
  // A shorter last run: the partial's steps, nothing invented after.
  assert.deepEqual(Array.from(overPrevious(partial, { ...previous, loss: f64([9, 8]) }).loss), [1, 2, 3]);
});

test('good η: the widest unbroken piece, never a sum over pieces with bad η between them', () => {
  const lr = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
  // Good at 1e-4 … 1e-2 (edges at the sweep's start and halfway to 1e-1 in
  // log loss), bad at 1e-1, good again at 1 alone, diverged at 10.
  const range = goodRange(lr, [0.01, 0.01, 0.01, 1, 0.01, null], 0.1);
  assert.equal(range.segments.length, 2);
  assert.equal(range.widest, range.segments[0]);
  assert.deepEqual(range.widest.map((v) => Number(v.toPrecision(6))), [1e-4, Number((10 ** -1.5).toPrecision(6))]);
  assert.ok(Math.abs(range.decades - 2.5) < 1e-12, `${range.decades}`);
  assert.equal(range.openLow, true, 'the widest piece starts at the sweep\'s start');
  assert.equal(range.openHigh, false);
  assert.equal(describeRange(range), '≥ 2.5 decades (widest of 2 pieces)');
  // One piece: no count of pieces; nothing good: zero decades, no widest.
  assert.equal(describeRange(goodRange(lr, [1, 0.01, 0.01, 1, 1, 1], 0.1)), '2.0 decades');
  const none = goodRange(lr, [1, 1, 1, 1, 1, null], 0.1);
  assert.deepEqual([none.segments, none.widest, none.decades, none.openLow, none.openHigh], [[], null, 0, false, false]);
});
