// Figure ids (the public names used by <lrlab-figure name="…">) and the module
// that implements each. Modules load on demand, when a figure first scrolls
// into view.
export const FIGURES = {
  'one-step': () => import('./one-step.js'),
};
