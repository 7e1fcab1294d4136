// Figure "per-parameter": every coordinate's own step size under Adagrad,
// RMSprop and Adam, against SGD's single η, on a linear model whose features
// are frequent or rare.
//
// The core's `sparse_linear` problem: least squares on synthetic data in which
// the first features occur in every sample and the last `rare_fraction` of
// them only with probability `rare_prob` — the setting Adagrad was designed
// for (Duchi, Hazan & Singer, 2011). All four optimizers run on the same data
// and the same minibatches (same seed). The figure shows
//   - bars of each coordinate's effective step η/(√v + ε) at step t (the run's
//     `effectiveLr`, recorded with `record: {effective_lr: true}`), coloured
//     by group, with SGD's η as a dashed line — a time slider scrubs t;
//   - the median effective step of each group over time;
//   - the error |wᵢ − w*ᵢ| (root mean square over each group, w* being the
//     problem's reported minimizer) of every optimizer, rare and frequent
//     features apart, and the validation loss.
// Adagrad: Duchi et al. (2011); RMSprop: Tieleman & Hinton (2012); Adam:
// Kingma & Ba (2015).
//
// Attributes (a bad value falls back to the default with a note):
//   optimizer     whose steps the bars show: sgd, adagrad, rmsprop, adam   default adagrad
//   lr-sgd        SGD's η                   default 0.3,   range [0.001, 3]
//   lr-adagrad    Adagrad's η               default 0.3,   range [0.001, 3]
//   lr-rmsprop    RMSprop's η               default 0.03,  range [0.001, 3]
//   lr-adam       Adam's η                  default 0.1,   range [0.001, 3]
//   steps         steps per run             default 200,   integer in [20, 2000]
//   t             step shown by the bars    default 20,    integer in [0, steps − 1]
//   dim           features                  default 20,    integer in [4, 60]
//   rare-prob     how often a rare feature occurs in a sample   default 0.05, range [0.005, 0.5]
//   batch         minibatch size            default 32,    integer in [1, 1000]
//   seed          data and minibatch seed   default 0,     integer in [0, 1000000]
import { latestOnly } from '../model/tasks.js';
import { axis, clipToPlot, cssColor, dottedVertical, forLogAxis, logSplits, themed } from '../ui/chart.js';
import { createLogSlider, createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { optimizerLabel } from '../model/catalog.js';
import { Figure } from './figure.js';

const OPTIMIZERS = [
  { id: 'sgd', label: optimizerLabel('sgd'), lr: 0.3, color: ['--lr-c6', '#5f6672'] },
  { id: 'adagrad', label: optimizerLabel('adagrad'), lr: 0.3, color: ['--lr-c3', '#23874f'] },
  { id: 'rmsprop', label: optimizerLabel('rmsprop'), lr: 0.03, color: ['--lr-c5', '#7048a8'] },
  { id: 'adam', label: optimizerLabel('adam'), lr: 0.1, color: ['--lr-c2', '#c2364a'] },
];
const LR_MIN = 0.001;
const LR_MAX = 3;
const RARE_FRACTION = 0.5;
const N_SAMPLES = 1000;
// Effective steps above this are drawn at it (a coordinate whose gradient has
// always been zero has v = 0 and a step of η/ε — huge and meaningless).
const STEP_CAP = 1e3;
const FREQUENT = ['--lr-c1', '#1668b0'];
const RARE = ['--lr-c4', '#b86e00'];

// The four charts over time: flatter than a chart's default, so that the
// figure stays short on a phone, where they stack.
const SMALL_CHART = { aspect: 0.55, minHeight: 200, maxHeight: 300 };

export default class PerParameterFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Per-coordinate effective step sizes of adaptive optimizers on frequent and rare features' });
    this.selected = this.choice('optimizer', { fallback: 'adagrad', values: OPTIMIZERS.map((o) => o.id) });
    this.lrs = {};
    for (const o of OPTIMIZERS) this.lrs[o.id] = this.number(`lr-${o.id}`, { fallback: o.lr, min: LR_MIN, max: LR_MAX, config: `optimizers.${o.id}.lr` });
    this.steps = this.integer('steps', { fallback: 200, min: 20, max: 2000, config: 'run.steps' });
    this.t = this.integer('t', { fallback: Math.min(20, this.steps - 1), min: 0, max: this.steps - 1 });
    this.dim = this.integer('dim', { fallback: 20, min: 4, max: 60, config: 'problems.sparse_linear.dim' });
    this.rareProb = this.number('rare-prob', { fallback: 0.05, min: 0.005, max: 0.5, config: 'problems.sparse_linear.rare_prob' });
    this.batch = this.integer('batch', { fallback: 32, min: 1, max: N_SAMPLES, config: 'run.batch_size' });
    this.seed = this.integer('seed', { fallback: 0, min: 0, max: 1e6, config: 'run.seed' });
    this.nRare = Math.round(RARE_FRACTION * this.dim);
    this.results = {};
    this.keys = {};

    this.buildControls();
    this.buildCharts();
    this.compute = latestOnly(() => this.recompute());
    this.compute();
  }

  isRare(i) {
    return i >= this.dim - this.nRare;
  }

  optimizer(id = this.selected) {
    return OPTIMIZERS.find((o) => o.id === id);
  }

  buildControls() {
    this.select = createSelect({
      label: 'optimizer',
      options: OPTIMIZERS.map((o) => ({ value: o.id, label: o.label })),
      value: this.selected,
      onChange: (v) => {
        this.selected = v;
        this.lrSlider.set(this.lrs[v]);
        this.lrName.textContent = `η of ${this.optimizer().label}`;
        this.render();
        this.drawn();
      },
    });
    this.select.input.classList.add('lr-pp-optimizer');
    this.lrSlider = createLogSlider({
      label: 'η', symbol: 'η', min: LR_MIN, max: LR_MAX, value: this.lrs[this.selected],
      onInput: (v) => { this.lrs[this.selected] = v; this.compute(); },
    });
    this.lrName = this.lrSlider.element.querySelector('.slider-label');
    this.lrName.textContent = `η of ${this.optimizer().label}`;
    this.lrSlider.input.classList.add('lr-pp-lr');
    this.timeSlider = createSlider({
      label: 'step t', symbol: 't', min: 0, max: this.steps - 1, step: 1, value: this.t,
      format: (v) => String(v),
      onInput: (v) => { this.t = v; this.render(); this.drawn(); },
    });
    this.timeSlider.input.classList.add('lr-pp-t');
    this.controls.append(this.select.element, this.lrSlider.element, this.timeSlider.element);
    this.keep('optimizer', () => this.selected, this.select);
    for (const o of OPTIMIZERS) this.keep(`lr-${o.id}`, () => this.lrs[o.id]);
    this.tag('lr', this.lrSlider);
    this.keep('t', () => this.t, this.timeSlider);
    this.showNotes();
  }

  buildCharts() {
    const el = this.container;
    const color = ([name, fallback]) => themed(el, name, fallback);
    const fmt = (u, v) => formatNumber(v);
    this.barsTitle = element('span');
    const barsBox = this.panel('', { wide: true });
    barsBox.previousElementSibling.append(this.barsTitle);
    const hidden = { paths: () => null, points: { show: false } };
    this.bars = this.chart(barsBox, {
      legend: { show: true, live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => [-0.6, this.dim - 0.4] },
        y: { distr: 3, range: () => this.barRange ?? [0.01, 10] },
      },
      axes: [
        axis(el, { label: 'coordinate i', splits: (u) => coordinateTicks(this.dim, u.width - 70), values: (u, s) => s.map((v) => (v == null ? '' : String(v))) }),
        axis(el, { label: 'effective step', size: 56, splits: (u, i, min, max) => logSplits(min, max), values: (u, s) => s.map((v) => (v == null ? '' : formatNumber(v, 2))) }),
      ],
      series: [
        { label: 'coordinate', value: (u, v) => (v == null ? '—' : this.describeCoordinate(v)) },
        { label: 'frequent', stroke: color(FREQUENT), fill: color(FREQUENT), ...hidden, value: fmt },
        { label: 'rare', stroke: color(RARE), fill: color(RARE), ...hidden, value: fmt },
      ],
      hooks: { draw: [(u) => this.drawBars(u)] },
    }, [[0], [null], [null]], { aspect: 0.38, minHeight: 220, maxHeight: 300 });

    const stepAxis = axis(el, { label: 'step t' });
    const logY = (label) => axis(el, { label, size: 56, splits: (u, i, min, max) => logSplits(min, max), values: (u, s) => s.map((v) => (v == null ? '' : formatNumber(v, 2))) });
    const cursorLine = (u) => this.drawTimeLine(u);
    this.overTime = this.chart(this.panel('median effective step per group over time (coordinates that have moved)'), {
      legend: { show: true, live: true },
      cursor: { points: { size: 5 }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { distr: 3, range: (u, min, max) => padLog(min, max) } },
      axes: [stepAxis, logY('effective step')],
      series: [
        { label: 'step' },
        { label: 'frequent', stroke: color(FREQUENT), width: 2, points: { show: false }, value: fmt },
        { label: 'rare', stroke: color(RARE), width: 2, points: { show: false }, value: fmt },
        { label: 'SGD η', stroke: color(OPTIMIZERS[0].color), width: 1.5, dash: [6, 4], points: { show: false }, value: fmt },
      ],
      hooks: { draw: [cursorLine] },
    }, [[0, 1], [null, null], [null, null], [null, null]], SMALL_CHART);

    const perOptimizer = (label) => [{ label: 'step' }, ...OPTIMIZERS.map((o) => ({
      label: o.label, stroke: color(o.color), width: o.id === 'sgd' ? 2.5 : 2, points: { show: false }, spanGaps: true, value: fmt,
    }))];
    const lineOptions = (yLabel) => ({
      legend: { show: true, live: true },
      cursor: { points: { size: 5 }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { distr: 3, range: (u, min, max) => padLog(min, max) } },
      axes: [axis(el, { label: 'step t' }), logY(yLabel)],
      series: perOptimizer(yLabel),
      hooks: { draw: [cursorLine, (u) => this.drawDiverged(u)] },
    });
    const empty = [[0, 1], ...OPTIMIZERS.map(() => [null, null])];
    this.rareError = this.chart(this.panel('rare features: RMS error |wᵢ − w*ᵢ|'), lineOptions('error'), empty, SMALL_CHART);
    this.frequentError = this.chart(this.panel('frequent features: RMS error |wᵢ − w*ᵢ|'), lineOptions('error'), empty, SMALL_CHART);
    this.loss = this.chart(this.panel('validation loss (all features)'), lineOptions('loss'), empty, SMALL_CHART);
  }

  // --- engine ---------------------------------------------------------------------------
  config(id) {
    return {
      problem: { name: 'sparse_linear', n_samples: N_SAMPLES, dim: this.dim, rare_fraction: RARE_FRACTION, rare_prob: this.rareProb },
      optimizer: { name: id, lr: this.lrs[id] },
      steps: this.steps,
      batch_size: this.batch,
      seed: this.seed,
      eval_every: Math.max(1, Math.round(this.steps / 50)),
      record: { params: true, effective_lr: true },
    };
  }

  // Runs the optimizers whose config changed (a drag of one η reruns one).
  async recompute() {
    const started = performance.now();
    const todo = [];
    for (const o of OPTIMIZERS) {
      const config = this.config(o.id);
      const key = JSON.stringify(config);
      if (this.keys[o.id] !== key) todo.push([o.id, config, key]);
    }
    try {
      const results = await Promise.all(todo.map(([, config]) => this.engine.run(config)));
      todo.forEach(([id, config, key], k) => {
        this.results[id] = results[k];
        this.keys[id] = key;
        this.track(`run:${id}`, 'run', config, results[k]);
      });
    } catch (err) {
      this.fail(err, 'run the optimizers');
      return;
    }
    this.computeMs = performance.now() - started;
    this.derive();
    this.render();
    this.drawn();
  }

  // Per-step group errors and medians, from the core's params and effectiveLr.
  derive() {
    const { dim } = this;
    const any = this.results[OPTIMIZERS[0].id];
    this.info = any.problem;
    const wStar = this.info.minimizer;
    this.series = {};
    for (const o of OPTIMIZERS) {
      const r = this.results[o.id];
      const n = this.steps + 1;
      const rare = new Array(n).fill(null);
      const frequent = new Array(n).fill(null);
      for (let t = 0; t * dim < r.params.length && t < n; t++) {
        let sr = 0;
        let sf = 0;
        for (let i = 0; i < dim; i++) {
          const e = (r.params[t * dim + i] - wStar[i]) ** 2;
          if (this.isRare(i)) sr += e;
          else sf += e;
        }
        rare[t] = Math.sqrt(sr / this.nRare);
        frequent[t] = Math.sqrt(sf / (dim - this.nRare));
      }
      const val = new Array(n).fill(null);
      r.valSteps.forEach((s, k) => { if (s < n) val[s] = r.valLoss[k]; });
      this.series[o.id] = { rare, frequent, val, effective: this.effectiveOf(o.id) };
    }
  }

  // effectiveLr as rows per step (steps × dim), capped (SGD's is η for every
  // coordinate).
  effectiveOf(id) {
    const r = this.results[id];
    const { dim } = this;
    const flat = r.effectiveLr;
    const rows = [];
    for (let t = 0; t < r.steps; t++) {
      const row = new Array(dim);
      for (let i = 0; i < dim; i++) {
        const v = flat[t * dim + i];
        row[i] = Number.isFinite(v) ? Math.min(STEP_CAP, Math.max(1e-12, v)) : STEP_CAP;
      }
      rows.push(row);
    }
    return rows;
  }

  // --- drawing ----------------------------------------------------------------------------------
  render() {
    if (!this.series) return;
    const o = this.optimizer();
    const s = this.series[o.id];
    const n = this.steps + 1;
    const steps = Array.from({ length: n }, (_, i) => i);
    this.barsTitle.textContent = `effective step η/(√v + ε) of each coordinate at step ${this.t} — ${o.label}`;

    // Bars at step t.
    const coords = Array.from({ length: this.dim }, (_, i) => i);
    const row = s.effective[Math.min(this.t, s.effective.length - 1)] ?? null;
    const sgdLr = this.lrs.sgd;
    this.barRow = row;
    // Room above the tallest bar for the group labels.
    const [lo, hi] = row ? padLog(Math.min(sgdLr, ...row), Math.max(sgdLr, ...row)) : [sgdLr / 10, sgdLr * 10];
    this.barRange = [lo, hi * (hi / lo) ** 0.25];
    this.bars.setData([coords, coords.map((i) => (row && !this.isRare(i) ? row[i] : null)), coords.map((i) => (row && this.isRare(i) ? row[i] : null))]);

    // Group medians over time.
    // Coordinates whose gradient has always been zero (step η/ε, drawn capped)
    // are left out: they have not moved, and would hide the others' scale.
    const med = (rare) => steps.map((t) => (t < s.effective.length
      ? median(s.effective[t].filter((v, i) => this.isRare(i) === rare && v < STEP_CAP)) : null));
    const sgdRun = this.results.sgd;
    this.overTime.setData([steps, forLogAxis(med(false)), forLogAxis(med(true)), forLogAxis(steps.map((t) => (t < sgdRun.steps ? sgdRun.lr[t] : null)))]);

    this.rareError.setData([steps, ...OPTIMIZERS.map((p) => forLogAxis(this.series[p.id].rare))]);
    this.frequentError.setData([steps, ...OPTIMIZERS.map((p) => forLogAxis(this.series[p.id].frequent))]);
    this.loss.setData([steps, ...OPTIMIZERS.map((p) => forLogAxis(this.series[p.id].val))], true);
    this.describe(row);
    this.updateData(steps);
    this.container.dataset.t = String(this.t);
    this.container.dataset.optimizer = this.selected;
  }

  drawBars(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const el = this.container;
    const { left, top, width, height } = u.bbox;
    clipToPlot(u);
    const muted = cssColor(el, '--lr-muted', '#5f6672');
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    // The split between the groups, named.
    const split = u.valToPos(this.dim - this.nRare - 0.5, 'x', true);
    ctx.strokeStyle = muted;
    ctx.lineWidth = 1 * dpr;
    dottedVertical(u, split);
    ctx.textBaseline = 'top';
    // The longest label that fits beside the split.
    const fit = (texts, room) => texts.find((t) => ctx.measureText(t).width <= room) ?? '';
    ctx.fillStyle = cssColor(el, FREQUENT[0], FREQUENT[1]);
    ctx.textAlign = 'right';
    ctx.fillText(fit(['frequent features ←', 'frequent ←'], split - left - 10 * dpr), split - 6 * dpr, top + 4 * dpr);
    ctx.fillStyle = cssColor(el, RARE[0], RARE[1]);
    ctx.textAlign = 'left';
    const pct = formatNumber(100 * this.rareProb);
    ctx.fillText(fit([`→ rare features (in ${pct} % of samples)`, `→ rare (${pct} %)`, '→ rare'], left + width - split - 10 * dpr), split + 6 * dpr, top + 4 * dpr);

    const row = this.barRow;
    if (row) {
      const base = top + height;
      const w = Math.max(2 * dpr, 0.7 * (u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true)));
      for (let i = 0; i < this.dim; i++) {
        const x = u.valToPos(i, 'x', true);
        const y = u.valToPos(row[i], 'y', true);
        const [name, fallback] = this.isRare(i) ? RARE : FREQUENT;
        ctx.fillStyle = cssColor(el, name, fallback);
        ctx.fillRect(x - w / 2, y, w, base - y);
        if (row[i] >= STEP_CAP) {
          ctx.fillStyle = cssColor(el, '--lr-ink', '#1d1f23');
          ctx.textAlign = 'center';
          ctx.textBaseline = 'top';
          ctx.fillText('∞', x, y + 2 * dpr);
        }
      }
    }
    // SGD's single η, the same for every coordinate.
    const ySgd = u.valToPos(this.lrs.sgd, 'y', true);
    const ink = cssColor(el, '--lr-ink', '#1d1f23');
    ctx.strokeStyle = ink;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.beginPath();
    ctx.moveTo(left, ySgd);
    ctx.lineTo(left + width, ySgd);
    ctx.stroke();
    ctx.setLineDash([]);
    // The label on a half-opaque box, readable over the bars.
    const label = fit([`SGD: η = ${formatNumber(this.lrs.sgd)} for every coordinate`, `SGD: η = ${formatNumber(this.lrs.sgd)}`], width - 8 * dpr);
    ctx.fillStyle = cssColor(el, '--lr-panel', '#f6f7f9');
    ctx.globalAlpha = 0.8;
    ctx.fillRect(left + 2 * dpr, ySgd - 17 * dpr, ctx.measureText(label).width + 6 * dpr, 14 * dpr);
    ctx.globalAlpha = 1;
    ctx.fillStyle = ink;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillText(label, left + 5 * dpr, ySgd - 4 * dpr);
    ctx.restore();
  }

  drawTimeLine(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const { top, height } = u.bbox;
    const x = u.valToPos(this.t, 'x', true);
    ctx.save();
    ctx.strokeStyle = cssColor(this.container, '--lr-ink', '#1d1f23');
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = 1 * dpr;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.restore();
  }

  drawDiverged(u) {
    const diverged = OPTIMIZERS.filter((o) => this.results[o.id]?.divergedAt != null);
    if (!diverged.length) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.fillStyle = cssColor(this.container, '--lr-danger', '#c62828');
    ctx.font = `bold ${11 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    diverged.forEach((o, k) => {
      ctx.fillText(`✕ ${o.label} diverged at step ${this.results[o.id].divergedAt}`, u.bbox.left + u.bbox.width - 4 * dpr, u.bbox.top + (4 + 14 * k) * dpr);
    });
    ctx.restore();
  }

  describeCoordinate(i) {
    const freq = this.info?.feature_frequency?.[i];
    const group = this.isRare(i) ? 'rare' : 'frequent';
    return `${i} (${group}${freq === undefined ? '' : `, in ${formatNumber(100 * freq)} % of samples`})`;
  }

  describe(row) {
    const fm = formatNumber;
    const o = this.optimizer();
    let first;
    if (row) {
      const range = (rare) => {
        const vals = row.filter((_, i) => this.isRare(i) === rare);
        const lo = Math.min(...vals);
        const hi = Math.max(...vals);
        return lo === hi ? fm(lo) : `${fm(lo)}–${hi >= STEP_CAP ? '∞' : fm(hi)}`;
      };
      first = `At step ${this.t}, ${o.label}'s effective steps are ${range(false)} on the frequent features and ${range(true)} on the rare ones (SGD: ${fm(this.lrs.sgd)} on every coordinate).`;
    } else {
      first = `${o.label} stopped before step ${this.t}.`;
    }
    const end = this.steps;
    const errs = OPTIMIZERS.map((p) => {
      const r = this.results[p.id];
      if (r.divergedAt !== null) return `${p.label} diverged at step ${r.divergedAt}`;
      return `${p.label} ${fm(this.series[p.id].rare[end])}`;
    });
    const freqs = OPTIMIZERS.filter((p) => this.results[p.id].divergedAt === null).map((p) => `${p.label} ${fm(this.series[p.id].frequent[end])}`);
    this.status.textContent = `${first} After ${end} steps the error on the rare features is ${errs.join(', ')}; on the frequent ones ${freqs.join(', ')}.`;
    this.status.classList.toggle('lr-danger', OPTIMIZERS.some((p) => this.results[p.id].divergedAt !== null));
  }

  updateData(steps) {
    const o = this.optimizer();
    const s = this.series[o.id];
    const columns = ['step t'];
    for (const p of OPTIMIZERS) columns.push(`${p.label} rare error`, `${p.label} frequent error`, `${p.label} validation loss`);
    columns.push(`${o.label} median step, frequent`, `${o.label} median step, rare`);
    const rows = steps.map((t) => {
      const row = [t];
      for (const p of OPTIMIZERS) row.push(this.series[p.id].rare[t], this.series[p.id].frequent[t], this.series[p.id].val[t]);
      const e = s.effective[t];
      row.push(e ? median(e.filter((v, i) => !this.isRare(i) && v < STEP_CAP)) : null, e ? median(e.filter((v, i) => this.isRare(i) && v < STEP_CAP)) : null);
      return row;
    });
    this.data.update(columns, rows, `sparse_linear, ${this.dim} features (${this.nRare} rare), batch ${this.batch}, seed ${this.seed}; η: ${OPTIMIZERS.map((p) => `${p.label} ${fm2(this.lrs[p.id])}`).join(', ')}`);
  }
}

const fm2 = (v) => formatNumber(v);

function median(values) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Every coordinate labelled when there is room (≥ 22 px each), else every 2nd, 5th, 10th.
function coordinateTicks(dim, plotWidth) {
  const every = [1, 2, 5, 10].find((k) => (plotWidth / dim) * k >= 22) ?? 10;
  const out = [];
  for (let i = 0; i < dim; i += every) out.push(i);
  return out;
}

// A log range around [min, max] with a little room, never empty.
function padLog(min, max) {
  if (!(min > 0) || !(max > 0)) return [0.01, 1];
  if (max / min < 1.5) return [min / 1.6, max * 1.6];
  return [min / 1.3, max * 1.3];
}
