// Figure ids (the public names used by <lrlab-figure name="…">) and the module
// that implements each. Modules load on demand, when a figure first scrolls
// into view. Every module's default export extends Figure (./figure.js).
export const FIGURES = {
  'one-step': () => import('./one-step.js'),
  'three-rates': () => import('./three-rates.js'),
  'lr-sweep': () => import('./lr-sweep.js'),
  'local-minima': () => import('./local-minima.js'),
  'noisy-gradients': () => import('./noisy-gradients.js'),
  plateau: () => import('./plateau.js'),
  'edge-of-stability': () => import('./edge-of-stability.js'),
  schedules: () => import('./schedules.js'),
  'optimizer-race': () => import('./optimizer-race.js'),
  'per-parameter': () => import('./per-parameter.js'),
  robustness: () => import('./robustness.js'),
  lab: () => import('./lab.js'),
};
