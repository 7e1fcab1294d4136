// The lab's plots of its runs: loss per step (log axis; training and, for
// data problems, validation), η per step, and — when the selected run's
// problem is 2-D — the paths of every run on the same surface over its
// contour. The line charts are rebuilt only when the set of series changes;
// the contour only when the surface or its box does.
import { forLogAxis, seriesColor } from '../../ui/chart.js';
import { isDataProblem, lowDimension } from '../../model/catalog.js';
import { contourView, surfaceKey } from '../../model/lab-runs.js';
import { lossChart, lrChart, lrForAxis } from './charts.js';

const CONTOUR_POINTS = 121;
const SIZING = { aspect: 0.7, minHeight: 240, maxHeight: 360 };

export class LabPlots {
  constructor(figure) {
    this.figure = figure;
    this.lossBox = figure.panel('loss per step (log scale; dashed: validation)');
    this.lrBox = figure.panel('learning rate η per step (▼ plateau cut)');
    this.contourBox = figure.panel('the selected run\'s problem: paths of the runs on it');
    this.contourPanel = this.contourBox.parentElement;
    this.contourPanel.hidden = true;
    this.layoutKey = '';
    this.contour = null;
    this.contourKey = '';
  }

  chartRuns(list) {
    return list.runs.map((run, index) => ({ index, slot: run.slot, data: isDataProblem(run.config.problem), result: run.result }));
  }

  // (Re)creates the line charts when the set of series changed.
  ensureCharts(list, logLr, force = false) {
    const runs = this.chartRuns(list);
    const key = JSON.stringify([runs.map((r) => [r.slot, r.data]), logLr]);
    if (!force && key === this.layoutKey && this.lossChart) return;
    this.layoutKey = key;
    this.figure.dropChart(this.lossChart);
    this.figure.dropChart(this.lrChart);
    const getRuns = () => this.chartRuns(list);
    const blank = (n) => [[0, 1], ...Array.from({ length: n }, () => [null, null])];
    const lossSeries = runs.reduce((n, r) => n + (r.data ? 2 : 1), 0);
    const { container } = this.figure;
    this.lossChart = this.figure.chart(this.lossBox, lossChart(container, runs, getRuns), blank(lossSeries), SIZING);
    this.lrChart = this.figure.chart(this.lrBox, lrChart(container, runs, getRuns, logLr), blank(runs.length), SIZING);
  }

  // Every run's series on one step axis 0..maxSteps; returns maxSteps.
  draw(list, logLr) {
    this.ensureCharts(list, logLr);
    const maxSteps = Math.max(1, ...list.runs.map((r) => r.result?.steps ?? 0));
    const xs = Array.from({ length: maxSteps + 1 }, (_, t) => t);
    const pad = (values) => {
      const out = new Array(maxSteps + 1).fill(null);
      if (values) for (let t = 0; t < values.length && t <= maxSteps; t++) out[t] = values[t];
      return out;
    };
    const lossData = [xs];
    const lrData = [xs];
    for (const run of list.runs) {
      const r = run.result;
      lossData.push(pad(r ? forLogAxis(r.loss) : null));
      if (isDataProblem(run.config.problem)) {
        const val = new Array(maxSteps + 1).fill(null);
        if (r) {
          const v = forLogAxis(r.valLoss);
          r.valSteps.forEach((t, k) => { if (t <= maxSteps) val[t] = v[k]; });
        }
        lossData.push(val);
      }
      lrData.push(pad(r ? lrForAxis(r.lr, logLr) : null));
    }
    this.lossChart.setData(lossData);
    this.lrChart.setData(lrData);
    return maxSteps;
  }

  // The contour of the selected run's surface with every run on it; hidden
  // for problems that are not 2-D. Returns the grid's computation (config and
  // result) to track, or null; onError(message) when the grid fails.
  async drawContour(list, onError) {
    const run = list.run;
    const r = run.result;
    const twoD = r && r.dim === 2 && lowDimension(run.config.problem) === 2;
    this.contourPanel.hidden = !twoD;
    if (!twoD) {
      this.figure.dropChart(this.contour?.plot);
      this.contour = null;
      this.contourKey = '';
      this.grid = null;
      return null;
    }
    const start = [r.params[0], r.params[1]];
    const info = r.problem ?? {};
    const minimizers = (info.minimizers ?? (info.minimizer ? [info.minimizer] : [])).filter((m) => m.length === 2);
    const view = contourView(run.config.problem, start, minimizers);
    // The start does not change the surface: editing x₀ keeps the grid.
    const problem = structuredClone(run.config.problem);
    delete problem.x0;
    const key = JSON.stringify([problem, view]);
    if (key !== this.contourKey || !this.contour) {
      this.figure.dropChart(this.contour?.plot);
      this.contourKey = key;
      const markers = minimizers.map((m) => ({ x: m[0], y: m[1] }));
      const chart = this.figure.contour(this.contourBox, { problem, x: view.x, y: view.y, n: CONTOUR_POINTS, markers });
      this.contour = chart;
      this.grid = null;
      try {
        const grid = await chart.ready;
        if (chart === this.contour) this.grid = { config: { problem, grid: { x: view.x, y: view.y, nx: CONTOUR_POINTS, ny: CONTOUR_POINTS } }, result: grid };
      } catch (err) {
        onError(`The contour could not be drawn: ${err.message}`);
      }
    }
    const same = surfaceKey(run.config.problem);
    const paths = [];
    list.runs.forEach((other, i) => {
      const o = other.result;
      if (!o || o.dim !== 2 || surfaceKey(other.config.problem) !== same) return;
      paths.push({ xy: o.params, color: seriesColor(this.figure.container, other.slot), label: `run ${i + 1}`, diverged: o.divergedAt !== null, width: i === list.selected ? 2.5 : 1.5, dots: false, selected: i === list.selected });
    });
    // The selected run on top.
    paths.sort((a, b) => a.selected - b.selected);
    this.contour?.setPaths(paths);
    return this.grid;
  }
}
