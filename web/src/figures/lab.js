// Figure "lab": everything at once. Up to four runs, each a full engine
// config — problem (the 2-D surfaces, the 1-D double well, sparse linear
// regression, logistic regression and an MLP on the digits), any of the ten
// optimizers and its options, any schedule, the plateau controller, seed,
// batch size, steps — compared on one loss chart (log axis, training and
// validation) and one η chart, with the paths on a contour plot when the
// selected run's problem is 2-D. An LR range test (Smith, 2017) on the
// selected run suggests an η and can start a one-cycle run (Smith & Topin,
// 2019) from it. Export: "Share and export" of the base class (link, embed
// code, CSV, JSON, PNG, every run as PyTorch 1.13 code), plus the selected
// run's PyTorch code shown in place.
//
// Attributes:
//   config  JSON of one run ({"problem": …, "optimizer": …, …}, the engine's
//           config format) or {"runs": [up to 4 of them]}, or base64url of
//           that JSON (share links: ?lab.config=…). Default: SGD with
//           momentum and Adam on Rosenbrock, 300 steps.
//           An old share link's #lab=<base64url of {"runs": […]}> takes
//           precedence. A state the lab cannot show (not JSON,
//           no runs, unknown names or keys) falls back to the default with a
//           note; values the engine rejects are shown as its messages next
//           to the form. At most 5000 steps per run.
//
// Engine work per edit: the edited run only (runs whose config did not
// change keep their results), plus the range test while its panel is open.
import { latestOnly } from '../model/tasks.js';
import { forLogAxis, seriesColor } from '../ui/chart.js';
import { button, element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { copyText } from '../ui/clipboard.js';
import { plainData, runStart } from '../export/figure-export.js';
import { pytorchCode } from '../export/pytorch.js';
import { Figure } from './figure.js';
import { OPTIMIZERS, PROBLEMS, SCHEDULES, isDataProblem, lowDimension } from '../model/catalog.js';
import { lossChart, lrChart, lrForAxis, rangeChart } from './lab/charts.js';
import { buildForm, markInvalid } from './lab/form.js';
import { MAX_RUNS, defaultRuns, readInitialState, toBase64Url } from '../model/lab-runs.js';

const RANGE_DEFAULTS = { lr_min: 1e-5, lr_max: 10, steps: 200 };
const CONTOUR_POINTS = 121;

const clone = (v) => structuredClone(v);
const issueText = ({ path, message }) => `${path}: ${message}`;

// Short description of a run for chips, legends and the status line.
function describe(config, { problem = false } = {}) {
  const o = config.optimizer;
  const parts = [`${OPTIMIZERS[o.name]?.label ?? o.name}`];
  const s = config.schedule?.name;
  if (s === 'one_cycle') parts.push(`one-cycle to ${formatNumber(config.schedule.max_lr)}`);
  else if (s === 'cyclic') parts.push(`cyclic ${formatNumber(config.schedule.base_lr)}–${formatNumber(config.schedule.max_lr)}`);
  else {
    parts.push(`η ${formatNumber(o.lr)}`);
    if (s && s !== 'none') parts.push(SCHEDULES[s]?.label ?? s);
  }
  if (o.momentum) parts.push(`μ ${formatNumber(o.momentum)}`);
  if (config.plateau) parts.push('plateau');
  if (problem) parts.push(PROBLEMS[config.problem.name]?.label ?? config.problem.name);
  return parts.join(', ');
}

export default class LabFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'The lab: compare up to four optimizer runs', dataFile: 'lrlab-lab.csv' });
    container.classList.add('lab');
    const configs = readInitialState(host, location.hash, this.notes);
    this.setting('config', null, null);
    this.runs = configs.map((config, i) => this.makeRun(config, i));
    this.selected = 0;
    // η on a log axis when the runs' rates differ by more than 10×.
    const lrs = configs.map((c) => c.optimizer.lr).filter((v) => v > 0);
    this.logLr = lrs.length > 1 && Math.max(...lrs) / Math.min(...lrs) > 10;
    this.rangeOpen = false;
    this.range = null;  // {key, config, result, slot}
    this.layoutKey = '';
    this.contourChart = null;
    this.contourKey = '';
    this.timing = { computeMs: 0, drawMs: 0, runs: 0 };

    this.buildDom();
    this.renderChips();
    this.renderForm();
    this.showNotes();
    this.compute = latestOnly(() => this.recompute());
    this.compute();
  }

  makeRun(config, slot) {
    return { config, slot, result: null, error: null, key: '', formErrors: new Map(), raw: new Map() };
  }

  get run() {
    return this.runs[this.selected];
  }

  // --- DOM ---------------------------------------------------------------------------------
  buildDom() {
    this.chips = element('ul', 'lab-runs');
    this.chips.setAttribute('aria-label', 'runs');
    this.addButton = button('+ Add run', () => this.addRun(), 'lab-add');
    this.addButton.title = 'Add a copy of the selected run';
    const runsBar = element('div', 'lab-runbar');
    runsBar.append(element('span', 'lab-runs-label', 'Runs'), this.chips, this.addButton);
    this.editing = element('p', 'lab-editing');
    this.formBox = element('div', 'lab-formbox');
    this.errors = element('div', 'lab-errors');
    this.errors.setAttribute('role', 'status');
    this.errors.setAttribute('aria-live', 'polite');
    const actions = element('div', 'lab-actions');
    this.rangeButton = button('LR range test', () => this.toggleRange(), 'lab-range-button');
    this.rangeButton.setAttribute('aria-expanded', 'false');
    const logLabel = element('label', 'checkbox');
    this.logInput = element('input');
    this.logInput.type = 'checkbox';
    this.logInput.name = 'lab.logLr';
    this.logInput.checked = this.logLr;
    this.logInput.addEventListener('change', () => {
      this.logLr = this.logInput.checked;
      this.compute();  // nothing to recompute: redraws with the new axis
    });
    logLabel.append(this.logInput, element('span', '', 'log η axis'));
    actions.append(this.rangeButton, logLabel);
    this.controls.classList.add('lab-controls');
    this.controls.append(runsBar, this.editing, this.formBox, this.errors, actions);
    this.tag('runs', runsBar);
    this.tag('form', this.editing, this.formBox, this.errors);
    this.tag('range', actions);

    this.lossBox = this.panel('loss per step (log scale; dashed: validation)');
    this.lrBox = this.panel('learning rate η per step (▼ plateau cut)');
    this.contourBox = this.panel('the selected run\'s problem: paths of the runs on it');
    this.contourPanel = this.contourBox.parentElement;
    this.contourPanel.hidden = true;
    this.rangeBox = this.panel('LR range test: loss while η grows exponentially', { wide: true });
    this.rangePanel = this.rangeBox.parentElement;
    this.rangePanel.hidden = true;
    this.buildRangeControls();
    this.buildExport();
  }

  buildRangeControls() {
    const row = element('div', 'lab-range-controls');
    this.rangeInputs = {};
    for (const [key, label] of [['lr_min', 'from η'], ['lr_max', 'to η'], ['steps', 'steps']]) {
      const input = element('input');
      input.type = 'number';
      input.name = `range_test.${key}`;
      input.step = key === 'steps' ? '1' : 'any';
      input.min = key === 'steps' ? '2' : '0';
      input.value = String(RANGE_DEFAULTS[key]);
      input.addEventListener('input', () => { if (!input.validity.badInput && input.value.trim() !== '') this.compute(); });
      const l = element('label', 'lab-field');
      l.append(element('span', 'lab-field-label', label), input);
      row.append(l);
      this.rangeInputs[key] = input;
    }
    this.oneCycleButton = button('Start a one-cycle run with max_lr = suggested η', () => this.startOneCycle(), 'lab-onecycle');
    this.oneCycleButton.disabled = true;
    this.rangeNote = element('p', 'lr-hint lab-range-note');
    this.rangeBox.before(row);
    this.rangeBox.after(this.oneCycleButton, this.rangeNote);
  }

  // The lab's own export: the PyTorch code of the selected run, readable in
  // place. Link, embed code, CSV, JSON, PNG and the script of every run are
  // in "Share and export" (the Figure base class).
  buildExport() {
    const box = element('section', 'lab-export');
    box.setAttribute('aria-label', 'PyTorch code');
    this.exportNote = element('span', 'lr-hint lab-export-note');
    this.exportNote.setAttribute('aria-live', 'polite');
    const details = element('details', 'lab-code');
    this.codeSummary = element('summary', '', 'PyTorch code for the selected run');
    this.codePre = element('pre', 'lab-pre');
    this.codePre.tabIndex = 0;
    const copy = button('Copy code', () => this.copyCode(), 'lab-copy-code');
    details.append(this.codeSummary, copy, this.exportNote, this.codePre);
    details.addEventListener('toggle', () => { if (details.open) this.renderCode(); });
    this.codeDetails = details;
    box.append(details);
    this.tag('code', box);
    this.status.after(box);
  }

  // --- runs -----------------------------------------------------------------------------------
  renderChips() {
    this.chips.replaceChildren();
    this.runs.forEach((run, i) => {
      const li = element('li', 'lab-chip');
      li.classList.toggle('lab-chip-selected', i === this.selected);
      const pick = element('button', 'lab-chip-pick');
      pick.type = 'button';
      pick.dataset.run = String(i);
      pick.setAttribute('aria-pressed', String(i === this.selected));
      const swatch = element('span', 'lr-swatch lab-swatch');
      swatch.style.color = seriesColor(this.container, run.slot)();
      const diverged = run.result?.divergedAt;
      pick.append(swatch, `${i + 1} · ${describe(run.config)}`);
      if (run.error) pick.append(element('span', 'lr-danger lab-chip-flag', ' ⚠ config error'));
      else if (diverged !== null && diverged !== undefined) pick.append(element('span', 'lr-danger lab-chip-flag', ` ✕ diverged at step ${diverged}`));
      pick.title = `Edit run ${i + 1}`;
      pick.addEventListener('click', () => this.select(i));
      li.append(pick);
      if (this.runs.length > 1) {
        const remove = button('✕', () => this.removeRun(i), 'lab-chip-remove');
        remove.setAttribute('aria-label', `remove run ${i + 1}`);
        remove.dataset.remove = String(i);
        li.append(remove);
      }
      this.chips.append(li);
    });
    this.addButton.disabled = this.runs.length >= MAX_RUNS;
    this.addButton.title = this.runs.length >= MAX_RUNS ? `At most ${MAX_RUNS} runs: remove one first` : 'Add a copy of the selected run';
  }

  renderForm() {
    const run = this.run;
    this.editing.replaceChildren('Editing ', element('strong', '', `run ${this.selected + 1}`), ' — changes apply to this run only.');
    const sw = element('span', 'lr-swatch lab-swatch');
    sw.style.color = seriesColor(this.container, run.slot)();
    this.editing.prepend(sw, ' ');
    this.form = buildForm(run.config, {
      formErrors: run.formErrors,
      raw: run.raw,
      onEdit: ({ rebuild } = {}) => {
        if (rebuild) this.renderForm();
        this.renderChips();
        this.compute();
      },
    });
    this.formBox.replaceChildren(this.form);
    this.renderErrors();
  }

  select(i) {
    if (i === this.selected || i < 0 || i >= this.runs.length) return;
    this.selected = i;
    this.renderChips();
    this.renderForm();
    this.compute();
  }

  freeSlot() {
    const used = new Set(this.runs.map((r) => r.slot));
    for (let s = 0; s < 6; s++) if (!used.has(s)) return s;
    return 0;
  }

  addRun(config = clone(this.run.config)) {
    if (this.runs.length >= MAX_RUNS) return;
    this.runs.push(this.makeRun(config, this.freeSlot()));
    this.selected = this.runs.length - 1;
    this.renderChips();
    this.renderForm();
    this.compute();
  }

  removeRun(i) {
    if (this.runs.length <= 1) return;
    this.runs.splice(i, 1);
    if (i < this.selected) this.selected--;
    this.selected = Math.min(this.selected, this.runs.length - 1);
    this.renderChips();
    this.renderForm();
    this.compute();
  }

  // --- computing --------------------------------------------------------------------------------
  engineConfig(config) {
    return { ...clone(config), record: { params: lowDimension(config.problem) !== null } };
  }

  rangeConfig() {
    const c = this.run.config;
    const read = (k) => Number(this.rangeInputs[k].value);
    const config = { problem: clone(c.problem), optimizer: clone(c.optimizer), seed: c.seed ?? 0,
      range_test: { lr_min: read('lr_min'), lr_max: read('lr_max'), steps: read('steps') } };
    if (isDataProblem(c.problem) && c.batch_size !== undefined) config.batch_size = c.batch_size;
    if (c.gradient_noise) config.gradient_noise = c.gradient_noise;
    return config;
  }

  async recompute() {
    if (this.disposed) return;
    const started = performance.now();
    let computed = 0;
    try {
      for (const run of this.runs) {
        if (run.formErrors.size) {
          run.error = [...run.formErrors.values()];
          run.result = null;
          run.key = '';
          continue;
        }
        const config = this.engineConfig(run.config);
        const key = JSON.stringify(config);
        if (key === run.key) continue;
        try {
          run.result = await this.engine.run(config);
          run.error = null;
        } catch (err) {
          if (!err?.issues) throw err;
          run.result = null;
          run.error = err.issues;
        }
        run.key = key;
        run.engineConfig = config;
        computed++;
      }
      if (this.rangeOpen) await this.computeRange();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.disposed) return;
    const computedAt = performance.now();
    for (const key of [...this.computations.keys()]) if (key.startsWith('run:') || key === 'rangeTest') this.computations.delete(key);
    this.runs.forEach((run, i) => { if (run.result) this.track(`run:${i}`, 'run', run.engineConfig, run.result); });
    if (this.rangeOpen && this.range?.result) this.track('rangeTest', 'rangeTest', this.range.config, this.range.result);
    await this.redrawAll();
    const end = performance.now();
    if (computed) this.timing = { computeMs: computedAt - started, drawMs: end - computedAt, runs: computed };
    this.container.dataset.computeMs = this.timing.computeMs.toFixed(1);
    this.container.dataset.drawMs = this.timing.drawMs.toFixed(1);
    this.container.dataset.runsComputed = String(computed);
    this.drawn();
  }

  async computeRange() {
    const config = this.rangeConfig();
    const key = JSON.stringify(config);
    if (this.range?.key === key) return;
    try {
      const result = await this.engine.rangeTest(config);
      this.range = { key, config, result, error: null, slot: this.run.slot, runIndex: this.selected };
    } catch (err) {
      if (!err?.issues) throw err;
      this.range = { key, config, result: null, error: err.issues, slot: this.run.slot, runIndex: this.selected };
    }
  }

  // --- drawing -------------------------------------------------------------------------------------
  chartRuns() {
    return this.runs.map((run, index) => ({ index, slot: run.slot, data: isDataProblem(run.config.problem), result: run.result }));
  }

  dropChart(plot) {
    if (!plot) return;
    const i = this.charts.findIndex((c) => c.plot === plot);
    if (i >= 0) {
      this.charts[i].destroy();
      this.charts.splice(i, 1);
    }
  }

  // (Re)creates the line charts when the set of series changed, then sets data.
  ensureCharts(force) {
    const runs = this.chartRuns();
    const key = JSON.stringify([runs.map((r) => [r.slot, r.data]), this.logLr]);
    if (!force && key === this.layoutKey && this.lossChart) return;
    this.layoutKey = key;
    this.dropChart(this.lossChart);
    this.dropChart(this.lrChart);
    const getRuns = () => this.chartRuns();
    const blank = (n) => [[0, 1], ...Array.from({ length: n }, () => [null, null])];
    const lossSeries = runs.reduce((n, r) => n + (r.data ? 2 : 1), 0);
    this.lossChart = this.chart(this.lossBox, lossChart(this.container, runs, getRuns), blank(lossSeries), { aspect: 0.7, minHeight: 240, maxHeight: 360 });
    this.lrChart = this.chart(this.lrBox, lrChart(this.container, runs, getRuns, this.logLr), blank(runs.length), { aspect: 0.7, minHeight: 240, maxHeight: 360 });
  }

  async redrawAll(forceCharts = false) {
    this.ensureCharts(forceCharts);
    const maxSteps = Math.max(1, ...this.runs.map((r) => r.result?.steps ?? 0));
    const xs = Array.from({ length: maxSteps + 1 }, (_, t) => t);
    const lossData = [xs];
    const lrData = [xs];
    for (const run of this.runs) {
      const r = run.result;
      const pad = (values) => {
        const out = new Array(maxSteps + 1).fill(null);
        if (values) for (let t = 0; t < values.length && t <= maxSteps; t++) out[t] = values[t];
        return out;
      };
      lossData.push(pad(r ? forLogAxis(r.loss) : null));
      if (isDataProblem(run.config.problem)) {
        const val = new Array(maxSteps + 1).fill(null);
        if (r) {
          const v = forLogAxis(r.valLoss);
          r.valSteps.forEach((t, k) => { if (t <= maxSteps) val[t] = v[k]; });
        }
        lossData.push(val);
      }
      lrData.push(pad(r ? lrForAxis(r.lr, this.logLr) : null));
    }
    this.lossChart.setData(lossData);
    this.lrChart.setData(lrData);
    this.renderChips();
    this.renderErrors();
    await this.drawContour();
    this.drawRange();
    this.renderStatus();
    this.renderData(maxSteps);
    if (this.codeDetails.open) this.renderCode();
  }

  // The contour's box: the problem's usual view, grown to hold the start and
  // the known minimizers (a moved Rosenbrock minimum, a quadratic's b).
  contourView(problem, start, minimizers) {
    const info = PROBLEMS[problem.name];
    let [x, y] = info.view ?? [[-1.5, 1.5], [-1.5, 1.5]];
    if (problem.name === 'quadratic') {
      const s = 1.3 * Math.max(0.5, ...(start ?? [1, 1]).map(Math.abs));
      x = [-s, s];
      y = [-s, s];
    }
    const grow = (r, v) => {
      const m = 0.1 * (r[1] - r[0]);
      return [Math.min(r[0], v - m), Math.max(r[1], v + m)];
    };
    for (const p of [start, ...minimizers]) {
      if (!p || p.length !== 2 || !p.every((v) => Number.isFinite(v) && Math.abs(v) < 1e3)) continue;
      x = grow(x, p[0]);
      y = grow(y, p[1]);
    }
    return { x, y };
  }

  async drawContour() {
    const run = this.run;
    const r = run.result;
    const twoD = r && r.dim === 2 && lowDimension(run.config.problem) === 2;
    this.contourPanel.hidden = !twoD;
    if (!twoD) {
      if (this.contourChart) {
        this.dropChart(this.contourChart.plot);
        this.contourChart = null;
        this.contourKey = '';
        this.computations.delete('grid');
      }
      return;
    }
    const start = [r.params[0], r.params[1]];
    const info = r.problem ?? {};
    const minimizers = (info.minimizers ?? (info.minimizer ? [info.minimizer] : [])).filter((m) => m.length === 2);
    const view = this.contourView(run.config.problem, start, minimizers);
    // The start does not change the surface: editing x₀ keeps the grid.
    const problem = clone(run.config.problem);
    delete problem.x0;
    const key = JSON.stringify([problem, view]);
    if (key !== this.contourKey || !this.contourChart) {
      this.dropChart(this.contourChart?.plot);
      this.contourKey = key;
      const markers = minimizers.map((m) => ({ x: m[0], y: m[1] }));
      this.contourChart = this.contour(this.contourBox, { problem, x: view.x, y: view.y, n: CONTOUR_POINTS, markers });
      const chart = this.contourChart;
      try {
        const grid = await chart.ready;
        if (chart === this.contourChart) this.track('grid', 'grid', { problem, grid: { x: view.x, y: view.y, nx: CONTOUR_POINTS, ny: CONTOUR_POINTS } }, grid);
      } catch (err) {
        this.errors.append(element('p', 'lr-error', `The contour could not be drawn: ${err.message}`));
      }
    }
    // Runs on the same surface (whatever their start) share the contour.
    const surface = (p) => JSON.stringify({ ...p, x0: undefined });
    const same = surface(run.config.problem);
    const paths = [];
    this.runs.forEach((other, i) => {
      const o = other.result;
      if (!o || o.dim !== 2 || surface(other.config.problem) !== same) return;
      paths.push({ xy: o.params, color: seriesColor(this.container, other.slot), label: `run ${i + 1}`, diverged: o.divergedAt !== null, width: i === this.selected ? 2.5 : 1.5, dots: false });
    });
    // The selected run on top.
    paths.sort((a, b) => (a.label === `run ${this.selected + 1}`) - (b.label === `run ${this.selected + 1}`));
    this.contourChart?.setPaths(paths);
  }

  // --- the range test -------------------------------------------------------------------------------
  toggleRange() {
    this.rangeOpen = !this.rangeOpen;
    this.rangeButton.setAttribute('aria-expanded', String(this.rangeOpen));
    this.rangeButton.textContent = this.rangeOpen ? 'Hide the LR range test' : 'LR range test';
    this.rangePanel.hidden = !this.rangeOpen;
    if (!this.rangeOpen) this.computations.delete('rangeTest');
    this.compute();
  }

  drawRange() {
    if (!this.rangeOpen) return;
    const test = this.range;
    const r = test?.result;
    if (!this.rangePlot || this.rangePlotSlot !== test?.slot) {
      this.dropChart(this.rangePlot);
      this.rangePlotSlot = test?.slot ?? 0;
      this.rangePlot = this.chart(this.rangeBox, rangeChart(this.container, () => this.range?.result, this.rangePlotSlot), [[1e-3, 1], [null, null], [null, null]], { aspect: 0.4, minHeight: 220, maxHeight: 320 });
    }
    const suggested = r?.suggested_lr;
    this.oneCycleButton.disabled = !(suggested > 0) || this.runs.length >= MAX_RUNS;
    if (!r) {
      this.rangePlot.setData([[1e-3, 1], [null, null], [null, null]]);
      this.rangeNote.textContent = test?.error ? `The range test could not run: ${test.error.map(issueText).join('; ')}` : '';
      this.rangeNote.classList.toggle('lr-danger', Boolean(test?.error));
      return;
    }
    this.rangeNote.classList.remove('lr-danger');
    const n = r.lr.length;
    this.rangePlot.setData([Array.from(r.lr), forLogAxis(r.loss.slice(0, n)), forLogAxis(r.smoothed.slice(0, n))]);
    const stop = r.stopped_at === null ? `ran all ${n} steps` : `stopped at step ${r.stopped_at}, when the smoothed loss blew up`;
    // On a deterministic surface the first steps can lower the loss most of
    // all, putting the "steepest fall" at the foot of the ramp.
    const early = suggested > 0 && Math.log(suggested / r.lr[0]) < 0.1 * Math.log(r.lr[n - 1] / r.lr[0])
      ? ' The mark sits at the foot of the ramp: here the first steps alone lowered the loss most, so read the curve rather than the mark.' : '';
    const full = this.runs.length >= MAX_RUNS ? ` Remove a run to start a one-cycle run (at most ${MAX_RUNS}).` : '';
    this.rangeNote.textContent = `For run ${test.runIndex + 1} (${describe(this.runs[test.runIndex]?.config ?? this.run.config)}): the test ${stop}. ` +
      (suggested > 0 ? `The loss fell fastest at η = ${formatNumber(suggested)}; lowest at η = ${formatNumber(r.min_loss_lr)}.` : 'No η was suggested: the loss never fell.') + early + full;
  }

  startOneCycle() {
    const suggested = this.range?.result?.suggested_lr;
    if (!(suggested > 0) || this.runs.length >= MAX_RUNS) return;
    const base = this.runs[this.range.runIndex] ?? this.run;
    const config = clone(base.config);
    const steps = config.steps ?? 100;
    const maxLr = Number(suggested.toPrecision(3));
    config.schedule = { name: 'one_cycle', max_lr: maxLr, total_steps: steps, cycle_momentum: OPTIMIZERS[config.optimizer.name].momentum };
    delete config.plateau;
    this.addRun(config);
  }

  // --- text, data, export -----------------------------------------------------------------------------
  renderErrors() {
    const lines = [];
    this.runs.forEach((run, i) => {
      if (run.error) for (const m of run.error) lines.push([i, m]);
    });
    this.errors.replaceChildren();
    if (lines.length) {
      this.errors.append(element('p', 'lab-errors-title', 'The engine cannot run this config yet:'));
      const ul = element('ul');
      for (const [i, issue] of lines) ul.append(element('li', '', `run ${i + 1}: ${issueText(issue)}`));
      this.errors.append(ul);
    }
    this.errors.hidden = lines.length === 0;
    if (this.form) markInvalid(this.form, this.run.error ?? []);
  }

  renderStatus() {
    const f = formatNumber;
    const problems = [...new Set(this.runs.map((r) => PROBLEMS[r.config.problem.name]?.label ?? r.config.problem.name))];
    const parts = this.runs.map((run, i) => {
      const r = run.result;
      const who = `run ${i + 1} (${describe(run.config)})`;
      if (run.error) return `${who} has a config error`;
      if (!r) return `${who} is computing`;
      if (r.divergedAt !== null) return `${who} diverged at step ${r.divergedAt}`;
      const last = r.loss[r.loss.length - 1];
      const val = isDataProblem(run.config.problem) && r.valLoss.length ? `, validation loss ${f(r.valLoss[r.valLoss.length - 1])}` : '';
      return `${who} ends at loss ${f(last)} after ${r.steps} steps${val}`;
    });
    const head = `${this.runs.length === 1 ? 'One run' : `${this.runs.length} runs`} on ${problems.join(' and ')}: `;
    let text = `${head}${parts.join('; ')}.`;
    if (this.rangeOpen && this.range?.result?.suggested_lr > 0) text += ` The range test suggests η ≈ ${f(this.range.result.suggested_lr)}.`;
    this.status.textContent = text;
    this.status.classList.toggle('lr-danger', this.runs.some((r) => r.error || (r.result && r.result.divergedAt !== null)));
  }

  // The plotted series, one row per step: columns and rows for the table, CSV and JSON.
  series(maxSteps) {
    const columns = ['step'];
    const getters = [];
    this.runs.forEach((run, i) => {
      const r = run.result;
      columns.push(`run ${i + 1} loss`);
      getters.push((t) => (r && t < r.loss.length ? r.loss[t] : null));
      if (isDataProblem(run.config.problem)) {
        const at = new Map();
        if (r) r.valSteps.forEach((s, k) => at.set(s, r.valLoss[k]));
        columns.push(`run ${i + 1} validation loss`);
        getters.push((t) => at.get(t) ?? null);
      }
      columns.push(`run ${i + 1} η`);
      getters.push((t) => (r && t < r.lr.length ? r.lr[t] : null));
    });
    const rows = [];
    for (let t = 0; t <= maxSteps; t++) rows.push([t, ...getters.map((g) => g(t))]);
    return { columns, rows };
  }

  renderData(maxSteps) {
    const { columns, rows } = this.series(maxSteps);
    this.data.update(columns, rows, this.runs.map((run, i) => `run ${i + 1}: ${describe(run.config, { problem: true })}`).join('; '));
  }

  // The state a link carries: config = base64url of {"runs": […]}, unless
  // the runs are the defaults.
  shareState() {
    const runs = this.runs.map((r) => r.config);
    return JSON.stringify(runs) === JSON.stringify(defaultRuns()) ? [] : [['config', toBase64Url(JSON.stringify({ runs }))]];
  }

  pytorchRuns() {
    return this.runs.map((run, i) => ({ label: `run ${i + 1}, ${describe(run.config, { problem: true })}`, config: run.config, start: runStart(run.result), note: null }));
  }

  pngHeader() {
    return this.runs.map((run, i) => ({ text: `run ${i + 1}: ${describe(run.config, { problem: true })}`, color: seriesColor(this.container, run.slot)() }));
  }

  renderCode() {
    this.codeSummary.textContent = `PyTorch code for run ${this.selected + 1}`;
    this.codePre.textContent = pytorchCode(this.run.config, { start: runStart(this.run.result) });
  }

  async copyCode() {
    this.renderCode();
    const copied = await copyText(this.codePre.textContent, this.codePre);
    this.exportNote.textContent = copied ? 'Code copied.' : 'Code selected: press Ctrl+C (⌘C) to copy.';
  }

  // The JSON export: every run's config and result, the range test when open.
  exportJson() {
    const runs = this.runs.map((run, i) => {
      const r = run.result;
      return {
        run: i + 1,
        config: run.config,
        error: run.error,
        result: r && plainData({
          steps: r.steps, diverged_at: r.divergedAt, loss: r.loss, lr: r.lr,
          val_steps: r.valSteps, val_loss: r.valLoss, problem: r.problem,
          ...(r.plateau ? { plateau: r.plateau } : {}),
          ...(r.dim <= 2 ? { params: r.params, dim: r.dim } : {}),
        }),
      };
    });
    const out = { figure: this.id, link: this.share.link(), runs };
    if (this.rangeOpen && this.range?.result) out.range_test = { config: this.range.config, result: plainData(this.range.result) };
    return out;
  }

  redraw() {
    super.redraw();
    this.renderChips();
  }

  dispose() {
    this.disposed = true;
    super.dispose();
  }
}
