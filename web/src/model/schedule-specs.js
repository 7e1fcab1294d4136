// The learning-rate schedules as the digits figures ("schedules", "plateau")
// offer them: for each schedule of the core, the options a reader edits with
// a slider or a select, their spans and starting values relative to the run
// length N, how a value follows a change of N, and a sentence describing the
// schedule with its current numbers. Option names are the config's; whether
// an option applies (cyclic's γ) is the core's `when` (model/schema.js); each
// span lies within the core's range (tests/js/schema-overlay.test.js).
//
// Attribute names for a schedule's options are the config names in lower
// case (HTML attributes are case-insensitive): t_max, t_0, t_mult, eta_min,
// step_size, gamma, milestones ("300,450"), factor, total_iters,
// warmup_steps, warmup_start_factor, max_lr, pct_start, anneal_strategy,
// div_factor, final_div_factor, base_lr, step_size_up, mode, power.
import { applies } from './catalog.js';
import { formatNumber, parseDecimal } from './format.js';
import { fieldsOf } from './schema.js';

const f = formatNumber;
const round = Math.round;

// η-valued options share one range, the same as the figures' η sliders.
export const LR_RANGE = { min: 0.001, max: 1 };

// Field kinds: 'int' and 'real' (linear sliders), 'log' (log slider),
// 'choice' (select), 'list' (comma-separated integers), 'flag' (checkbox).
// min/max/fallback may depend on the context {steps, lr}. `scale` says how a
// value follows a change of N: 'steps' (proportionally), 'decay' (γ so that
// γ^N stays the same).
const etaMin = { key: 'eta_min', label: 'floor η_min', symbol: 'η_min', kind: 'real', min: 0, max: 0.1, step: 0.001, fallback: 0 };

export const SCHEDULE_SPECS = [
  {
    id: 'constant',
    label: 'constant (c·η, then η)',
    fields: [
      { key: 'factor', label: 'factor c', symbol: 'c', kind: 'real', min: 0.05, max: 1, step: 0.05, fallback: 0.25 },
      { key: 'total_iters', label: 'steps T', symbol: 'T', kind: 'int', min: 0, max: ({ steps }) => steps, fallback: ({ steps }) => round(steps / 5), scale: 'steps' },
    ],
    describe: (v, { lr }) => `PyTorch's ConstantLR: η is held at c·η = ${f(v.factor * lr)} for the first ${v.total_iters} steps, then jumps to η = ${f(lr)} for the rest of the run — a constant warm-up. With c = 1 it is the baseline.`,
  },
  {
    id: 'step',
    label: 'step decay',
    fields: [
      { key: 'step_size', label: 'every k steps', symbol: 'k', kind: 'int', min: 1, max: ({ steps }) => steps, fallback: ({ steps }) => round(steps / 3), scale: 'steps' },
      { key: 'gamma', label: 'factor γ', symbol: 'γ', kind: 'real', min: 0.05, max: 0.95, step: 0.05, fallback: 0.1 },
    ],
    describe: (v) => `η_t = η·γ^⌊t/k⌋: every ${v.step_size} steps η is multiplied by γ = ${f(v.gamma)}.`,
  },
  {
    id: 'multistep',
    label: 'multi-step decay',
    fields: [
      { key: 'milestones', label: 'at steps', symbol: 'milestones', kind: 'list', max: ({ steps }) => steps, fallback: ({ steps }) => [round(steps / 2), round((3 * steps) / 4)], scale: 'steps' },
      { key: 'gamma', label: 'factor γ', symbol: 'γ', kind: 'real', min: 0.05, max: 0.95, step: 0.05, fallback: 0.1 },
    ],
    describe: (v) => `η is multiplied by γ = ${f(v.gamma)} at each milestone (${v.milestones.join(', ') || 'none'}).`,
  },
  {
    id: 'exponential',
    label: 'exponential decay',
    fields: [
      { key: 'gamma', label: 'factor γ per step', symbol: 'γ', kind: 'real', min: 0.95, max: 0.9999, step: 0.0001, fallback: ({ steps }) => Number((0.01 ** (1 / steps)).toFixed(4)), scale: 'decay' },
    ],
    describe: (v, { lr, steps }) => `η_t = η·γ^t: multiplied by γ = ${f(v.gamma, 5)} every step, so η falls from ${f(lr)} to ${f(lr * v.gamma ** steps)} after ${steps} steps.`,
  },
  {
    id: 'cosine',
    label: 'cosine annealing',
    fields: [
      { key: 'T_max', label: 'half-period T', symbol: 'T', kind: 'int', min: 1, max: ({ steps }) => 2 * steps, fallback: ({ steps }) => steps, scale: 'steps' },
      etaMin,
    ],
    describe: (v, { lr }) => `η follows half a cosine from η = ${f(lr)} down to η_min = ${f(v.eta_min)} at step ${v.T_max}: η_t = η_min + (η − η_min)(1 + cos(πt/T))/2. No warm-up; past T it climbs again, as PyTorch's does.`,
  },
  {
    id: 'warmup_cosine',
    label: 'linear warm-up + cosine',
    fields: [
      { key: 'warmup_steps', label: 'warm-up steps W', symbol: 'W', kind: 'int', min: 0, max: ({ steps }) => steps - 1, fallback: ({ steps }) => round(steps / 10), scale: 'steps' },
      { key: 'warmup_start_factor', label: 'start factor s', symbol: 's', kind: 'real', min: 0, max: 1, step: 0.05, fallback: 0 },
      etaMin,
    ],
    fixed: ({ steps }) => ({ total_steps: steps }),
    describe: (v, { lr, steps }) => `Two parts. The linear warm-up (steps 0 to ${v.warmup_steps}) raises η in a straight line from s·η = ${f(v.warmup_start_factor * lr)} to η = ${f(lr)}. The cosine annealing (steps ${v.warmup_steps} to ${steps}) then lowers it along half a cosine to η_min = ${f(v.eta_min)}.`,
  },
  {
    id: 'cosine_warm_restarts',
    label: 'cosine with warm restarts (SGDR)',
    fields: [
      { key: 'T_0', label: 'first period T₀', symbol: 'T₀', kind: 'int', min: 1, max: ({ steps }) => steps, fallback: ({ steps }) => round(steps / 7), scale: 'steps' },
      { key: 'T_mult', label: 'period growth', symbol: 'T_mult', kind: 'int', min: 1, max: 4, fallback: 2 },
      etaMin,
    ],
    describe: (v, { lr }) => `Cosine annealing from η = ${f(lr)} towards η_min = ${f(v.eta_min)}, restarted at η after ${v.T_0} steps; each period is ${v.T_mult}× as long as the one before (T_i = T₀·${v.T_mult}^i).`,
  },
  {
    id: 'one_cycle',
    label: 'one-cycle',
    fields: [
      { key: 'max_lr', label: 'peak η', symbol: 'max η', kind: 'log', ...LR_RANGE, fallback: ({ lr }) => lr },
      { key: 'pct_start', label: 'rising share', symbol: 'pct_start', kind: 'real', min: 0.05, max: 0.95, step: 0.05, fallback: 0.3 },
      { key: 'div_factor', label: 'start divisor', symbol: 'div_factor', kind: 'log', min: 1, max: 1000, fallback: 25 },
      { key: 'final_div_factor', label: 'final divisor', symbol: 'final_div_factor', kind: 'log', min: 1, max: 1e5, fallback: 1e4 },
      { key: 'anneal_strategy', label: 'shape', kind: 'choice', values: ['cos', 'linear'], fallback: 'cos' },
    ],
    fixed: ({ steps }) => ({ total_steps: steps }),
    describe: (v, { steps }) => `η rises from ${f(v.max_lr / v.div_factor)} to its peak ${f(v.max_lr)} over the first ${round(v.pct_start * steps)} steps, then falls to ${f(v.max_lr / (v.div_factor * v.final_div_factor))} by step ${steps}; momentum moves the other way, 0.95 → 0.85 → 0.95. It sets η itself: the base η slider only sets the baseline's η.`,
  },
  {
    id: 'cyclic',
    label: 'cyclic',
    fields: [
      { key: 'base_lr', label: 'lower η', symbol: 'lower η', kind: 'log', ...LR_RANGE, fallback: ({ lr }) => Number((lr / 10).toPrecision(3)) },
      { key: 'max_lr', label: 'upper η', symbol: 'upper η', kind: 'log', ...LR_RANGE, fallback: ({ lr }) => lr },
      { key: 'step_size_up', label: 'half-cycle steps', symbol: 'half-cycle', kind: 'int', min: 1, max: ({ steps }) => steps, fallback: ({ steps }) => round(steps / 6), scale: 'steps' },
      { key: 'mode', label: 'mode', kind: 'choice', values: ['triangular', 'triangular2', 'exp_range'], fallback: 'triangular2' },
      { key: 'gamma', label: 'swing decay γ per step', symbol: 'γ', kind: 'real', min: 0.99, max: 1, step: 0.0001, fallback: 0.999 },
    ],
    describe: (v) => {
      const shrink = { triangular: 'every cycle has the same height', triangular2: 'each cycle is half as high as the one before', exp_range: `the swing shrinks by γ = ${f(v.gamma, 5)} every step` }[v.mode];
      return `η moves in straight lines between ${f(v.base_lr)} and ${f(v.max_lr)}, ${v.step_size_up} steps up and ${v.step_size_up} down; ${shrink}. Momentum cycles the other way (0.9 ↔ 0.8). It sets η itself: the base η slider only sets the baseline's η.`;
    },
  },
  {
    id: 'polynomial',
    label: 'polynomial decay',
    fields: [
      { key: 'total_iters', label: 'reaches 0 at step T', symbol: 'T', kind: 'int', min: 0, max: ({ steps }) => 2 * steps, fallback: ({ steps }) => steps, scale: 'steps' },
      { key: 'power', label: 'power p', symbol: 'p', kind: 'real', min: 0.1, max: 5, step: 0.1, fallback: 1 },
    ],
    describe: (v, { lr }) => `η_t = η·(1 − t/T)^p: from ${f(lr)} down to 0 at step ${v.total_iters}, ${v.power === 1 ? 'in a straight line' : v.power < 1 ? 'slowly at first, steeply at the end' : 'steeply at first, slowly at the end'} (p = ${f(v.power)}).`,
  },
];

export const SCHEDULE_IDS = SCHEDULE_SPECS.map((s) => s.id);

// Whether a field applies to the values shown: the core's condition on its
// siblings (cyclic's γ only in exp_range mode).
export function fieldApplies(spec, field, values) {
  const core = fieldsOf('schedules', spec.id).find((f) => f.key === field.key);
  return !core || applies(core, values);
}

export function scheduleSpec(id) {
  return SCHEDULE_SPECS.find((s) => s.id === id);
}

export const resolve = (v, ctx) => (typeof v === 'function' ? v(ctx) : v);

// The slider's resolution for a field (so a value lands on a position).
function snap(field, value) {
  if (field.kind === 'int') return round(value);
  if (field.kind === 'real' && field.step) return Number((round(value / field.step) * field.step).toFixed(6));
  if (field.kind === 'log') return Number(value.toPrecision(3));
  return value;
}

function clampField(field, value, ctx) {
  const min = resolve(field.min, ctx);
  const max = resolve(field.max, ctx);
  return Math.min(max, Math.max(min, value));
}

// Parses "300, 450" into strictly increasing integers in [0, max]; returns
// {value} or {error}.
export function parseMilestones(text, max) {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const value = parts.map(parseDecimal);
  if (value.some((m) => !Number.isInteger(m) || m < 0)) return { error: 'milestones are whole numbers of steps, e.g. 300, 450' };
  if (value.some((m, i) => i > 0 && m <= value[i - 1])) return { error: 'milestones must increase' };
  if (value.some((m) => m > max)) return { error: `milestones must be at most ${max}` };
  if (value.length > 20) return { error: 'at most 20 milestones' };
  return { value };
}

// Default values of every field of a schedule for the context {steps, lr}.
export function defaultValues(spec, ctx) {
  const values = {};
  for (const field of spec.fields) values[field.key] = resolve(field.fallback, ctx);
  return values;
}

// [[attribute, text], …] for the options that differ from their defaults in
// the context ctx — the inverse of readScheduleAttributes.
export function scheduleAttributes(spec, values, ctx) {
  const defaults = defaultValues(spec, ctx);
  const text = (v) => (Array.isArray(v) ? v.join(',') : String(v));
  const out = [];
  for (const field of spec.fields) {
    if (!fieldApplies(spec, field, values)) continue;
    const v = values[field.key];
    if (v !== undefined && text(v) !== text(defaults[field.key])) out.push([field.key.toLowerCase(), text(v)]);
  }
  return out;
}

// Values carried over from N = from to N = to.
export function rescale(spec, values, from, to, ctx) {
  const next = { ...values };
  for (const field of spec.fields) {
    const v = values[field.key];
    if (field.scale === 'steps') {
      next[field.key] = field.kind === 'list'
        ? v.map((m) => round((m * to) / from)).filter((m, i, a) => m <= to && (i === 0 || m > a[i - 1]))
        : snap(field, clampField(field, (v * to) / from, ctx));
    } else if (field.scale === 'decay') {
      next[field.key] = snap(field, clampField(field, v ** (from / to), ctx));
    }
  }
  return next;
}

// The schedule's config object ({name, ...options}) for the engine.
export function scheduleConfig(spec, values, ctx) {
  const config = { name: spec.id, ...(spec.fixed ? spec.fixed(ctx) : {}) };
  for (const field of spec.fields) {
    if (!fieldApplies(spec, field, values)) continue;
    config[field.key] = values[field.key];
  }
  return config;
}
