// Shared by the digits-training figures ("plateau", "schedules", and any
// figure that wants a schedule editor):
//
//   - SCHEDULE_SPECS and createScheduleForm(): a small form per learning-rate
//     schedule (sliders and selects for the options of README "Schedules"),
//     with defaults relative to the run's length N, and the schedule's config
//     object for the engine;
//   - digitsConfig(), smoothLoss(), alignTo(): the run both figures make
//     (the digits MLP trained by SGD with momentum) and the small reshaping
//     needed to draw its history on one step axis.
//
// Attribute names for a schedule's options are the config names in lower
// case (HTML attributes are case-insensitive): t_max, t_0, t_mult, eta_min,
// step_size, gamma, milestones ("300,450"), factor, total_iters,
// warmup_steps, warmup_start_factor, max_lr, pct_start, anneal_strategy,
// div_factor, final_div_factor, base_lr, step_size_up, mode, power.
import { decadeRange } from '../ui/chart.js';
import { createCheckbox, createLogSlider, createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../ui/format.js';

const f = formatNumber;
const round = Math.round;
let hintIds = 0;

// η-valued options share one range, the same as the figures' η sliders.
export const LR_RANGE = { min: 0.001, max: 1 };

// Field kinds: 'int' and 'real' (linear sliders), 'log' (log slider),
// 'choice' (select), 'list' (comma-separated integers), 'flag' (checkbox).
// min/max/fallback may depend on the context {steps, lr}. `scale` says how a
// value follows a change of N: 'steps' (proportionally), 'decay' (γ so that
// γ^N stays the same). `when(values)` hides a field that does not apply.
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
      { key: 'gamma', label: 'swing decay γ per step', symbol: 'γ', kind: 'real', min: 0.99, max: 1, step: 0.0001, fallback: 0.999, when: (v) => v.mode === 'exp_range' },
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

export function scheduleSpec(id) {
  return SCHEDULE_SPECS.find((s) => s.id === id);
}

const resolve = (v, ctx) => (typeof v === 'function' ? v(ctx) : v);

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
  const value = parts.map(Number);
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

// Reads a schedule's options from the figure's attributes (through the
// figure's readers, so bad values leave a note and keep the default).
export function readScheduleAttributes(figure, spec, ctx) {
  const values = defaultValues(spec, ctx);
  for (const field of spec.fields) {
    const name = field.key.toLowerCase();
    if (field.kind === 'choice') {
      values[field.key] = figure.choice(name, { fallback: values[field.key], values: field.values });
    } else if (field.kind === 'list') {
      const raw = figure.host.getAttribute(name);
      if (raw === null || raw.trim() === '') continue;
      const parsed = parseMilestones(raw, resolve(field.max, ctx));
      if (parsed.error) figure.notes.push(`${name}="${raw}": ${parsed.error}; using ${values[field.key].join(', ')}.`);
      else values[field.key] = parsed.value;
    } else if (field.kind === 'flag') {
      const raw = figure.host.getAttribute(name);
      if (raw !== null) values[field.key] = raw !== 'false';
    } else {
      const range = { fallback: values[field.key], min: resolve(field.min, ctx), max: resolve(field.max, ctx) };
      values[field.key] = field.kind === 'int' ? figure.integer(name, range) : figure.number(name, range);
    }
  }
  return values;
}

// [[attribute, text], …] for the options that differ from their defaults in
// the context ctx — the inverse of readScheduleAttributes.
export function scheduleAttributes(spec, values, ctx) {
  const defaults = defaultValues(spec, ctx);
  const text = (v) => (Array.isArray(v) ? v.join(',') : String(v));
  const out = [];
  for (const field of spec.fields) {
    if (field.when && !field.when(values)) continue;
    const v = values[field.key];
    if (v !== undefined && text(v) !== text(defaults[field.key])) out.push([field.key.toLowerCase(), text(v)]);
  }
  return out;
}

// Values carried over from N = from to N = to.
function rescale(spec, values, from, to, ctx) {
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
    if (field.when && !field.when(values)) continue;
    config[field.key] = values[field.key];
  }
  return config;
}

// A form for one schedule at a time. `ctx` is {steps, lr}; onChange() is
// called on every edit (slider drags included). Values edited for one
// schedule are kept when the reader switches away and back.
//
//   const form = createScheduleForm({id: 'cosine', ctx, values, onChange});
//   form.element; form.config(); form.setSchedule('step'); form.setContext({steps, lr});
export function createScheduleForm({ id, ctx, values, onChange }) {
  const root = element('fieldset', 'lr-schedule-form');
  const legend = element('legend');
  const fields = element('div', 'lr-schedule-fields');
  const description = element('p', 'lr-schedule-description');
  root.append(legend, fields, description);
  const store = new Map();
  let spec = scheduleSpec(id);
  let context = { ...ctx };
  store.set(spec.id, { values: { ...values }, steps: context.steps });

  function current() {
    let entry = store.get(spec.id);
    if (!entry) {
      entry = { values: defaultValues(spec, context), steps: context.steps };
      store.set(spec.id, entry);
    }
    if (entry.steps !== context.steps) {
      entry.values = rescale(spec, entry.values, entry.steps, context.steps, context);
      entry.steps = context.steps;
    }
    return entry.values;
  }

  function describe() {
    description.textContent = spec.describe(current(), context);
  }

  function changed(rebuild = false) {
    if (rebuild) build();
    else describe();
    onChange?.();
  }

  function control(field, v) {
    const label = field.label;
    const symbol = field.symbol ?? field.label;
    if (field.kind === 'choice') {
      return createSelect({
        label, options: field.values, value: v[field.key],
        onChange: (value) => { v[field.key] = value; changed(true); },
      });
    }
    if (field.kind === 'flag') {
      return createCheckbox({ label, checked: v[field.key], onChange: (value) => { v[field.key] = value; changed(); } });
    }
    if (field.kind === 'list') {
      const wrap = element('label', 'lr-list-input');
      const input = element('input');
      input.type = 'text';
      input.inputMode = 'numeric';
      input.spellcheck = false;
      input.value = v[field.key].join(', ');
      const hint = element('span', 'lr-hint', 'comma-separated steps');
      hint.id = `lr-list-hint-${++hintIds}`;
      input.setAttribute('aria-describedby', hint.id);
      input.addEventListener('input', () => {
        const parsed = parseMilestones(input.value, resolve(field.max, context));
        input.setAttribute('aria-invalid', parsed.error ? 'true' : 'false');
        hint.textContent = parsed.error ?? 'comma-separated steps';
        hint.classList.toggle('lr-danger', Boolean(parsed.error));
        if (parsed.error) return;
        v[field.key] = parsed.value;
        changed();
      });
      wrap.append(element('span', 'slider-label', label), input, hint);
      return { element: wrap, input };
    }
    const onInput = (value) => { v[field.key] = value; changed(); };
    if (field.kind === 'log') {
      return createLogSlider({ label, symbol, min: resolve(field.min, context), max: resolve(field.max, context), value: v[field.key], onInput });
    }
    return createSlider({
      label, symbol, min: resolve(field.min, context), max: resolve(field.max, context),
      step: field.kind === 'int' ? 1 : field.step, value: v[field.key],
      format: field.kind === 'int' ? String : (x) => f(x, field.step && field.step < 0.001 ? 5 : 3),
      onInput,
    });
  }

  function build() {
    const v = current();
    legend.textContent = `${spec.label}: options`;
    fields.replaceChildren();
    for (const field of spec.fields) {
      if (field.when && !field.when(v)) continue;
      const c = control(field, v);
      c.element.dataset.option = field.key;
      fields.append(c.element);
    }
    describe();
  }

  build();
  return {
    element: root,
    get id() { return spec.id; },
    get spec() { return spec; },
    get values() { return { ...current() }; },
    get description() { return description.textContent; },
    config() { return scheduleConfig(spec, current(), context); },
    setSchedule(next) {
      spec = scheduleSpec(next);
      build();
    },
    // New {steps, lr}: step-valued options follow N; the form is rebuilt so
    // slider ranges match.
    setContext(next) {
      const rebuild = next.steps !== context.steps;
      context = { ...context, ...next };
      if (rebuild) build();
      else describe();
    },
  };
}

// --- the digits runs ------------------------------------------------------------
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

// Powers of ten around the finite positive values (widened by the factor
// `pad`), for a log axis that outliers such as the raw minibatch loss do not
// stretch.
export function logRange(values, pad = 1) {
  return decadeRange(values, { margin: Math.log10(pad), fallback: [0.01, 10] });
}
