// What the page shows of the config language: the core's schema (schema.js)
// with a presentation overlay — labels, slider steps and spans, the values a
// form fills in, the plot box of each 2-D problem — and nothing the core
// decides. Names, fields, types, defaults, accepted ranges and conditions all
// come from the schema, so an option added in C++ appears here with its own
// default and range; the overlay may only narrow a range (tests/js/
// schema-overlay.test.js fails on a key the schema lacks or a wider span).
// No DOM, so Node imports it too.
//
// A field descriptor (what the lab's form and others read):
//   key, label, type   'lr' (log slider) | 'number' | 'int' | 'bool' | 'choice' |
//                      'list' (numbers) | 'intlist' | 'pair' (two numbers) | 'json'
//   default            the core's value when the key is absent; undefined when
//                      required or not one value (defaultText says what it is)
//   required, range    the schema's; min/max: the overlay's span, else the range's
//   step, hint, placeholder, symbols (pair), hidden, omitWhen (left out of the
//   config at this value), valueLabels (a choice's words for its values),
//   rebuilds (a change rebuilds the form), initial (value a form fills in, a number or a
//   function of the run config), when (the schema's condition on siblings)
import { SCHEMA } from './schema.js';

const half = (cfg, f = 0.5) => Math.max(1, Math.round((cfg.steps ?? 100) * f));

// --- the overlay -------------------------------------------------------------
// Labels and spans shared by a key wherever it appears.
const COMMON = {
  lr: { label: 'learning rate η', type: 'lr', min: 1e-5, max: 10 },
  weight_decay: { label: 'weight decay', step: 0.001 },
  eps: { label: 'ε' },
  betas: { label: 'betas', symbols: ['β₁', 'β₂'], step: 0.001 },
  momentum: { label: 'momentum μ', step: 0.05 },
  eta_min: { label: 'η_min' },
  gamma: { label: 'γ', step: 0.05 },
  total_iters: { label: 'total iters' },
  total_steps: { label: 'total steps', initial: (c) => half(c, 1) },
  max_lr: { label: 'max η', initial: (c) => c.optimizer?.lr ?? 0.1 },
  cycle_momentum: { label: 'cycle momentum', initial: (c) => Boolean(SCHEMA.optimizers[c.optimizer?.name]?.momentum) },
  base_momentum: { label: 'base momentum', step: 0.01 },
  max_momentum: { label: 'max momentum', step: 0.01 },
  x0: { label: 'start x₀' },
  schedulers: { label: 'schedulers (JSON list)' },
  milestones: { label: 'milestones' },
};

// The data a classifier trains on: the digits, or the reader's CSV file
// (the lab's data panel, figures/lab/data.js). Choosing it rebuilds the form.
const DATA = { label: 'data', valueLabels: { digits: 'handwritten digits', local: 'your CSV file' }, omitWhen: 'digits', rebuilds: true };

// Per problem: label (menu: its name in the lab's menu, where the data is chosen apart), the plot box of a 2-D problem (view: [[xmin, xmax],
// [ymin, ymax]]), an η at which plain SGD makes progress and the steps it
// gets (used when the lab switches problem), and its fields' overlay.
const PROBLEM_OVERLAY = {
  quadratic: {
    label: 'quadratic bowl', sgdLr: 0.1, steps: 100,
    fields: {
      diag: { label: 'diagonal of A', hint: 'eigenvalues, all > 0' },
      b: { label: 'linear term b' },
      rotation: { label: 'rotation (°)', omitWhen: 0, min: -180, max: 180, step: 5 },
    },
  },
  rosenbrock: { label: 'Rosenbrock valley', view: [[-2, 2], [-1, 3]], sgdLr: 0.002, steps: 300 },
  beale: { label: 'Beale', view: [[-1, 4.5], [-1.5, 2.5]], sgdLr: 0.01, steps: 300 },
  himmelblau: { label: 'Himmelblau (four minima)', view: [[-5.5, 5.5], [-5.5, 5.5]], sgdLr: 0.01, steps: 200 },
  rastrigin: { label: 'Rastrigin (many minima)', view: [[-3.2, 3.2], [-3.2, 3.2]], sgdLr: 0.002, steps: 200, fields: { dim: { label: 'dimension' } } },
  double_well: { label: 'double well (1-D)', sgdLr: 0.1, steps: 100 },
  saddle: { label: 'saddle', view: [[-1.5, 1.5], [-1.8, 1.8]], sgdLr: 0.1, steps: 100, fields: { a: { label: 'curvature a', step: 0.1 } } },
  sparse_linear: {
    label: 'sparse linear regression', sgdLr: 0.1, steps: 300,
    fields: {
      n_samples: { label: 'samples' },
      dim: { label: 'features' },
      rare_fraction: { label: 'rare share', step: 0.05 },
      rare_prob: { label: 'rare probability', step: 0.01 },
      noise: { label: 'label noise', step: 0.05 },
    },
  },
  logistic_regression: { label: 'digits: logistic regression', menu: 'classifier: logistic regression', sgdLr: 0.5, steps: 300, fields: { l2: { label: 'L2 penalty', step: 0.001 }, data: DATA } },
  mlp: { label: 'digits: MLP classifier', menu: 'classifier: MLP', sgdLr: 0.1, steps: 300, fields: { hidden: { label: 'hidden units' }, data: DATA } },
};

const OPTIMIZER_OVERLAY = {
  sgd: { label: 'SGD', fields: { dampening: { step: 0.05 }, nesterov: { label: 'Nesterov' } } },
  adagrad: { label: 'Adagrad', fields: { lr_decay: { label: 'lr decay' }, initial_accumulator_value: { label: 'initial accumulator', step: 0.1 } } },
  rmsprop: { label: 'RMSprop', fields: { alpha: { label: 'α', step: 0.01 } } },
  adam: { label: 'Adam', fields: { amsgrad: { label: 'AMSGrad' } } },
  adamw: { label: 'AdamW', fields: { amsgrad: { label: 'AMSGrad' } } },
  adadelta: { label: 'Adadelta', fields: { rho: { label: 'ρ', step: 0.01 } } },
  adamax: { label: 'Adamax' },
  nadam: { label: 'NAdam', fields: { momentum_decay: { label: 'momentum decay ψ', step: 0.001 } } },
  radam: { label: 'RAdam' },
  lion: { label: 'Lion' },
};

const SCHEDULE_OVERLAY = {
  none: { label: 'constant (none)' },
  step: { label: 'step decay', fields: { step_size: { label: 'step size', initial: (c) => half(c, 1 / 3) } } },
  multistep: { label: 'multi-step decay', fields: { milestones: { initial: (c) => [half(c, 0.5), half(c, 0.75)] } } },
  exponential: { label: 'exponential decay', fields: { gamma: { step: 0.001, initial: 0.99 } } },
  cosine: { label: 'cosine annealing', fields: { T_max: { label: 'T_max', initial: (c) => half(c, 1) } } },
  cosine_warm_restarts: {
    label: 'cosine with warm restarts',
    fields: { T_0: { label: 'T_0', initial: (c) => half(c, 0.25) }, T_mult: { label: 'T_mult', max: 10 } },
  },
  linear: {
    label: 'linear warm-up',
    fields: {
      start_factor: { label: 'start factor', step: 0.05, initial: 0.1 },
      end_factor: { label: 'end factor', step: 0.05 },
      total_iters: { initial: (c) => half(c, 0.1) },
    },
  },
  constant: { label: 'constant warm-up', fields: { factor: { label: 'factor', step: 0.05 }, total_iters: { initial: (c) => half(c, 0.1) } } },
  polynomial: { label: 'polynomial decay', fields: { total_iters: { initial: (c) => half(c, 1) }, power: { label: 'power', step: 0.1 } } },
  one_cycle: {
    label: 'one-cycle',
    fields: {
      pct_start: { label: 'rising share', step: 0.05 },
      anneal_strategy: { label: 'anneal' },
      div_factor: { label: 'div factor' },
      final_div_factor: { label: 'final div factor' },
      three_phase: { label: 'three phases' },
    },
  },
  cyclic: {
    label: 'cyclic',
    fields: {
      base_lr: { label: 'base η', initial: (c) => Number(((c.optimizer?.lr ?? 0.1) / 10).toPrecision(3)) },
      step_size_up: { label: 'steps up', initial: (c) => half(c, 0.125) },
      step_size_down: { label: 'steps down' },
      mode: { label: 'mode' },
      gamma: { step: 0.001 },
    },
  },
  sequential: {
    label: 'sequential (one after another)',
    fields: {
      schedulers: {
        initial: (c) => [{ name: 'linear', start_factor: 0.1, total_iters: half(c, 0.1) }, { name: 'cosine', T_max: Math.max(1, half(c, 1) - half(c, 0.1)) }],
      },
      milestones: { initial: (c) => [half(c, 0.1)] },
    },
  },
  chained: {
    label: 'chained (at once)',
    fields: { schedulers: { initial: (c) => [{ name: 'constant', factor: 0.5, total_iters: half(c, 0.1) }, { name: 'exponential', gamma: 0.99 }] } },
  },
  warmup_cosine: {
    label: 'linear warm-up + cosine',
    fields: {
      warmup_steps: { label: 'warm-up steps', initial: (c) => half(c, 0.1) },
      warmup_start_factor: { label: 'start factor', step: 0.05 },
    },
  },
};

const PLATEAU_OVERLAY = {
  factor: { label: 'factor', step: 0.05, initial: 0.5 },
  patience: { label: 'patience', initial: 3 },
  cooldown: { label: 'cooldown' },
  threshold: { label: 'threshold' },
  threshold_mode: { label: 'threshold mode' },
  min_lr: { label: 'min η' },
  mode: { label: 'mode', hidden: true },
  eps: { label: 'eps', hidden: true },
};

// The run's own options. gradient_noise is left out at 0 (a config without
// it runs on a core that predates the key).
const RUN_OVERLAY = {
  steps: { label: 'steps', min: 1, max: 5000 },
  seed: { label: 'seed', max: 2 ** 31 - 1 },
  batch_size: { label: 'batch size', max: 4096 },
  eval_every: { label: 'evaluate every', max: 1000 },
  gradient_noise: { label: 'gradient noise σ', omitWhen: 0, step: 0.1 },
};

// --- descriptors from schema + overlay -------------------------------------------
const WIDGETS = { number: 'number', integer: 'int', boolean: 'bool', choice: 'choice', integer_list: 'intlist', list: 'json' };

// The form widget for a schema field; null for a type no form shows (matrix).
function widgetFor(field) {
  if (field.type === 'number_list') return field.length === 2 ? 'pair' : 'list';
  return WIDGETS[field.type] ?? null;
}

function describeField(field, overlay = {}) {
  const type = overlay.type ?? widgetFor(field);
  if (!type || field.type === 'object') return null;
  const range = field.range ?? field.items?.range ?? null;
  const span = (end) => (range && range[end] !== null ? range[end] : undefined);
  return {
    key: field.key,
    label: overlay.label ?? field.key,
    type,
    default: field.default === null ? undefined : field.default,
    defaultText: field.default_text,
    required: field.required,
    nullable: Boolean(field.nullable),
    range,
    min: overlay.min ?? span('min'),
    max: overlay.max ?? span('max'),
    step: overlay.step,
    values: field.values,
    when: field.when,
    note: field.note,
    hint: overlay.hint,
    placeholder: overlay.placeholder,
    symbols: overlay.symbols,
    hidden: Boolean(overlay.hidden),
    omitWhen: overlay.omitWhen,
    valueLabels: overlay.valueLabels,
    rebuilds: Boolean(overlay.rebuilds),
    initial: overlay.initial,
  };
}

function describeFields(fields, overlay = {}, common = {}) {
  return fields.map((f) => describeField(f, { ...common[f.key], ...overlay[f.key] })).filter(Boolean);
}

// The numbers of a start as the list field's placeholder ("1, 1").
const listText = (v) => (Array.isArray(v) ? v.join(', ') : undefined);

function buildProblems(schema) {
  const out = {};
  for (const [name, k] of Object.entries(schema.problems)) {
    const o = PROBLEM_OVERLAY[name] ?? {};
    const fields = describeFields(k.fields, o.fields, COMMON).filter((f) => {
      // The start is edited where the problem has one fixed start to show.
      if (f.key !== 'x0') return true;
      f.placeholder = listText(k.defaults?.start);
      return Boolean(k.defaults?.start);
    });
    out[name] = {
      label: o.label ?? name, menu: o.menu ?? o.label ?? name, view: o.view, sgdLr: o.sgdLr ?? 0.01, steps: o.steps ?? 100,
      data: k.minibatch, dataset: k.dataset, defaults: k.defaults ?? null, fields,
    };
  }
  return out;
}

function buildKinds(kinds, overlay) {
  const out = {};
  for (const [name, k] of Object.entries(kinds)) {
    const o = overlay[name] ?? {};
    out[name] = { ...k, label: o.label ?? name, fields: describeFields(k.fields, o.fields, COMMON) };
  }
  return out;
}

// The catalogue of a schema: what the page shows of it. Exported for the
// tests, which build it from a changed schema too.
export function buildCatalog(schema) {
  return {
    PROBLEMS: buildProblems(schema),
    OPTIMIZERS: buildKinds(schema.optimizers, OPTIMIZER_OVERLAY),
    SCHEDULES: buildKinds(schema.schedules, SCHEDULE_OVERLAY),
    PLATEAU: { torch: schema.plateau.torch, fields: describeFields(schema.plateau.fields, PLATEAU_OVERLAY) },
    RUN_FIELDS: describeFields(schema.run.fields, RUN_OVERLAY),
  };
}

export const { PROBLEMS, OPTIMIZERS, SCHEDULES, PLATEAU, RUN_FIELDS } = buildCatalog(SCHEMA);

// Every overlay entry, for the test that holds the overlay to the schema:
// {entries: [{section, name, key, overlay}], names: {problems: […], …}}.
// Section "common" entries apply to every field of that key.
export function overlayEntries() {
  const entries = [];
  const add = (section, name, fields) => {
    for (const [key, overlay] of Object.entries(fields ?? {})) entries.push({ section, name, key, overlay });
  };
  const named = { problems: PROBLEM_OVERLAY, optimizers: OPTIMIZER_OVERLAY, schedules: SCHEDULE_OVERLAY };
  for (const [section, overlay] of Object.entries(named)) for (const [name, o] of Object.entries(overlay)) add(section, name, o.fields);
  add('plateau', null, PLATEAU_OVERLAY);
  add('run', null, RUN_OVERLAY);
  add('common', null, COMMON);
  return { entries, names: Object.fromEntries(Object.entries(named).map(([s, o]) => [s, Object.keys(o)])) };
}

// --- reading descriptors ---------------------------------------------------------
// Default value of `key` in a list of fields (undefined when required).
export function fieldDefault(fields, key) {
  return fields.find((f) => f.key === key)?.default;
}

// The value the form puts in when an item is chosen.
export function initialValue(field, cfg) {
  const v = typeof field.initial === 'function' ? field.initial(cfg) : field.initial;
  return v === undefined ? field.default : v;
}

// Whether a field applies, given its siblings' values (the schema's `when`);
// pass the spec with its defaults filled in (withDefaults).
export function applies(field, values) {
  return !field.when || Object.entries(field.when).every(([key, value]) => values?.[key] === value);
}

// A spec with every absent option at its default (for `applies`).
export function withDefaults(fields, spec) {
  const out = { ...spec };
  for (const f of fields) if (out[f.key] === undefined && f.default !== undefined) out[f.key] = f.default;
  return out;
}

// A fresh options object for a schedule / problem / plateau: the initial
// values of the fields that have one (required ones included).
export function initialOptions(fields, cfg) {
  const out = {};
  for (const f of fields) {
    if (f.hidden) continue;
    const v = initialValue(f, cfg);
    if (v === undefined || (f.omitWhen !== undefined && v === f.omitWhen)) continue;
    out[f.key] = v;
  }
  return out;
}

export const isDataProblem = (problem) => Boolean(PROBLEMS[problem?.name]?.data);

// Whether a problem trains on the reader's own table ({"data": "local"}).
export const onLocalData = (problem) => problem?.data === 'local';

// The problem's dimension from its options and the schema, when a config
// alone decides it (not for problems whose size comes from their data).
export function problemDimension(problem) {
  const info = PROBLEMS[problem?.name];
  if (!info) return null;
  if (Array.isArray(problem.x0)) return problem.x0.length;
  if (info.fields.some((f) => f.key === 'dim') && !info.data) return problem.dim ?? fieldDefault(info.fields, 'dim');
  if (Array.isArray(problem.A)) return problem.A.length;
  if (Array.isArray(problem.diag)) return problem.diag.length;
  return info.defaults?.dim ?? null;
}

// The problem's dimension when it is 1 or 2 (a curve or a contour), else null.
export function lowDimension(problem) {
  const n = problemDimension(problem);
  return n === 1 || n === 2 ? n : null;
}

// A label for an optimizer, schedule or problem name (the name itself when unknown).
export const optimizerLabel = (name) => OPTIMIZERS[name]?.label ?? name;
export const scheduleLabel = (name) => SCHEDULES[name]?.label ?? name;
export const problemLabel = (name) => PROBLEMS[name]?.label ?? name;
