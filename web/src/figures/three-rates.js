// Figure "three-rates": gradient descent on an ill-conditioned 2-D quadratic
// with three learning rates at once — too small, about right, too large.
//
// The problem is f(x) = ½ (x₁² + λmax·x₂²), started at x0 = (−1.8, 0.9). Along
// x₂ one step multiplies the error by (1 − η λmax), so the run is stable
// exactly when η < 2/λmax (the "edge of stability" of Cohen et al., 2021 is
// this limit seen in neural networks); along the flat x₁ direction the
// factor is (1 − η), so a small η crawls. The figure draws the three paths on
// the contour plot, their loss curves on a log axis, and marks 2/λmax (taken
// from the run result's problem.lambda_max) on every η slider.
//
// Attributes (a bad value falls back to the default and leaves a note):
//   lambda-max  λmax, the steep curvature (λmin is 1)   default 10,  range [1, 1000]
//   lr-small    η of the "too small" run                default 0.1/λmax   (0.01)
//   lr-good     η of the "about right" run              default 1.5/λmax   (0.15)
//   lr-large    η of the "too large" run                default 2.1/λmax   (0.21)
//   steps       steps per run                           default 40,  range [5, 500]
// Every η must lie in the sliders' range [2/λmax / 200, 5 · 2/λmax]
// (0.001 to 1 for λmax = 10).
//
// Helpers exported here are shared with the optimizer-race figure: LossCurves
// (several runs' losses on a log axis with hover readout and divergence
// labels), visiblePath (a run's iterates for the contour, cut where a
// diverged run leaves the plot), problemMarkers and the dirty-set recompute.
import { latestOnly } from '../engine/engine.js';
import { axis, cssColor, forLogAxis, logAxis, themed } from '../ui/chart.js';
import { createLogSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../ui/format.js';
import { Figure } from './figure.js';

const X0 = [-1.8, 0.9];
const RANGE = { x: [-2.4, 2.4], y: [-1.5, 1.5] };
const GRID_POINTS = 121;

// The three runs: id (also the computation key run:<id>), slider label,
// default η as a multiple of 1/λmax, palette colour.
const SLOTS = [
  { id: 'small', label: 'too small', attr: 'lr-small', factor: 0.1, color: 1 },
  { id: 'good', label: 'about right', attr: 'lr-good', factor: 1.5, color: 3 },
  { id: 'large', label: 'too large', attr: 'lr-large', factor: 2.1, color: 2 },
];

// ---------------------------------------------------------------------------
// Shared helpers (also used by optimizer-race.js).

// A palette colour as a CSS variable (follows the theme by itself) and as a
// draw-time colour for canvases.
export function paletteVar(k) {
  return `var(--lr-c${k})`;
}
const PALETTE_FALLBACK = ['#1668b0', '#c2364a', '#23874f', '#b86e00', '#7048a8', '#5f6672'];
export function paletteColor(el, k) {
  return themed(el, `--lr-c${k}`, PALETTE_FALLBACK[(k - 1) % PALETTE_FALLBACK.length]);
}

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

// Collects what changed and recomputes only that: `request(id, …)` marks
// runs dirty; `task(ids)` then runs with every id marked since its last call
// (possibly none: a redraw only). Wrapped in latestOnly, so a drag never
// queues stale work.
export function dirtyQueue(task) {
  const dirty = new Set();
  const run = latestOnly(() => {
    const ids = [...dirty];
    dirty.clear();
    return task(ids);
  });
  return (...ids) => {
    for (const id of ids) dirty.add(id);
    run();
  };
}

// Several runs' loss curves on a log axis, one fixed slot per run. Each set()
// takes, per slot, null (hidden) or {values, divergedAt}; the values are
// clamped into a drawable range ([floor, 10⁶ × the largest starting value]),
// a diverged curve stops at its last step with "✕ diverged at step k", and an
// optional `upTo` cuts every curve at that step (for Play) and draws a
// cursor there. Hovering writes every run's value at that step beneath.
export class LossCurves {
  constructor(figure, box, { slots, yLabel = 'loss', floor = 1e-12, sizing = { aspect: 0.8, minHeight: 240, maxHeight: 420 } }) {
    this.figure = figure;
    this.slots = slots;  // [{label, color: () => css, cssColor: 'var(--…)'}]
    this.floor = floor;
    this.range = [floor, 1];
    this.steps = 1;
    this.entries = slots.map(() => null);
    this.upTo = null;
    const el = figure.container;
    this.plot = figure.chart(box, {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      scales: {
        x: { time: false, range: () => [0, this.steps] },
        y: { distr: 3, range: () => this.range },
      },
      axes: [axis(el, { label: 'step t' }), logAxis(el, { label: yLabel })],
      series: [{}, ...slots.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false }, spanGaps: false }))],
      hooks: {
        draw: [(u) => this.drawMarks(u)],
        setCursor: [(u) => this.showReadout(u.cursor.idx)],
      },
    }, [[0, 1], ...slots.map(() => [null, null])], sizing);
    this.readout = element('p', 'lr-readout');
    this.readout.setAttribute('aria-hidden', 'true');
    this.readout.textContent = '\u00a0';
    box.after(this.readout);
  }

  set(entries, { steps, upTo = null }) {
    this.entries = entries;
    this.steps = Math.max(1, steps);
    this.upTo = upTo;
    let lo = Infinity, hi = 0, start = 0;
    for (const e of entries) {
      if (!e) continue;
      if (Number.isFinite(e.values[0])) start = Math.max(start, e.values[0]);
      for (const v of e.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    const ceil = Math.max(start, this.floor * 10) * 1e6;
    lo = Math.max(this.floor, lo);
    hi = Math.min(ceil, Math.max(hi, lo * 10));
    if (!(hi > lo)) { lo = this.floor; hi = 1; }
    // Whole decades, so the power-of-ten ticks frame the curves.
    this.range = [10 ** Math.floor(Math.log10(lo) - 1e-9), 10 ** Math.ceil(Math.log10(hi) + 1e-9)];
    const xs = Array.from({ length: this.steps + 1 }, (_, i) => i);
    const last = upTo ?? this.steps;
    // forLogAxis turns what a log axis cannot draw into gaps; the clamp then
    // keeps a diverging curve's last steps at the top edge, never NaN or ∞.
    const columns = entries.map((e) => {
      const values = e ? forLogAxis(e.values) : [];
      return xs.map((i) => {
        if (!e || i > last || i >= values.length || values[i] === null) return null;
        return Math.min(this.range[1], Math.max(this.range[0], values[i]));
      });
    });
    this.slots.forEach((s, k) => {
      const show = entries[k] !== null;
      if (this.plot.series[k + 1].show !== show) this.plot.setSeries(k + 1, { show });
    });
    this.plot.setData([xs, ...columns]);
  }

  drawMarks(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const el = this.figure.container;
    ctx.save();
    if (this.upTo !== null && this.upTo < this.steps) {
      const x = u.valToPos(this.upTo, 'x', true);
      ctx.strokeStyle = cssColor(el, '--lr-muted', '#666');
      ctx.lineWidth = dpr;
      ctx.setLineDash([3 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    let row = 0;
    this.entries.forEach((e, k) => {
      if (!e || e.divergedAt === null || (this.upTo !== null && this.upTo < e.divergedAt)) return;
      const step = e.divergedAt;
      const v = Math.min(this.range[1], Math.max(this.range[0], e.values[Math.min(step, e.values.length - 1)] ?? this.range[1]));
      const x = u.valToPos(step, 'x', true);
      const y = u.valToPos(Number.isFinite(v) ? v : this.range[1], 'y', true);
      const r = 5 * dpr;
      ctx.strokeStyle = this.slots[k].color();
      ctx.lineWidth = 2.5 * dpr;
      ctx.beginPath();
      ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
      ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r);
      ctx.stroke();
      ctx.fillStyle = cssColor(el, '--lr-danger', '#c62828');
      ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
      const text = `${this.slots[k].short ?? this.slots[k].label}: diverged at step ${step}`;
      const width = ctx.measureText(text).width;
      const right = u.bbox.left + u.bbox.width;
      const ty = Math.max(u.bbox.top + 4 * dpr, Math.min(u.bbox.top + u.bbox.height - 16 * dpr, y + (8 + 15 * row) * dpr));
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      const tx = Math.min(right - width - 4 * dpr, Math.max(u.bbox.left + 4 * dpr, x + 8 * dpr));
      ctx.fillText(text, tx, ty);
      row++;
    });
    ctx.restore();
  }

  showReadout(idx) {
    if (idx === null || idx === undefined) {
      this.readout.textContent = '\u00a0';
      return;
    }
    const parts = [element('span', '', `step ${idx}:`)];
    this.entries.forEach((e, k) => {
      if (!e) return;
      const v = e.values[idx];
      const span = element('span', 'lr-readout-item', ` ${this.slots[k].short ?? this.slots[k].label} `);
      span.style.color = this.slots[k].cssColor;
      const value = idx >= e.values.length ? (e.divergedAt !== null ? 'diverged' : '—') : formatNumber(v);
      parts.push(span, value);
    });
    this.readout.replaceChildren(...parts);
  }
}

// Loss as the curves show it: f − f* when the problem knows its minimum (so
// the log axis shows how far from the bottom a run is), else f.
export function lossGap(result) {
  const min = Number.isFinite(result.problem?.minimum) ? result.problem.minimum : 0;
  return Array.from(result.loss, (v) => (Number.isFinite(v) ? Math.max(0, v - min) : v));
}

// ---------------------------------------------------------------------------

export default class ThreeRatesFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Gradient descent on an ill-conditioned quadratic with three learning rates' });
    this.lambdaMax = this.number('lambda-max', { fallback: 10, min: 1, max: 1000 });
    this.steps = this.integer('steps', { fallback: 40, min: 5, max: 500 });
    // The limit is known analytically for the diagonal problem; the figure
    // shows the one the core reports (problem.lambda_max) once a run is back.
    this.limit = 2 / this.lambdaMax;
    this.lrMin = Number((this.limit / 200).toPrecision(3));
    this.lrMax = Number((this.limit * 5).toPrecision(3));
    this.lrs = {};
    for (const s of SLOTS) {
      const fallback = Number((s.factor / this.lambdaMax).toPrecision(3));
      this.lrs[s.id] = this.number(s.attr, { fallback, min: this.lrMin, max: this.lrMax });
    }
    this.showNotes();
    this.results = {};
    this.slotsView = SLOTS.map((s) => ({
      ...s,
      short: s.label,
      color: paletteColor(container, s.color),
      cssColor: paletteVar(s.color),
    }));
    this.buildControls();
    this.panels.classList.add('tr-panels');
    this.contourBox = this.panel(`paths on f(x) = ½ (x₁² + ${formatNumber(this.lambdaMax)} x₂²)`);
    this.lossBox = this.panel('loss per step (log scale)');
    this.curves = new LossCurves(this, this.lossBox, { slots: this.slotsView, yLabel: 'loss f(x)', sizing: { aspect: 0.5, minHeight: 220, maxHeight: 360 } });
    this.request = dirtyQueue((ids) => this.recompute(ids));
    this.request(...SLOTS.map((s) => s.id));
  }

  buildControls() {
    this.sliders = {};
    for (const s of SLOTS) {
      const slider = createLogSlider({
        label: `${s.label} η`, symbol: `${s.label} η`, min: this.lrMin, max: this.lrMax, value: this.lrs[s.id],
        onInput: (v) => {
          this.lrs[s.id] = v;
          this.request(s.id);
        },
      });
      slider.element.classList.add('tr-slider');
      slider.input.style.accentColor = paletteVar(s.color);
      slider.input.dataset.run = s.id;
      // A red tick on the track at η = 2/λmax.
      const track = element('span', 'tr-track');
      slider.input.replaceWith(track);
      const tick = element('span', 'tr-limit');
      tick.setAttribute('aria-hidden', 'true');
      track.append(slider.input, tick);
      const badge = element('span', 'tr-past');
      slider.element.append(badge);
      this.sliders[s.id] = { slider, tick, badge };
    }
    this.hint = element('p', 'lr-hint tr-hint');
    this.legend = element('ul', 'lr-legend');
    this.controls.append(...SLOTS.map((s) => this.sliders[s.id].slider.element), this.hint, this.legend);
    this.placeLimit();
  }

  // Positions the 2/λmax tick on every track and flags the runs past it.
  placeLimit() {
    const at = (Math.log10(this.limit) - Math.log10(this.lrMin)) / (Math.log10(this.lrMax) - Math.log10(this.lrMin));
    for (const s of SLOTS) {
      const { tick, badge, slider } = this.sliders[s.id];
      tick.style.setProperty('--at', String(Math.min(1, Math.max(0, at))));
      const past = this.lrs[s.id] >= this.limit;
      badge.textContent = past ? 'past 2/λmax' : '';
      slider.input.setAttribute('aria-description', past ? `past the stability limit 2/λmax = ${formatNumber(this.limit)}` : `below the stability limit 2/λmax = ${formatNumber(this.limit)}`);
    }
    this.hint.textContent = `The red tick on each track marks the stability limit η = 2/λmax = ${formatNumber(this.limit)}: past it, every step overshoots the steep direction by more than it corrects.`;
  }

  problem() {
    return { name: 'quadratic', diag: [1, this.lambdaMax], x0: X0 };
  }

  config(id) {
    return { problem: this.problem(), optimizer: { name: 'sgd', lr: this.lrs[id] }, steps: this.steps, record: { params: true } };
  }

  async recompute(ids) {
    let done;
    try {
      done = await Promise.all(ids.map((id) => {
        const config = this.config(id);
        return this.engine.run(config).then((result) => ({ id, config, result }));
      }));
    } catch (err) {
      if (!this.disposed) this.fail(err, 'run gradient descent');
      return;
    }
    if (this.disposed) return;  // removed from the page while computing
    for (const { id, config, result } of done) {
      this.results[id] = result;
      this.track(`run:${id}`, 'run', config, result);
    }
    const problem = done[0].result.problem;
    if (Number.isFinite(problem?.lambda_max)) this.limit = 2 / problem.lambda_max;
    if (!this.contourChart) {
      const config = { problem: this.problem(), grid: { x: RANGE.x, y: RANGE.y, nx: GRID_POINTS, ny: GRID_POINTS } };
      this.contourChart = this.contour(this.contourBox, {
        problem: config.problem, x: RANGE.x, y: RANGE.y, n: GRID_POINTS, markers: problemMarkers(problem),
      }, { aspect: 0.62, minHeight: 230, maxHeight: 440 });
      try {
        const grid = await this.contourChart.ready;
        if (this.disposed) return;
        this.track('grid:contour', 'grid', config, { x: grid.x, y: grid.y, nx: grid.nx, ny: grid.ny, values: grid.values });
      } catch (err) {
        this.fail(err, 'draw the contour plot');
        return;
      }
    }
    if (SLOTS.some((s) => !this.results[s.id])) return;
    this.render();
    this.drawn();
  }

  render() {
    const runs = SLOTS.map((s) => this.results[s.id]);
    const paths = runs.map((r) => visiblePath(r, RANGE));
    this.contourChart.setPaths(SLOTS.map((s, k) => ({
      xy: paths[k].xy, diverged: paths[k].cross, color: this.slotsView[k].color, label: s.label,
    })));
    this.curves.set(runs.map((r) => ({ values: r.loss, divergedAt: r.divergedAt })), { steps: this.steps });
    this.placeLimit();
    this.renderLegend(runs, paths);
    this.renderStatus(runs);
    this.renderData(runs);
    this.container.dataset.past = SLOTS.filter((s) => this.lrs[s.id] >= this.limit).map((s) => s.id).join(',');
  }

  renderLegend(runs, paths) {
    this.legend.replaceChildren(...SLOTS.map((s, k) => {
      const li = element('li');
      const swatch = element('span', 'lr-swatch');
      swatch.style.color = paletteVar(s.color);
      const r = runs[k];
      let tail = '';
      if (r.divergedAt !== null) tail = ` — diverged at step ${r.divergedAt} ✕`;
      else if (paths[k].left && paths[k].cross) tail = ` — leaves the plot at step ${paths[k].leftAt} ✕`;
      li.append(swatch, `${s.label}: η = ${formatNumber(this.lrs[s.id])}${tail}`);
      if (r.divergedAt !== null) li.classList.add('lr-danger');
      return li;
    }));
  }

  describe(s, r) {
    const f = formatNumber;
    const eta = `the ${s.label} η = ${f(this.lrs[s.id])}`;
    if (r.divergedAt !== null) return `${eta} diverged at step ${r.divergedAt}`;
    const end = r.loss[r.steps];
    if (end > r.loss[0]) return `${eta} zig-zags ever wider: its loss grows from ${f(r.loss[0])} to ${f(end)}`;
    return `${eta} brings the loss from ${f(r.loss[0])} to ${f(end)}`;
  }

  renderStatus(runs) {
    const past = SLOTS.filter((s) => this.lrs[s.id] >= this.limit);
    const parts = SLOTS.map((s, k) => this.describe(s, runs[k]));
    const first = `In ${this.steps} steps, ${parts[0]}; ${parts[1]}; ${parts[2]}.`;
    const names = past.map((s) => `${s.label} (η = ${formatNumber(this.lrs[s.id])})`);
    const second = past.length === 0
      ? `No run is past the stability limit 2/λmax = ${formatNumber(this.limit)}.`
      : `Past the stability limit 2/λmax = ${formatNumber(this.limit)}: ${names.join(', ')}.`;
    this.status.textContent = `${first[0].toUpperCase()}${first.slice(1)} ${second}`;
    this.status.classList.toggle('lr-danger', runs.some((r) => r.divergedAt !== null));
  }

  dispose() {
    this.disposed = true;
    super.dispose();
  }

  renderData(runs) {
    const columns = ['step'];
    for (const s of SLOTS) columns.push(`${s.label} loss`, `${s.label} x₁`, `${s.label} x₂`);
    const rows = [];
    for (let t = 0; t <= this.steps; t++) {
      const row = [t];
      for (const r of runs) {
        const inRun = t <= r.steps;
        row.push(inRun ? r.loss[t] : null, inRun ? r.params[2 * t] : null, inRun ? r.params[2 * t + 1] : null);
      }
      rows.push(row);
    }
    const caption = `Gradient descent on f(x) = ½ (x₁² + ${formatNumber(this.lambdaMax)} x₂²) from (${X0.join(', ')}), η = ${SLOTS.map((s) => formatNumber(this.lrs[s.id])).join(', ')}; 2/λmax = ${formatNumber(this.limit)}. Empty cells: the run had diverged.`;
    this.data.update(columns, rows, caption);
  }
}
