// The run both digits figures ("plateau", "schedules") make — the digits MLP
// trained by SGD with momentum — and the small reshaping needed to draw its
// history on one step axis. Plain data, no DOM.
// Both figures train the same network the same way; only η's plan differs.
export const DIGITS_PROBLEM = { name: 'mlp', hidden: 32, activation: 'relu' };
export const MOMENTUM = 0.9;

export function digitsConfig({ lr, steps, evalEvery, schedule, plateau, seed = 0 }) {
  const config = {
    problem: { ...DIGITS_PROBLEM },
    optimizer: { name: 'sgd', lr, momentum: MOMENTUM },
    steps,
    seed,
    batch_size: 32,
    eval_every: evalEvery,
  };
  if (schedule) config.schedule = schedule;
  if (plateau) config.plateau = plateau;
  return config;
}

// The minibatch loss is noisy; a bias-corrected exponential moving average
// (β = 0.95, about the last 20 steps) shows its trend. Non-finite values end
// the average (a diverged run stops there anyway).
export const SMOOTHING = 0.95;
export function smoothLoss(loss, beta = SMOOTHING) {
  const out = new Array(loss.length).fill(null);
  let avg = 0;
  let weight = 0;
  for (let t = 0; t < loss.length; t++) {
    const v = loss[t];
    if (!Number.isFinite(v)) break;
    avg = beta * avg + (1 - beta) * v;
    weight = beta * weight + (1 - beta);
    out[t] = avg / weight;
  }
  return out;
}

// Spreads values known at some steps onto the step axis 0..n (nulls
// between), for drawing them with per-step series on one uPlot.
export function alignTo(n, steps, values) {
  const out = new Array(n + 1).fill(null);
  for (let i = 0; i < steps.length; i++) if (steps[i] <= n) out[steps[i]] = values[i];
  return out;
}

// Pads (or cuts) a series to n + 1 entries with nulls; non-finite → null.
export function padTo(n, values) {
  const out = new Array(n + 1).fill(null);
  for (let i = 0; i < Math.min(values.length, n + 1); i++) out[i] = Number.isFinite(values[i]) ? values[i] : null;
  return out;
}

// Losses are clamped before drawing so a blow-up cannot squash the chart.
export const LOSS_CEIL = 1e3;
export function clampLoss(values) {
  return values.map((v) => (v === null ? null : Math.min(LOSS_CEIL, v)));
}

// The last finite validation loss of a run.
export function finalValLoss(result) {
  for (let i = result.valLoss.length - 1; i >= 0; i--) if (Number.isFinite(result.valLoss[i])) return result.valLoss[i];
  return NaN;
}

// A loss of about ln 10 ≈ 2.30 is what guessing uniformly among ten classes
// gives: a run stuck there learned nothing.
export const CHANCE_LOSS = Math.log(10);

// A run still computing, drawn over the last complete one: the steps and
// evaluations computed so far from `partial` (engine.run's onProgress), the
// rest from `previous` (null: the partial alone). Same shape as a result,
// so a figure draws it as it draws any run; while a slider drags, the curves
// change from the left and never blink out.
export function overPrevious(partial, previous) {
  if (!previous) return partial;
  const k = partial.steps;
  const lastEval = partial.valSteps.length ? partial.valSteps[partial.valSteps.length - 1] : -1;
  const later = [];
  for (let i = 0; i < previous.valSteps.length; i++) if (previous.valSteps[i] > lastEval) later.push(i);
  const join = (head, tail) => {
    const out = new head.constructor(Math.max(head.length, tail.length));
    out.set(head);
    if (tail.length > head.length) out.set(tail.subarray(head.length), head.length);
    return out;
  };
  const joinEvals = (head, tail) => {
    const out = new head.constructor(head.length + later.length);
    out.set(head);
    later.forEach((i, j) => { out[head.length + j] = tail[i]; });
    return out;
  };
  const perStep = (name) => join(partial[name], previous[name]);
  let plateau = partial.plateau;
  if (plateau && previous.plateau) {
    const p = previous.plateau;
    plateau = {
      best: joinEvals(plateau.best, p.best),
      numBad: joinEvals(plateau.numBad, p.numBad),
      cooldown: joinEvals(plateau.cooldown, p.cooldown),
      multiplier: joinEvals(plateau.multiplier, p.multiplier),
      reducedAt: Int32Array.from([...plateau.reducedAt, ...Array.from(p.reducedAt).filter((t) => t > k)]),
    };
  }
  // Sharpness estimates: those computed so far, then the previous run's later ones.
  let sharpness = partial.sharpness;
  if (sharpness && previous.sharpness) {
    const p = previous.sharpness;
    const last = sharpness.steps.length ? sharpness.steps[sharpness.steps.length - 1] : -1;
    let from = 0;
    while (from < p.steps.length && p.steps[from] <= last) from += 1;
    const joinTail = (head, tail) => {
      const out = new head.constructor(head.length + tail.length - from);
      out.set(head);
      out.set(tail.subarray(from), head.length);
      return out;
    };
    sharpness = { steps: joinTail(sharpness.steps, p.steps), values: joinTail(sharpness.values, p.values) };
  }
  return {
    ...partial,
    sharpness,
    steps: Math.max(k, previous.steps),
    loss: perStep('loss'),
    lr: perStep('lr'),
    gradNorm: perStep('gradNorm'),
    valSteps: joinEvals(partial.valSteps, previous.valSteps),
    valLoss: joinEvals(partial.valLoss, previous.valLoss),
    plateau,
    divergedAt: previous.divergedAt !== null && previous.divergedAt > k ? previous.divergedAt : null,
  };
}
