// What the two η-sweep figures ("lr-sweep" and "robustness") sweep, as
// data: the problems and optimizers they offer and the sweep and run
// configs they send to the engine. Names and which problems have data are
// the core's (model/schema.js).
import { optimizerLabel } from './catalog.js';
import { isMinibatch } from './schema.js';

// --- problems -------------------------------------------------------------------
// A 2-D quadratic with eigenvalues 1 and 10 whose axes are turned by 30°:
// A = R diag(1, 10) Rᵀ. Turned, so that the adaptive methods' per-coordinate
// scaling gets no free help from axes that happen to line up with the
// curvature (on a diagonal A they converge almost regardless of η).
const TURN = Math.PI / 6;
const C = Math.cos(TURN);
const S = Math.sin(TURN);
const ROTATED_A = [
  [C * C * 1 + S * S * 10, C * S * (1 - 10)],
  [C * S * (1 - 10), S * S * 1 + C * C * 10],
];

// lrRange: the swept η interval (log-spaced); threshold: the robustness
// figure's default "trains well" level and the range its slider offers;
// data (from the schema: the problem has minibatches): the loss drawn is
// the validation loss at step N (the minibatch loss of a single step is too
// noisy to compare runs by).
export const PROBLEMS = {
  quadratic: {
    label: 'quadratic (2-D, κ = 10, turned 30°)',
    short: 'the quadratic',
    problem: { name: 'quadratic', A: ROTATED_A, x0: [1, 1] },
    lrRange: [1e-4, 100],
    threshold: 1e-4,
    thresholdRange: [1e-12, 1],
  },
  rosenbrock: {
    label: 'Rosenbrock (2-D)',
    short: 'Rosenbrock',
    problem: { name: 'rosenbrock', x0: [-1.5, 2] },
    lrRange: [1e-6, 10],
    threshold: 1,
    thresholdRange: [1e-6, 10],
  },
  logistic_regression: {
    label: 'logistic regression (digits)',
    short: 'the digits logistic regression',
    problem: { name: 'logistic_regression' },
    lrRange: [1e-4, 100],
    threshold: 0.35,
    thresholdRange: [0.25, 1],
  },
};
// Problems with data draw their validation loss: the core's word on which.
for (const p of Object.values(PROBLEMS)) p.data = isMinibatch(p.problem.name);
export const PROBLEM_IDS = Object.keys(PROBLEMS);

// --- optimizers --------------------------------------------------------------------
// PyTorch's defaults for everything but η (README, "Optimizers").
export const OPTIMIZERS = {
  sgd: { label: optimizerLabel('sgd'), optimizer: { name: 'sgd' } },
  momentum: { label: 'Momentum', long: 'SGD with momentum 0.9', optimizer: { name: 'sgd', momentum: 0.9 }, momentum: 0.9 },
  adagrad: { label: optimizerLabel('adagrad'), optimizer: { name: 'adagrad' } },
  rmsprop: { label: optimizerLabel('rmsprop'), optimizer: { name: 'rmsprop' } },
  adam: { label: optimizerLabel('adam'), optimizer: { name: 'adam' } },
};
export const OPTIMIZER_IDS = Object.keys(OPTIMIZERS);

// Attribute bounds shared by both figures.
export const STEPS = { min: 10, max: 1000, step: 10, fallback: 100 };

// --- configs ------------------------------------------------------------------------
// The sweep evaluates the validation loss only at step 0 and step N
// (eval_every = N): final_val_loss is then the loss at N on the whole
// validation split, and no time goes into evaluations nobody draws.
export function sweepConfig(problemId, optimizerId, steps, num) {
  const p = PROBLEMS[problemId];
  return {
    problem: p.problem,
    optimizer: { ...OPTIMIZERS[optimizerId].optimizer, lr: p.lrRange[0] },
    steps,
    eval_every: steps,
    sweep: { lr_min: p.lrRange[0], lr_max: p.lrRange[1], num },
  };
}

// One run at η. Data problems evaluate the validation loss ~25 times along
// the way (at a divisor of N, so that N itself is one of them).
export function runConfig(problemId, optimizerId, steps, lr) {
  const p = PROBLEMS[problemId];
  return {
    problem: p.problem,
    optimizer: { ...OPTIMIZERS[optimizerId].optimizer, lr },
    steps,
    eval_every: p.data ? evalEvery(steps) : steps,
    record: { params: false },
  };
}

function evalEvery(steps) {
  for (let d = Math.max(1, Math.ceil(steps / 25)); d <= steps; d++) if (steps % d === 0) return d;
  return steps;
}

// The loss a sweep point stands for: the final loss (validation loss at N
// for the digits), or null when the run diverged.
export function finalValues(problemId, result) {
  const key = PROBLEMS[problemId].data ? 'final_val_loss' : 'final_loss';
  return result[key].map((v, i) => (result.diverged_at[i] === null && Number.isFinite(v) ? v : null));
}

// Where the sweep trains well: η whose final loss is below `threshold` and
// that did not diverge. Edges are found by linear interpolation in log–log
// between the last point below and the first above (halfway in log η when
// the neighbour diverged), so the width moves smoothly with the threshold.
// Returns {segments: [[lo, hi]] (every piece of good η), widest (the
// widest of those pieces, or null), decades (its width in log10 η: one
// contiguous range, never a sum over pieces with bad η between them),
// openLow/openHigh (that piece reaches the end of the sweep, so the true
// range is wider)}.
export function goodRange(lr, finals, threshold) {
  const n = lr.length;
  const ok = finals.map((v) => v !== null && v < threshold);
  const lt = Math.log10(threshold);
  const lf = (v) => Math.log10(Math.max(v, 1e-300));
  const edge = (inside, outside) => {
    const vo = finals[outside];
    if (vo === null) return Math.sqrt(lr[inside] * lr[outside]);
    const a = lf(finals[inside]);
    const b = lf(vo);
    const t = b === a ? 0.5 : (lt - a) / (b - a);
    return 10 ** (Math.log10(lr[inside]) + Math.min(1, Math.max(0, t)) * (Math.log10(lr[outside]) - Math.log10(lr[inside])));
  };
  const segments = [];
  let best = null;
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    let j = i;
    while (j + 1 < n && ok[j + 1]) j++;
    const lo = i === 0 ? lr[0] : edge(i, i - 1);
    const hi = j === n - 1 ? lr[n - 1] : edge(j, j + 1);
    const segment = [lo, hi];
    segments.push(segment);
    const width = Math.log10(hi / lo);
    if (!best || width > best.width) best = { segment, width, openLow: i === 0, openHigh: j === n - 1 };
    i = j;
  }
  return {
    segments,
    widest: best?.segment ?? null,
    decades: best ? best.width : 0,
    openLow: best?.openLow ?? false,
    openHigh: best?.openHigh ?? false,
  };
}

// "1.2 decades", "≥ 1.2 decades", and "(widest of 3 pieces)" where the good
// η are not one range.
export function describeRange(range) {
  const pieces = range.segments.length;
  return `${formatDecades(range)} decades${pieces > 1 ? ` (widest of ${pieces} pieces)` : ''}`;
}

export function formatDecades(range) {
  const open = range.openLow || range.openHigh;
  return `${open ? '≥ ' : ''}${range.decades.toFixed(1)}`;
}
