// Everything the lab can configure, as data: every problem, optimizer and
// schedule of the README with its options (config key, label, type, the
// core's default and accepted range). The lab's form is built from it, and
// web/src/export/pytorch.js reads the defaults from it to write complete
// PyTorch calls. No DOM here, so Node can import it.
//
// Field descriptor:
//   key       config key
//   label     form label
//   type      'lr' (log slider) | 'number' | 'int' | 'bool' | 'choice' |
//             'list' (numbers, comma separated) | 'intlist' | 'betas' | 'json'
//   default   the core's value when the key is absent (what PyTorch code gets);
//             undefined for required options
//   initial   value the form fills in when the item is chosen (a number or a
//             function of the run config); falls back to `default`
//   optional  list fields left blank are omitted (the core's default applies)
//   omitWhen  the key is left out of the config at this value (options the
//             core gained recently: a config without them runs everywhere)
//   min, max, step, values, hint

const half = (cfg, f = 0.5) => Math.max(1, Math.round((cfg.steps ?? 100) * f));

// --- problems -----------------------------------------------------------------
// view: the contour's [xmin, xmax], [ymin, ymax] for 2-D problems.
// sgdLr: an η at which plain SGD makes progress (used when switching problem).
export const PROBLEMS = {
  quadratic: {
    label: 'quadratic bowl',
    fields: [
      { key: 'diag', label: 'diagonal of A', type: 'list', default: [1, 10], hint: 'eigenvalues, all > 0' },
      { key: 'rotation', label: 'rotation (°)', type: 'number', default: 0, omitWhen: 0, min: -180, max: 180, step: 5, twoDOnly: true },
      { key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '1, 1' },
    ],
    sgdLr: 0.1,
    steps: 100,
  },
  rosenbrock: {
    label: 'Rosenbrock valley',
    fields: [
      { key: 'a', label: 'a', type: 'number', default: 1 },
      { key: 'b', label: 'b', type: 'number', default: 100, min: 0 },
      { key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '-1.5, 2' },
    ],
    view: [[-2, 2], [-1, 3]],
    sgdLr: 0.002,
    steps: 300,
  },
  beale: {
    label: 'Beale',
    fields: [{ key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '1, 1.5' }],
    view: [[-1, 4.5], [-1.5, 2.5]],
    sgdLr: 0.01,
    steps: 300,
  },
  himmelblau: {
    label: 'Himmelblau (four minima)',
    fields: [{ key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '0, 0' }],
    view: [[-5.5, 5.5], [-5.5, 5.5]],
    sgdLr: 0.01,
    steps: 200,
  },
  rastrigin: {
    label: 'Rastrigin (many minima)',
    fields: [
      { key: 'dim', label: 'dimension', type: 'int', default: 2, min: 1, max: 1000 },
      { key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '2.2, 2.2' },
    ],
    view: [[-3.2, 3.2], [-3.2, 3.2]],
    sgdLr: 0.002,
    steps: 200,
  },
  double_well: {
    label: 'double well (1-D)',
    fields: [{ key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '2.5' }],
    sgdLr: 0.1,
    steps: 100,
  },
  saddle: {
    label: 'saddle',
    fields: [
      { key: 'a', label: 'curvature a', type: 'number', default: 1, min: 0, step: 0.1 },
      { key: 'x0', label: 'start x₀', type: 'list', optional: true, placeholder: '1.5, 0.001' },
    ],
    view: [[-1.5, 1.5], [-1.8, 1.8]],
    sgdLr: 0.1,
    steps: 100,
  },
  sparse_linear: {
    label: 'sparse linear regression',
    data: true,
    fields: [
      { key: 'n_samples', label: 'samples', type: 'int', default: 1000, min: 10, max: 100000 },
      { key: 'dim', label: 'features', type: 'int', default: 20, min: 1, max: 500 },
      { key: 'rare_fraction', label: 'rare share', type: 'number', default: 0.5, min: 0, max: 1, step: 0.05 },
      { key: 'rare_prob', label: 'rare probability', type: 'number', default: 0.05, min: 0, max: 1, step: 0.01 },
      { key: 'noise', label: 'label noise', type: 'number', default: 0.1, min: 0, step: 0.05 },
    ],
    sgdLr: 0.1,
    steps: 300,
  },
  logistic_regression: {
    label: 'digits: logistic regression',
    data: true,
    fields: [{ key: 'l2', label: 'L2 penalty', type: 'number', default: 0, min: 0, step: 0.001 }],
    sgdLr: 0.5,
    steps: 300,
  },
  mlp: {
    label: 'digits: MLP classifier',
    data: true,
    fields: [
      { key: 'hidden', label: 'hidden units', type: 'int', default: 32, min: 1, max: 512 },
      { key: 'activation', label: 'activation', type: 'choice', default: 'relu', values: ['relu', 'tanh'] },
    ],
    sgdLr: 0.1,
    steps: 300,
  },
};

// --- optimizers -----------------------------------------------------------------
const lr = (fallback) => ({ key: 'lr', label: 'learning rate η', type: 'lr', default: fallback, min: 1e-5, max: 10 });
const wd = (fallback = 0) => ({ key: 'weight_decay', label: 'weight decay', type: 'number', default: fallback, min: 0, step: 0.001 });
const betas = (b2 = 0.999) => ({ key: 'betas', label: 'betas', type: 'betas', default: [0.9, b2] });
const eps = (fallback) => ({ key: 'eps', label: 'ε', type: 'number', default: fallback, min: 0 });

export const OPTIMIZERS = {
  sgd: {
    label: 'SGD', torch: 'SGD', momentum: true,
    fields: [lr(undefined),
      { key: 'momentum', label: 'momentum μ', type: 'number', default: 0, min: 0, max: 0.999, step: 0.05 },
      { key: 'dampening', label: 'dampening', type: 'number', default: 0, min: 0, max: 1, step: 0.05 },
      { key: 'nesterov', label: 'Nesterov', type: 'bool', default: false },
      wd()],
  },
  adagrad: {
    label: 'Adagrad', torch: 'Adagrad', momentum: false,
    fields: [lr(0.01),
      { key: 'lr_decay', label: 'lr decay', type: 'number', default: 0, min: 0 },
      { key: 'initial_accumulator_value', label: 'initial accumulator', type: 'number', default: 0, min: 0, step: 0.1 },
      eps(1e-10), wd()],
  },
  rmsprop: {
    label: 'RMSprop', torch: 'RMSprop', momentum: true,
    fields: [lr(0.01),
      { key: 'alpha', label: 'α', type: 'number', default: 0.99, min: 0, max: 1, step: 0.01 },
      eps(1e-8),
      { key: 'momentum', label: 'momentum μ', type: 'number', default: 0, min: 0, max: 0.999, step: 0.05 },
      { key: 'centered', label: 'centered', type: 'bool', default: false },
      wd()],
  },
  adam: {
    label: 'Adam', torch: 'Adam', momentum: true,
    fields: [lr(0.001), betas(), eps(1e-8), wd(), { key: 'amsgrad', label: 'AMSGrad', type: 'bool', default: false }],
  },
  adamw: {
    label: 'AdamW', torch: 'AdamW', momentum: true,
    fields: [lr(0.001), betas(), eps(1e-8), wd(0.01), { key: 'amsgrad', label: 'AMSGrad', type: 'bool', default: false }],
  },
  adadelta: {
    label: 'Adadelta', torch: 'Adadelta', momentum: false,
    fields: [lr(1.0), { key: 'rho', label: 'ρ', type: 'number', default: 0.9, min: 0, max: 1, step: 0.01 }, eps(1e-6), wd()],
  },
  adamax: {
    label: 'Adamax', torch: 'Adamax', momentum: true,
    fields: [lr(0.002), betas(), eps(1e-8), wd()],
  },
  nadam: {
    label: 'NAdam', torch: 'NAdam', momentum: true,
    fields: [lr(0.002), betas(), eps(1e-8), wd(),
      { key: 'momentum_decay', label: 'momentum decay ψ', type: 'number', default: 0.004, min: 0, step: 0.001 }],
  },
  radam: {
    label: 'RAdam', torch: 'RAdam', momentum: true,
    fields: [lr(0.001), betas(), eps(1e-8), wd()],
  },
  lion: {
    label: 'Lion', torch: 'Lion', momentum: true,
    fields: [lr(0.0001), betas(0.99), wd()],
  },
};

// --- schedules -------------------------------------------------------------------
const cycleMomentum = (cfg) => OPTIMIZERS[cfg.optimizer?.name]?.momentum ?? false;

export const SCHEDULES = {
  none: { label: 'constant (none)', fields: [] },
  step: {
    label: 'step decay', torch: 'StepLR',
    fields: [
      { key: 'step_size', label: 'step size', type: 'int', min: 1, initial: (c) => half(c, 1 / 3) },
      { key: 'gamma', label: 'γ', type: 'number', default: 0.1, min: 0, step: 0.05 },
    ],
  },
  multistep: {
    label: 'multi-step decay', torch: 'MultiStepLR',
    fields: [
      { key: 'milestones', label: 'milestones', type: 'intlist', initial: (c) => [half(c, 0.5), half(c, 0.75)] },
      { key: 'gamma', label: 'γ', type: 'number', default: 0.1, min: 0, step: 0.05 },
    ],
  },
  exponential: {
    label: 'exponential decay', torch: 'ExponentialLR',
    fields: [{ key: 'gamma', label: 'γ', type: 'number', min: 0, step: 0.001, initial: 0.99 }],
  },
  cosine: {
    label: 'cosine annealing', torch: 'CosineAnnealingLR',
    fields: [
      { key: 'T_max', label: 'T_max', type: 'int', min: 1, initial: (c) => half(c, 1) },
      { key: 'eta_min', label: 'η_min', type: 'number', default: 0, min: 0 },
    ],
  },
  cosine_warm_restarts: {
    label: 'cosine with warm restarts', torch: 'CosineAnnealingWarmRestarts',
    fields: [
      { key: 'T_0', label: 'T_0', type: 'int', min: 1, initial: (c) => half(c, 0.25) },
      { key: 'T_mult', label: 'T_mult', type: 'int', default: 1, min: 1, max: 10 },
      { key: 'eta_min', label: 'η_min', type: 'number', default: 0, min: 0 },
    ],
  },
  linear: {
    label: 'linear warm-up', torch: 'LinearLR',
    fields: [
      { key: 'start_factor', label: 'start factor', type: 'number', default: 1 / 3, min: 0, max: 1, step: 0.05, initial: 0.1 },
      { key: 'end_factor', label: 'end factor', type: 'number', default: 1, min: 0, max: 1, step: 0.05 },
      { key: 'total_iters', label: 'total iters', type: 'int', default: 5, min: 0, initial: (c) => half(c, 0.1) },
    ],
  },
  constant: {
    label: 'constant warm-up', torch: 'ConstantLR',
    fields: [
      { key: 'factor', label: 'factor', type: 'number', default: 1 / 3, min: 0, max: 1, step: 0.05 },
      { key: 'total_iters', label: 'total iters', type: 'int', default: 5, min: 0, initial: (c) => half(c, 0.1) },
    ],
  },
  polynomial: {
    label: 'polynomial decay', torch: 'PolynomialLR',
    fields: [
      { key: 'total_iters', label: 'total iters', type: 'int', default: 5, min: 0, initial: (c) => half(c, 1) },
      { key: 'power', label: 'power', type: 'number', default: 1, min: 0, step: 0.1 },
    ],
  },
  one_cycle: {
    label: 'one-cycle', torch: 'OneCycleLR',
    fields: [
      { key: 'max_lr', label: 'max η', type: 'number', min: 0, initial: (c) => c.optimizer?.lr ?? 0.1 },
      { key: 'total_steps', label: 'total steps', type: 'int', min: 1, initial: (c) => half(c, 1) },
      { key: 'pct_start', label: 'rising share', type: 'number', default: 0.3, min: 0, max: 1, step: 0.05 },
      { key: 'anneal_strategy', label: 'anneal', type: 'choice', default: 'cos', values: ['cos', 'linear'] },
      { key: 'div_factor', label: 'div factor', type: 'number', default: 25, min: 0 },
      { key: 'final_div_factor', label: 'final div factor', type: 'number', default: 1e4, min: 0 },
      { key: 'three_phase', label: 'three phases', type: 'bool', default: false },
      { key: 'cycle_momentum', label: 'cycle momentum', type: 'bool', default: true, initial: cycleMomentum },
      { key: 'base_momentum', label: 'base momentum', type: 'number', default: 0.85, min: 0, max: 0.999, step: 0.01 },
      { key: 'max_momentum', label: 'max momentum', type: 'number', default: 0.95, min: 0, max: 0.999, step: 0.01 },
    ],
  },
  cyclic: {
    label: 'cyclic', torch: 'CyclicLR',
    fields: [
      { key: 'base_lr', label: 'base η', type: 'number', min: 0, initial: (c) => Number(((c.optimizer?.lr ?? 0.1) / 10).toPrecision(3)) },
      { key: 'max_lr', label: 'max η', type: 'number', min: 0, initial: (c) => c.optimizer?.lr ?? 0.1 },
      { key: 'step_size_up', label: 'steps up', type: 'int', default: 2000, min: 1, initial: (c) => half(c, 0.125) },
      { key: 'step_size_down', label: 'steps down', type: 'int', default: null, min: 0, nullable: true },
      { key: 'mode', label: 'mode', type: 'choice', default: 'triangular', values: ['triangular', 'triangular2', 'exp_range'] },
      { key: 'gamma', label: 'γ', type: 'number', default: 1, min: 0, step: 0.001 },
      { key: 'cycle_momentum', label: 'cycle momentum', type: 'bool', default: true, initial: cycleMomentum },
      { key: 'base_momentum', label: 'base momentum', type: 'number', default: 0.8, min: 0, max: 0.999, step: 0.01 },
      { key: 'max_momentum', label: 'max momentum', type: 'number', default: 0.9, min: 0, max: 0.999, step: 0.01 },
    ],
  },
  sequential: {
    label: 'sequential (one after another)', torch: 'SequentialLR',
    fields: [
      { key: 'schedulers', label: 'schedulers (JSON list)', type: 'json',
        initial: (c) => [{ name: 'linear', start_factor: 0.1, total_iters: half(c, 0.1) }, { name: 'cosine', T_max: Math.max(1, half(c, 1) - half(c, 0.1)) }] },
      { key: 'milestones', label: 'milestones', type: 'intlist', initial: (c) => [half(c, 0.1)] },
    ],
  },
  chained: {
    label: 'chained (at once)', torch: 'ChainedScheduler',
    fields: [
      { key: 'schedulers', label: 'schedulers (JSON list)', type: 'json',
        initial: (c) => [{ name: 'constant', factor: 0.5, total_iters: half(c, 0.1) }, { name: 'exponential', gamma: 0.99 }] },
    ],
  },
  warmup_cosine: {
    label: 'linear warm-up + cosine',
    fields: [
      { key: 'warmup_steps', label: 'warm-up steps', type: 'int', min: 0, initial: (c) => half(c, 0.1) },
      { key: 'total_steps', label: 'total steps', type: 'int', min: 1, initial: (c) => half(c, 1) },
      { key: 'warmup_start_factor', label: 'start factor', type: 'number', default: 0, min: 0, max: 1, step: 0.05 },
      { key: 'eta_min', label: 'η_min', type: 'number', default: 0, min: 0 },
    ],
  },
};

// Reduce on plateau (ReduceLROnPlateau): feedback on the validation loss.
export const PLATEAU = {
  torch: 'ReduceLROnPlateau',
  fields: [
    { key: 'factor', label: 'factor', type: 'number', default: 0.1, min: 0, max: 1, step: 0.05, initial: 0.5 },
    { key: 'patience', label: 'patience', type: 'int', default: 10, min: 0, initial: 3 },
    { key: 'cooldown', label: 'cooldown', type: 'int', default: 0, min: 0 },
    { key: 'threshold', label: 'threshold', type: 'number', default: 1e-4, min: 0 },
    { key: 'threshold_mode', label: 'threshold mode', type: 'choice', default: 'rel', values: ['rel', 'abs'] },
    { key: 'min_lr', label: 'min η', type: 'number', default: 0, min: 0 },
    { key: 'mode', label: 'mode', type: 'choice', default: 'min', values: ['min', 'max'], hidden: true },
    { key: 'eps', label: 'eps', type: 'number', default: 1e-8, min: 0, hidden: true },
  ],
};

// Top-level run options. gradient_noise is omitted at 0 so that a config
// without it runs on a core that predates the key.
export const RUN_FIELDS = [
  { key: 'steps', label: 'steps', type: 'int', default: 100, min: 1, max: 5000 },
  { key: 'seed', label: 'seed', type: 'int', default: 0, min: 0, max: 2 ** 31 - 1 },
  { key: 'batch_size', label: 'batch size', type: 'int', default: 32, min: 1, max: 4096, dataOnly: true },
  { key: 'eval_every', label: 'evaluate every', type: 'int', default: 10, min: 1, max: 1000 },
  { key: 'gradient_noise', label: 'gradient noise σ', type: 'number', default: 0, omitWhen: 0, min: 0, step: 0.1 },
];

// Default value of `key` in a list of fields (undefined when required).
export function fieldDefault(fields, key) {
  return fields.find((f) => f.key === key)?.default;
}

// The value the form puts in when an item is chosen.
export function initialValue(field, cfg) {
  const v = typeof field.initial === 'function' ? field.initial(cfg) : field.initial;
  return v === undefined ? field.default : v;
}

// A fresh options object for a schedule / problem / plateau, filled with
// initial values of the fields that have one (required ones included).
export function initialOptions(fields, cfg) {
  const out = {};
  for (const f of fields) {
    if (f.optional || f.hidden) continue;
    const v = initialValue(f, cfg);
    if (v === undefined || (f.omitWhen !== undefined && v === f.omitWhen)) continue;
    out[f.key] = v;
  }
  return out;
}

export const isDataProblem = (problem) => Boolean(PROBLEMS[problem?.name]?.data);

// The problem's dimension when it is 1 or 2 (contour or curve), else null.
export function lowDimension(problem) {
  switch (problem?.name) {
    case 'rosenbrock': case 'beale': case 'himmelblau': case 'saddle': return 2;
    case 'double_well': return 1;
    case 'rastrigin': return (problem.dim ?? 2) <= 2 ? (problem.dim ?? 2) : null;
    case 'quadratic': {
      const n = Array.isArray(problem.A) ? problem.A.length : Array.isArray(problem.diag) ? problem.diag.length : 2;
      return n <= 2 ? n : null;
    }
    default: return null;
  }
}
