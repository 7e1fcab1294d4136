// What the "optimizer-race" figure races, as data: the racers (an optimizer
// of the core with the options it always has and those the reader edits),
// the sliders' spans for those options, and the surfaces with their start,
// plot box, step count and η per racer. Option names and defaults are the
// core's (model/schema.js); every span lies within the core's range
// (tests/js/schema-overlay.test.js).
import { optimizerLabel } from './catalog.js';
import { defaultOf, fieldsOf } from './schema.js';

export const LR_MIN = 1e-4;
export const LR_MAX = 10;
export const BASE = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];
export const EXTRAS = ['nesterov', 'nadam', 'adamw', 'radam', 'adamax', 'lion', 'adadelta'];

// What races in each lane: an optimizer of the core, options it always has
// (`fixed`), and the options the reader edits besides η (config paths; the
// betas pair as betas.0 and betas.1), starting at the core's defaults.
const BETAS = ['betas.0', 'betas.1'];
export const RACERS = {
  sgd: { optimizer: 'sgd', edit: [] },
  momentum: { optimizer: 'sgd', label: 'momentum', fixed: { momentum: 0.9 }, edit: ['momentum'] },
  adagrad: { optimizer: 'adagrad', edit: [] },
  rmsprop: { optimizer: 'rmsprop', edit: ['alpha'] },
  adam: { optimizer: 'adam', edit: BETAS },
  nesterov: { optimizer: 'sgd', label: 'Nesterov', fixed: { momentum: 0.9, nesterov: true }, edit: ['momentum'] },
  nadam: { optimizer: 'nadam', edit: BETAS },
  adamw: { optimizer: 'adamw', edit: BETAS },
  radam: { optimizer: 'radam', edit: BETAS },
  adamax: { optimizer: 'adamax', edit: BETAS },
  lion: { optimizer: 'lion', edit: BETAS },
  adadelta: { optimizer: 'adadelta', edit: ['rho'] },
};
export const racerLabel = (id) => RACERS[id].label ?? optimizerLabel(RACERS[id].optimizer);

// The race's slider for each editable option: its span (inside the core's
// range, tests/js/schema-overlay.test.js) and look. kind 'oneMinus': a slider
// over −log₁₀(1 − v), so 0.9, 0.99, 0.999, 0.9999 are evenly spaced (β₂ and α).
export const RACE_SLIDERS = {
  momentum: { symbol: 'μ', name: 'momentum', min: 0, max: 0.99, step: 0.01 },
  'betas.0': { symbol: 'β₁', name: 'beta 1', min: 0, max: 0.99, step: 0.01 },
  'betas.1': { symbol: 'β₂', name: 'beta 2', kind: 'oneMinus', min: 0.9, max: 0.9999 },
  alpha: { symbol: 'α', name: 'smoothing alpha', kind: 'oneMinus', min: 0.9, max: 0.9999 },
  rho: { symbol: 'ρ', name: 'rho', min: 0.5, max: 0.99, step: 0.01 },
};
export const RACE_LR = { min: LR_MIN, max: LR_MAX };
// Option names of older links (options="adam.beta2:0.99").
export const ALIASES = { beta1: 'betas.0', beta2: 'betas.1' };

// An option's value at a config path ("momentum", "betas.1") in an optimizer spec.
export function valueAt(spec, path) {
  const [key, index] = path.split('.');
  return index === undefined ? spec[key] : spec[key]?.[Number(index)];
}

// The core's default of an option path for an optimizer (its schema).
export function coreDefault(optimizer, path) {
  const [key, index] = path.split('.');
  const d = defaultOf(fieldsOf('optimizers', optimizer), key);
  return index === undefined ? d : d?.[Number(index)];
}

// The engine config of a lane: {name, lr, …fixed, …edited} with the pair
// rebuilt from its two sliders.
export function racerConfig(id, values) {
  const r = RACERS[id];
  const config = { name: r.optimizer, lr: values.lr, ...r.fixed };
  for (const path of r.edit) {
    const [key, index] = path.split('.');
    if (index === undefined) config[key] = values[path];
    else (config[key] ??= [...coreDefault(r.optimizer, key) ?? []])[Number(index)] = values[path];
  }
  return config;
}

// The rotated valley: eigenvalues 1 and 50, the long axis at 30°.
const VALLEY = { diag: [1, 50], rotation: 30 };

// Per surface: the problem, plot range, steps and η per optimizer. Found by
// running the native CLI: with these the race is close, nobody diverges, and
// the ranking differs between surfaces.
export const SURFACES = {
  rosenbrock: {
    label: 'Rosenbrock (curved valley)', name: 'Rosenbrock',
    problem: { name: 'rosenbrock', x0: [-1.2, 1] }, x: [-2, 2], y: [-1, 3], steps: 400,
    lr: { sgd: 0.002, momentum: 0.001, adagrad: 0.3, rmsprop: 0.02, adam: 0.1, nesterov: 0.001, nadam: 0.1, adamw: 0.1, radam: 0.002, adamax: 0.2, lion: 0.007, adadelta: 10 },
  },
  valley: {
    label: 'narrow rotated valley', name: 'the narrow valley',
    problem: { name: 'quadratic', ...VALLEY, x0: [-2.5, 0] }, x: [-3, 3], y: [-2, 2], steps: 100,
    lr: { sgd: 0.035, momentum: 0.01, adagrad: 1, rmsprop: 0.05, adam: 0.2, nesterov: 0.01, nadam: 0.2, adamw: 0.2, radam: 0.02, adamax: 0.2, lion: 0.02, adadelta: 10 },
  },
  saddle: {
    label: 'saddle', name: 'the saddle',
    problem: { name: 'saddle', x0: [-1.5, 0.001] }, x: [-2, 2], y: [-1.6, 1.6], steps: 100,
    lr: { sgd: 0.1, momentum: 0.03, adagrad: 0.3, rmsprop: 0.03, adam: 0.1, nesterov: 0.03, nadam: 0.1, adamw: 0.1, radam: 0.05, adamax: 0.1, lion: 0.03, adadelta: 10 },
  },
  beale: {
    label: 'Beale (flat plateau)', name: 'Beale',
    problem: { name: 'beale', x0: [1, 1.5] }, x: [-0.5, 4], y: [-1.5, 2], steps: 300,
    lr: { sgd: 0.01, momentum: 0.002, adagrad: 0.5, rmsprop: 0.02, adam: 0.1, nesterov: 0.002, nadam: 0.1, adamw: 0.1, radam: 0.01, adamax: 0.1, lion: 0.03, adadelta: 10 },
  },
  himmelblau: {
    label: 'Himmelblau (four minima)', name: 'Himmelblau',
    problem: { name: 'himmelblau', x0: [-0.3, -0.9] }, x: [-5, 5], y: [-5, 5], steps: 100,
    lr: { sgd: 0.005, momentum: 0.002, adagrad: 0.5, rmsprop: 0.05, adam: 0.1, nesterov: 0.002, nadam: 0.1, adamw: 0.1, radam: 0.05, adamax: 0.1, lion: 0.03, adadelta: 10 },
  },
};

// Every racer's options for a surface: its η from the surface's table, the
// rest as the racer starts (fixed) or the core's defaults. Keys are option
// paths: {lr, momentum} or {lr, 'betas.0', 'betas.1'}.
export function surfaceDefaults(surface) {
  const out = {};
  for (const [id, r] of Object.entries(RACERS)) {
    out[id] = { lr: SURFACES[surface].lr[id] };
    for (const path of r.edit) out[id][path] = valueAt(r.fixed ?? {}, path) ?? coreDefault(r.optimizer, path);
  }
  return out;
}
