// Reading run results for drawing, without drawing: the points a 2-D path
// shows, a problem's known minimizers, the loss as a distance to the
// minimum. Every number comes from the engine's results; no DOM here.

// Stars for a problem's known minimizers (from the run result's problem info).
export function problemMarkers(problem) {
  const points = problem?.minimizers ?? (problem?.minimizer ? [problem.minimizer] : []);
  return points.filter((p) => Array.isArray(p) && p.length === 2).map(([x, y]) => ({ x, y }));
}

// Where the segment a→b (a inside the box) crosses the box's border.
function exitPoint(ax, ay, bx, by, box) {
  let t = 1;
  const limit = (from, to, lo, hi) => {
    if (!Number.isFinite(to)) return 0;
    if (to > hi) return (hi - from) / (to - from);
    if (to < lo) return (lo - from) / (to - from);
    return 1;
  };
  t = Math.min(t, limit(ax, bx, box.x[0], box.x[1]), limit(ay, by, box.y[0], box.y[1]));
  return [ax + t * (bx - ax), ay + t * (by - ay)];
}

// The iterates x_0 … x_upTo of a 2-D run as a flat [x, y, …] array for
// drawing. A run that leaves the plot for good (diverged, or on its way) is
// cut where it crosses the border, so its end mark stays in view instead of
// a bundle of lines through far-away points; `cross` says the end deserves
// a ✕: the run diverged, or it left the plot with its loss growing. A run
// that leaves and comes back is drawn whole.
export function visiblePath(result, range, upTo = Infinity) {
  const p = result.params;
  const last = Math.min(result.steps, upTo);
  const box = { x: shrink(range.x), y: shrink(range.y) };
  const inside = (i) => p[2 * i] >= box.x[0] && p[2 * i] <= box.x[1] && p[2 * i + 1] >= box.y[0] && p[2 * i + 1] <= box.y[1];
  let end = -1;  // the last finite iterate
  while (end < last && Number.isFinite(p[2 * end + 2]) && Number.isFinite(p[2 * end + 3])) end++;
  let lastInside = end;
  while (lastInside >= 0 && !inside(lastInside)) lastInside--;
  const diverged = result.divergedAt !== null && last >= result.steps;
  const growing = end > 0 && result.loss[end] > result.loss[0];
  if (lastInside === end || lastInside < 0) {
    return { xy: Float64Array.from(p.subarray(0, 2 * (end + 1))), cross: diverged, left: false };
  }
  const xy = Array.from(p.subarray(0, 2 * (lastInside + 1)));
  const i = lastInside;
  if (i + 1 <= end) xy.push(...exitPoint(p[2 * i], p[2 * i + 1], p[2 * i + 2], p[2 * i + 3], box));
  return { xy: Float64Array.from(xy), cross: diverged || growing, left: true, leftAt: i + 1 };
}
function shrink([lo, hi]) {
  const pad = 0.01 * (hi - lo);
  return [lo + pad, hi - pad];
}

// Loss as the curves show it: f − f* when the problem knows its minimum (so
// the log axis shows how far from the bottom a run is), else f.
export function lossGap(result) {
  const min = Number.isFinite(result.problem?.minimum) ? result.problem.minimum : 0;
  return Array.from(result.loss, (v) => (Number.isFinite(v) ? Math.max(0, v - min) : v));
}
