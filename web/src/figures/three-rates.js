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
import { createLogSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { problemMarkers, visiblePath } from '../model/results.js';
import { dirtyQueue } from '../model/tasks.js';
import { LossCurves, paletteColor, paletteVar } from '../ui/runs.js';
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

export default class ThreeRatesFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Gradient descent on an ill-conditioned quadratic with three learning rates' });
    this.lambdaMax = this.number('lambda-max', { fallback: 10, min: 1, max: 1000, config: 'problems.quadratic.diag[]' });
    this.steps = this.integer('steps', { fallback: 40, min: 5, max: 500, config: 'run.steps' });
    // The limit is known analytically for the diagonal problem; the figure
    // shows the one the core reports (problem.lambda_max) once a run is back.
    this.limit = 2 / this.lambdaMax;
    this.lrMin = Number((this.limit / 200).toPrecision(3));
    this.lrMax = Number((this.limit * 5).toPrecision(3));
    this.lrs = {};
    for (const s of SLOTS) {
      const fallback = Number((s.factor / this.lambdaMax).toPrecision(3));
      this.lrs[s.id] = this.number(s.attr, { fallback, min: this.lrMin, max: this.lrMax, config: 'optimizers.sgd.lr' });
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
    this.curves = new LossCurves(this, this.lossBox, { slots: this.slotsView, yLabel: 'loss f(x)', sizing: { aspect: 0.62, minHeight: 220, maxHeight: 440 } });
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
      this.keep(s.attr, () => this.lrs[s.id], slider);
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
      }, { aspect: 0.62, minHeight: 160, maxHeight: 440 });
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
      if (r.divergedAt !== null) tail = ` — diverged at step ${r.divergedAt}\u00a0✕`;
      else if (paths[k].left && paths[k].cross) tail = ` — leaves the plot at step ${paths[k].leftAt}\u00a0✕`;
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
