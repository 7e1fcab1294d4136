// Figure "schedules": a learning-rate schedule, and what it does to training.
//
// The reader picks one of ten schedules and edits its options (a small form
// per schedule, from model/schedule-specs.js). The digits MLP (H = 32, SGD with
// momentum 0.9, batch 32, seed 0) trains with it; a baseline with constant η
// trains on the very same minibatch sequence (same seed). Two charts share
// the step axis (cursor synced): η(t) above, both runs; below, the training
// loss (moving average of the minibatch loss) and the validation loss, on a
// log axis. The baseline is dashed and muted (its validation loss in a faded
// twin of the schedule's validation hue). For "linear warm-up + cosine"
// the η chart labels the warm-up and the cosine annealing separately.
//
// Attributes (default, range):
//   schedule   constant | step | multistep | exponential | cosine |
//              warmup_cosine | cosine_warm_restarts | one_cycle | cyclic |
//              polynomial                                   warmup_cosine
//   lr         η: the baseline's, and the schedule's η₀     0.2   [0.01, 1]
//   steps      length of both runs                          600   integer [200, 2000]
//   log-lr     draw η on a log axis (present = yes)
//   …and the chosen schedule's options, named as in the config in lower
//   case (t_max, eta_min, warmup_steps, milestones="300,450", …; see
//   model/schedule-specs.js for each schedule's fields, defaults and ranges).
// A recompute is one ~30 ms run (the baseline is cached until η or the
// number of steps changes), drawn as it computes (engine.run's onProgress).
import { latestOnly } from '../model/tasks.js';
import { axis, cssColor, faded, forLogAxis, logAxis, seriesColor, themed } from '../ui/chart.js';
import { createCheckbox, createLogSlider, createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { readFlagAttribute } from '../ui/attributes.js';
import { Figure } from './figure.js';
import { CHANCE_LOSS, alignTo, clampLoss, digitsConfig, finalValLoss, overPrevious, padTo, smoothLoss } from '../model/digits-runs.js';
import { SCHEDULE_IDS, SCHEDULE_SPECS, scheduleAttributes, scheduleSpec } from '../model/schedule-specs.js';
import { createScheduleForm, logRange, readScheduleAttributes } from './schedule-forms.js';

const f = formatNumber;
let instances = 0;

// Every schedule option's attribute name.
const OPTION_NAMES = new Set(SCHEDULE_SPECS.flatMap((s) => s.fields.map((f) => f.key.toLowerCase())));

// About 30 evaluations per run, at a multiple of 5 steps.
const evalEveryFor = (steps) => Math.max(5, 5 * Math.round(steps / 150));

export default class SchedulesFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Learning-rate schedules: η over time and the loss it gives a digits classifier, against a constant η' });
    const id = this.choice('schedule', { fallback: 'warmup_cosine', values: SCHEDULE_IDS });
    this.lr = this.number('lr', { fallback: 0.2, min: 0.01, max: 1, config: 'optimizers.sgd.lr' });
    this.steps = this.integer('steps', { fallback: 600, min: 200, max: 2000, config: 'run.steps' });
    this.logLr = readFlagAttribute(host, 'log-lr', { fallback: false }, this.notes);
    const values = readScheduleAttributes(this, scheduleSpec(id), this.context());
    // Options of the other schedules are settings too (they would apply on
    // switching): known, so not flagged, but not read.
    for (const name of OPTION_NAMES) if (!this.share.has(name)) this.setting(name, null, null);
    this.syncKey = `lrlab-schedules-${++instances}`;
    this.panels.classList.add('lr-digits-panels');
    this.controls.classList.add('lr-schedules-controls');
    this.baseline = null;
    this.run = null;
    this.buildControls(id, values);
    this.buildCharts();
    this.showNotes();
    this.compute = latestOnly(() => this.recompute());
    this.compute();
  }

  // The base settings, then the shown schedule's options that differ from
  // their defaults (the options of the schedule read at first are dropped:
  // the form holds their current values).
  shareState() {
    const base = this.share.state().filter(([name]) => !OPTION_NAMES.has(name));
    return [...base, ...scheduleAttributes(this.form.spec, this.form.values, this.context())];
  }

  context() {
    return { steps: this.steps, lr: this.lr };
  }

  buildControls(id, values) {
    this.select = createSelect({
      label: 'schedule',
      options: SCHEDULE_SPECS.map((s) => ({ value: s.id, label: s.label })),
      value: id,
      onChange: (v) => { this.form.setSchedule(v); this.compute(); },
    });
    this.keep('schedule', () => this.form.id, this.select);
    const lr = createLogSlider({
      label: 'base η', symbol: 'base η', min: 0.01, max: 1, value: this.lr,
      onInput: (v) => { this.lr = v; this.form.setContext(this.context()); this.compute(); },
    });
    this.keep('lr', () => this.lr, lr);
    const steps = createSlider({
      label: 'steps', symbol: 'steps', min: 200, max: 2000, step: 50, value: this.steps, format: String,
      onInput: (v) => { this.steps = v; this.form.setContext(this.context()); this.compute(); },
    });
    this.keep('steps', () => this.steps, steps);
    const log = createCheckbox({
      label: 'η on a log axis', checked: this.logLr,
      onChange: (v) => { this.logLr = v; this.makeLrChart(); this.drawRuns(); this.drawn(); },
    });
    this.keep('log-lr', () => (this.logLr ? 'true' : null), log);
    this.controls.append(this.select.element, lr.element, steps.element, log.element);
    this.form = createScheduleForm({ id, ctx: this.context(), values, onChange: () => this.compute() });
    this.controls.after(this.form.element);
    this.tag('options', this.form.element);
  }

  cursor() {
    return { sync: { key: this.syncKey, setSeries: false }, drag: { x: false, y: false, setScale: false }, y: false, points: { size: 6 } };
  }

  xScale() {
    return { time: false, range: () => [0, this.drawing?.shown.steps ?? this.steps] };
  }

  // η on a linear axis, or a log one (uPlot fixes a scale's distribution at
  // creation, so the switch makes the chart anew).
  makeLrChart() {
    const el = this.container;
    if (this.lrEntry) {
      this.lrEntry.destroy();
      this.charts = this.charts.filter((c) => c !== this.lrEntry);
    }
    const value = (u, v) => (v === null || v === undefined ? '—' : f(v));
    this.lrChart = this.chart(this.lrBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: {
        x: this.xScale(),
        y: this.logLr ? { distr: 3, range: () => this.lrLogRange ?? [1e-4, 1] } : { range: () => this.lrRange ?? [0, 1] },
      },
      axes: [axis(el), this.logLr ? logAxis(el, { label: 'η' }) : axis(el, { label: 'η', size: 56 })],
      series: [
        { label: 'step', value: (u, v) => (v === null || v === undefined ? '—' : String(Math.round(v))) },
        { label: 'η, schedule', stroke: seriesColor(el, 0), width: 2, value, points: { show: false } },
        { label: 'η, constant', stroke: themed(el, '--lr-muted', '#666'), width: 1.5, dash: [6, 4], value, points: { show: false } },
      ],
      hooks: { draw: [(u) => this.drawLrMarks(u)] },
    }, [[0], [null], [null]], { aspect: 0.25, minHeight: 160, maxHeight: 220 });
    this.lrEntry = this.charts.at(-1);
  }

  buildCharts() {
    const el = this.container;
    const muted = themed(el, '--lr-muted', '#666');
    const value = (u, v) => (v === null || v === undefined ? '—' : f(v));
    const stepValue = (u, v) => (v === null || v === undefined ? '—' : String(Math.round(v)));
    const xScale = this.xScale();

    this.lrBox = this.panel('learning rate η(t): the schedule, and the constant baseline (dashed)', { wide: true });
    this.makeLrChart();

    const lossBox = this.panel('loss on a log axis: training (moving average of the minibatch loss) and validation; the constant-η baseline dashed', { wide: true });
    this.lossChart = this.chart(lossBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: { x: xScale, y: { distr: 3, range: () => this.lossRange ?? [0.01, 10] } },
      axes: [axis(el, { label: 'step' }), logAxis(el, { label: 'loss' })],
      series: [
        { label: 'step', value: stepValue },
        { label: 'training, schedule', stroke: seriesColor(el, 0), width: 2, value, points: { show: false } },
        { label: 'validation, schedule', stroke: seriesColor(el, 1), width: 2, value, spanGaps: true, points: { show: true, size: 4 } },
        { label: 'training, constant', stroke: muted, width: 1.5, dash: [6, 4], value, points: { show: false } },
        { label: 'validation, constant', stroke: faded(el, '--lr-c2', '#c2364a', 0.55), width: 1.5, dash: [2, 3], value, spanGaps: true, points: { show: true, size: 3 } },
      ],
      hooks: { draw: [(u) => this.drawLossMarks(u)] },
    }, [[0], [null], [null], [null], [null]], { aspect: 0.42, minHeight: 220, maxHeight: 340 });
  }

  // --- compute ------------------------------------------------------------------------
  configs() {
    const ctx = this.context();
    const evalEvery = evalEveryFor(this.steps);
    return {
      run: digitsConfig({ lr: this.lr, steps: this.steps, evalEvery, schedule: this.form.config() }),
      baseline: digitsConfig({ lr: this.lr, steps: this.steps, evalEvery }),
      ctx,
      id: this.form.id,
      description: this.form.description,
    };
  }

  async recompute() {
    const { run, baseline, ctx, id, description } = this.configs();
    const key = JSON.stringify(baseline);
    const start = performance.now();
    try {
      // The two runs are independent: the engine's pool computes them side
      // by side, and their first steps are drawn (over the last runs) while
      // the rest computes, so a drag gets a frame within ~10 ms.
      const fresh = this.baselineKey !== key;
      const previous = { run: this.run, baseline: this.baseline };
      const partial = { run: null, baseline: null };
      const done = { run: null, baseline: fresh ? null : this.baseline };
      const onProgress = (which) => (p) => {
        partial[which] = p;
        this.drawPartial(() => {
          const shown = (w) => done[w] ?? (partial[w] ? overPrevious(partial[w], previous[w]) : previous[w]);
          this.drawRuns({ run: shown('run'), baseline: shown('baseline'), ...ctx, id, config: run.schedule });
        });
      };
      // A run that has finished is drawn whole beside the other's progress.
      const finished = (which) => (r) => { done[which] = r; return r; };
      const [base, result] = await Promise.all([
        fresh ? this.engine.run(baseline, { onProgress: onProgress('baseline') }).then(finished('baseline')) : this.baseline,
        this.engine.run(run, { onProgress: onProgress('run') }).then(finished('run')),
      ]);
      if (fresh) {
        this.baseline = base;
        this.baselineKey = key;
        this.track('baseline', 'run', baseline, this.baseline);
      }
      this.run = result;
    } catch (err) {
      this.fail(err, 'train the digits classifier with this schedule');
      return;
    }
    const computed = performance.now();
    this.track('run', 'run', run, this.run);
    this.shown = { ...ctx, id, description, config: run.schedule };
    this.status.classList.remove('lr-danger');
    this.drawRuns();
    this.renderStatus();
    this.renderData();
    // Compute (Worker round trips) and draw times, for the bench (npm run bench).
    this.container.dataset.computeMs = (computed - start).toFixed(1);
    this.container.dataset.drawMs = (performance.now() - computed).toFixed(1);
    this.drawn();
  }

  // --- draw ---------------------------------------------------------------------------
  // Draws `run` against `baseline`, trained with steps, lr, schedule id and
  // its config (the complete runs, or partial ones over the last).
  drawRuns({ run: r, baseline: b, ...shown } = { run: this.run, baseline: this.baseline, ...this.shown }) {
    if (!r || !b) return;
    this.drawing = { run: r, baseline: b, shown };
    const n = shown.steps;
    const xs = Array.from({ length: n + 1 }, (_, i) => i);
    // η_t is the rate of the step from t to t+1; the axis ends at t = n.
    const eta = (res) => {
      const out = padTo(n, res.lr);
      if (out[n] === null && res.lr.length === n) out[n] = res.lr[n - 1];
      return out;
    };
    const lrRun = eta(r);
    const lrBase = eta(b);
    let hi = 0;
    let lo = Infinity;
    for (const v of [...lrRun, ...lrBase]) {
      if (v === null) continue;
      hi = Math.max(hi, v);
      if (v > 0) lo = Math.min(lo, v);
    }
    this.lrRange = [0, hi > 0 ? hi * 1.08 : 1];
    // On a log axis η = 0 (a cosine's trough) sits on the floor, 10⁻⁴ of the peak.
    const floor = hi > 0 ? hi * 1e-4 : 1e-6;
    this.lrLogRange = [10 ** Math.floor(Math.log10(Math.max(floor, Math.min(lo, hi)))), 10 ** Math.ceil(Math.log10(hi > 0 ? hi * 1.2 : 1))];
    const show = (vals) => (this.logLr ? forLogAxis(vals.map((v) => (v === null ? null : Math.max(floor, v)))) : vals);
    this.lrChart.setData([xs, show(lrRun), show(lrBase)]);

    const emaRun = clampLoss(padTo(n, smoothLoss(r.loss)));
    const emaBase = clampLoss(padTo(n, smoothLoss(b.loss)));
    const valRun = clampLoss(alignTo(n, r.valSteps, r.valLoss));
    const valBase = clampLoss(alignTo(n, b.valSteps, b.valLoss));
    this.lossRange = logRange([...emaRun, ...emaBase, ...valRun, ...valBase]);
    this.lossChart.setData([xs, forLogAxis(emaRun), forLogAxis(valRun), forLogAxis(emaBase), forLogAxis(valBase)]);
    this.series = { xs, lrRun, lrBase, emaRun, emaBase, valRun, valBase };
    this.container.dataset.schedule = shown.id;
  }

  // "linear warm-up + cosine": the warm-up is shaded and each part labelled.
  drawLrMarks(u) {
    const s = this.drawing?.shown;
    if (!s || s.id !== 'warmup_cosine') return;
    const w = s.config.warmup_steps;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    const x0 = u.valToPos(0, 'x', true);
    const xw = u.valToPos(w, 'x', true);
    const xe = u.valToPos(s.steps, 'x', true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.fillStyle = cssColor(this.container, '--lr-c4', '#b86e00');
    ctx.globalAlpha = 0.12;
    ctx.fillRect(x0, top, xw - x0, height);
    ctx.globalAlpha = 1;
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = cssColor(this.container, '--lr-ink', '#222');
    const y = top + height - 4 * dpr;
    if (w > 0) {
      ctx.textAlign = 'left';
      const label = xw - x0 > 90 * dpr ? 'linear warm-up' : 'warm-up';
      ctx.fillText(label, x0 + 4 * dpr, y);
    }
    ctx.textAlign = 'center';
    ctx.fillText('cosine annealing', Math.max(xw + 60 * dpr, (xw + xe) / 2), y);
    ctx.restore();
  }

  drawLossMarks(u) {
    if (!this.drawing) return;
    const { run: r, baseline: b } = this.drawing;
    const marks = [[r, 'schedule'], [b, 'constant η']].filter(([res]) => res && res.divergedAt !== null);
    if (marks.length === 0) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.fillStyle = cssColor(this.container, '--lr-danger', '#c62828');
    ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    marks.forEach(([res, who], i) => {
      const x = u.valToPos(res.divergedAt, 'x', true);
      ctx.textAlign = x > u.bbox.left + u.bbox.width / 2 ? 'right' : 'left';
      ctx.fillText(`${who}: diverged at step ${res.divergedAt} ✕`, x, u.bbox.top + (4 + 16 * i) * dpr);
    });
    ctx.restore();
  }

  renderStatus() {
    const r = this.run;
    const b = this.baseline;
    const s = this.shown;
    const label = scheduleSpec(s.id).label;
    const vr = finalValLoss(r);
    const vb = finalValLoss(b);
    const parts = [];
    if (r.divergedAt !== null) parts.push(`With ${label} the run diverged at step ${r.divergedAt}.`);
    else parts.push(`With ${label}, the final validation loss after ${s.steps} steps is ${f(vr)}, against ${f(vb)} with constant η = ${f(s.lr)}${b.divergedAt !== null ? ` (which diverged at step ${b.divergedAt})` : ''}.`);
    if (r.divergedAt === null && b.divergedAt === null && vr > 0 && vb > 0) {
      const change = (vr - vb) / vb;
      parts.push(Math.abs(change) < 0.01 ? 'The two are within 1 %.' : `The schedule's is ${f(Math.abs(change) * 100, 2)} % ${change < 0 ? 'lower' : 'higher'}.`);
    }
    if (r.divergedAt === null && vr > 0.9 * CHANCE_LOSS) parts.push(`That is no better than guessing (ln 10 ≈ ${f(CHANCE_LOSS)}).`);
    this.status.textContent = parts.join(' ');
    this.status.classList.toggle('lr-danger', r.divergedAt !== null);
    this.container.dataset.finalVal = String(vr);
    this.container.dataset.baselineVal = String(vb);
  }

  renderData() {
    const { xs, lrRun, lrBase, emaRun, emaBase, valRun, valBase } = this.series;
    const r = this.run;
    const b = this.baseline;
    const at = (a, t) => (t < a.length && Number.isFinite(a[t]) ? a[t] : null);
    this.data.update(
      ['step', 'η (schedule)', 'η (constant)', 'training loss, schedule (minibatch)', 'training loss, constant (minibatch)',
        'training loss, schedule (moving avg.)', 'training loss, constant (moving avg.)', 'validation loss, schedule', 'validation loss, constant'],
      xs.map((t) => [t, lrRun[t], lrBase[t], at(r.loss, t), at(b.loss, t), emaRun[t], emaBase[t], valRun[t], valBase[t]]),
      `${scheduleSpec(this.shown.id).label} against constant η = ${f(this.shown.lr)}: ${this.shown.description}`,
    );
  }
}
