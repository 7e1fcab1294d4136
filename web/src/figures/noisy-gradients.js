// Figure "noisy-gradients": minibatch SGD on the digits, and the noise floor
// that the minibatch gradient leaves in the loss.
//
// The core trains the `logistic_regression` problem (is the digit 5 or more?
// 1437 training images) with plain SGD, each step on a minibatch of B samples
// drawn without replacement from a reshuffled permutation seeded by `seed`.
// The chart shows the minibatch loss of every step (faint), its centred moving
// average, the validation loss at the evaluation points and, for reference, a
// full-batch run with the same η. The shaded band over the last quarter of the
// steps is the noise floor (mean ± one standard deviation of the minibatch
// loss there): it rises with η and falls as B grows — the stochastic
// approximation setting of Robbins & Monro (1951), where only a decaying η
// lets the iterates settle.
//
// Attributes (a bad value falls back to the default with a note):
//   lr         η, log slider                        default 0.1,  range [0.003, 3]
//   batch      minibatch size B; snapped to the
//              slider's 1, 2, 4, …, 1024, 1437       default 16,   integer in [1, 1437]
//   steps      steps per run                        default 400,  integer in [50, 3000]
//   seed       minibatch seed                       default 0,    integer in [0, 1000000]
//   reference  draw the full-batch run              default on,   "on" or "off"
import { latestOnly } from '../model/tasks.js';
import { axis, clipToPlot, cssColor, forLogAxis, logSplits, seriesColor, themed } from '../ui/chart.js';
import { createCheckbox, createLogSlider, createSlider } from '../ui/controls.js';
import { button, element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { Figure } from './figure.js';

const LR_MIN = 0.003;
const LR_MAX = 3;
const N_TRAIN = 1437;  // the digits training split (README, "Data")
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, N_TRAIN];
const PROBLEM = { name: 'logistic_regression' };
const FLOOR_SHARE = 0.25;  // the noise floor is measured over the last quarter
const REFERENCE_REST_MS = 150;  // see referenceSoon

export default class NoisyGradientsFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Minibatch SGD on the digits: the loss settles at a noise floor set by η and the batch size' });
    this.lr = this.number('lr', { fallback: 0.1, min: LR_MIN, max: LR_MAX, config: 'optimizers.sgd.lr' });
    const batch = this.integer('batch', { fallback: 16, min: 1, max: N_TRAIN, config: 'run.batch_size' });
    this.batchIndex = nearestBatch(batch);
    if (BATCHES[this.batchIndex] !== batch) this.notes.push(`batch="${batch}" is not on the slider; using ${BATCHES[this.batchIndex]}.`);
    this.steps = this.integer('steps', { fallback: 400, min: 50, max: 3000, config: 'run.steps' });
    this.seed = this.integer('seed', { fallback: 0, min: 0, max: 1e6, config: 'run.seed' });
    this.reference = this.choice('reference', { fallback: 'on', values: ['on', 'off'] }) === 'on';
    this.result = null;
    this.ref = null;

    this.buildControls();
    this.chartBox = this.panel('loss per step (log scale): minibatch, smoothed, validation and full batch', { wide: true });
    this.plot = this.chart(this.chartBox, this.chartOptions(), [[0, 1], [null, null], [null, null], [null, null], [null, null]],
      { aspect: 0.55, minHeight: 260, maxHeight: 420 });
    this.compute = latestOnly(() => this.recompute());
    this.compute();
  }

  get batch() {
    return BATCHES[this.batchIndex];
  }

  buildControls() {
    this.batchSlider = createSlider({
      label: 'batch size B', symbol: 'B', min: 0, max: BATCHES.length - 1, step: 1, value: this.batchIndex,
      format: (i) => (BATCHES[i] === N_TRAIN ? `${N_TRAIN} (all)` : String(BATCHES[i])),
      onInput: (i) => { this.batchIndex = i; this.compute(); },
    });
    this.batchSlider.input.classList.add('lr-ng-batch');
    this.lrSlider = createLogSlider({
      label: 'learning rate η', symbol: 'η', min: LR_MIN, max: LR_MAX, value: this.lr,
      onInput: (v) => { this.lr = v; this.compute(); },
    });
    this.lrSlider.input.classList.add('lr-ng-lr');
    this.refBox = createCheckbox({
      label: 'full-batch run, same η', checked: this.reference,
      onChange: (on) => { this.reference = on; this.compute(); },
    });
    this.refBox.input.classList.add('lr-ng-ref');
    this.seedButton = button('Resample minibatches', () => { this.seed += 1; this.compute(); }, 'lr-ng-seed');
    this.seedLabel = element('span', 'lr-hint');
    const seedGroup = element('div', 'lr-buttons lr-seed-row');
    seedGroup.append(this.seedButton, this.seedLabel);
    this.controls.append(this.batchSlider.element, this.lrSlider.element, this.refBox.element, seedGroup);
    this.keep('batch', () => this.batch, this.batchSlider);
    this.keep('lr', () => this.lr, this.lrSlider);
    this.keep('reference', () => (this.reference ? 'on' : 'off'), this.refBox);
    this.keep('seed', () => this.seed, seedGroup);
    this.showNotes();
  }

  config(batch, seed) {
    return {
      problem: PROBLEM,
      optimizer: { name: 'sgd', lr: this.lr },
      steps: this.steps,
      batch_size: batch,
      seed,
      eval_every: Math.max(1, Math.round(this.steps / 50)),
      record: { params: false },
    };
  }

  // The minibatch run is drawn first; the full-batch reference (about 25×
  // the work of a batch-16 run) is computed beside it (the engine's pool has
  // a Worker per core) once η rests, and drawn when it arrives, without
  // holding up the next input: each newer reference cancels the one before. It
  // does not depend on the seed (every step sees every sample), so it is
  // kept by η and only redone when η or the number of steps changes.
  async recompute() {
    const started = performance.now();
    const config = this.config(this.batch, this.seed);
    const refConfig = this.reference ? this.config(N_TRAIN, 0) : null;
    const refKey = refConfig && JSON.stringify(refConfig);
    if (refConfig && this.refKey !== refKey) this.referenceSoon(refConfig, refKey, started);
    else this.cancelReference();
    try {
      const result = await this.engine.run(config);
      this.result = result;
      this.resultRefKey = refKey;
      this.track('run', 'run', config, result);
    } catch (err) {
      this.fail(err, 'train on the digits');
      return;
    }
    this.computeMs = performance.now() - started;
    this.seedLabel.textContent = `seed ${this.seed}`;
    if (!refConfig) this.computations.delete('reference');
    this.render(!refConfig || this.refKey === refKey);
    this.drawn();
  }

  // The first reference starts at once; a later one once η or the steps
  // have rested for REFERENCE_REST_MS. While a slider drags, a reference
  // (~25× a run's work) would be cancelled by the next input long before it
  // was done, and would only take a core from the run that is drawn.
  referenceSoon(refConfig, refKey, started) {
    if (this.refJob?.key === refKey) return;  // under way already
    this.cancelReference();
    const start = () => {
      this.refTimer = null;
      if (!this.disposed) this.startReference(refConfig, refKey, started);
    };
    if (!this.ref) start();
    else this.refTimer = setTimeout(start, REFERENCE_REST_MS);
  }

  // Starts the reference (referenceSoon has cancelled any other); the one
  // under way, if any, is this.refJob: {key, abort}.
  startReference(refConfig, refKey, started) {
    const job = { key: refKey, abort: new AbortController() };
    this.refJob = job;
    const { signal } = job.abort;
    this.engine.run(refConfig, { signal }).then((ref) => {
      if (signal.aborted || this.disposed) return;
      this.refJob = null;
      this.ref = ref;
      this.refKey = refKey;
      this.refMs = performance.now() - started;
      this.track('reference', 'run', refConfig, ref);
      // Drawn now if the minibatch run on screen has the same η and steps;
      // otherwise that run, when it comes, draws both.
      if (this.result && this.resultRefKey === refKey) {
        this.render(true);
        this.drawn();
      }
    }, (err) => {
      if (signal.aborted) return;
      this.refJob = null;
      this.fail(err, 'run the full-batch reference');
    });
  }

  cancelReference() {
    clearTimeout(this.refTimer);
    this.refTimer = null;
    this.refJob?.abort.abort();
    this.refJob = null;
  }

  // --- the chart ---------------------------------------------------------------------------
  chartOptions() {
    const el = this.container;
    const fmt = (u, v) => formatNumber(v);
    return {
      legend: { show: true, live: true },
      cursor: { points: { size: 6 }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { distr: 3, range: () => this.yRange ?? [0.1, 1] } },
      axes: [
        axis(el, { label: 'step t' }),
        axis(el, { label: 'loss', size: 56, splits: (u, i, min, max) => logSplits(min, max), values: (u, splits) => splits.map((v) => (v == null ? '' : formatNumber(v, 2))) }),
      ],
      series: [
        { label: 'step' },
        { label: 'minibatch loss', stroke: themed(el, '--lr-ng-raw', '#9fb8d6'), width: 1, points: { show: false }, value: fmt },
        { label: 'smoothed', stroke: seriesColor(el, 0), width: 2.5, points: { show: false }, value: fmt },
        { label: 'validation', stroke: seriesColor(el, 1), width: 2, spanGaps: true, points: { show: true, size: 5, fill: seriesColor(el, 1) }, value: fmt },
        { label: 'full batch', stroke: themed(el, '--lr-ink', '#1d1f23'), width: 1.5, dash: [6, 4], points: { show: false }, value: fmt },
      ],
      hooks: { draw: [(u) => this.drawFloor(u)] },
    };
  }

  // The noise-floor band over the last quarter of the steps, and divergence.
  drawFloor(u) {
    const floor = this.floor;
    if (!floor) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const el = this.container;
    const { left, top, width } = u.bbox;
    clipToPlot(u);
    const x0 = u.valToPos(floor.from, 'x', true);
    const x1 = u.valToPos(floor.to, 'x', true);
    const [ylo, yhi] = this.yRange;
    const band = (v) => u.valToPos(Math.min(yhi, Math.max(ylo, v)), 'y', true);
    const color = cssColor(el, '--lr-c4', '#b86e00');
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.2;
    ctx.fillRect(x0, band(floor.mean + floor.std), x1 - x0, band(Math.max(ylo, floor.mean - floor.std)) - band(floor.mean + floor.std));
    ctx.globalAlpha = 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.moveTo(x0, band(floor.mean));
    ctx.lineTo(x1, band(floor.mean));
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.font = `bold ${11 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`noise floor ${formatNumber(floor.mean)} ± ${formatNumber(floor.std)}`, x1 - 4 * dpr, band(floor.mean + floor.std) - 3 * dpr);
    const r = this.result;
    if (r?.divergedAt !== null && r?.divergedAt !== undefined) {
      const xd = u.valToPos(r.divergedAt, 'x', true);
      ctx.fillStyle = cssColor(el, '--lr-danger', '#c62828');
      ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = xd > left + width / 2 ? 'right' : 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(`✕ diverged at step ${r.divergedAt}`, xd, top + 4 * dpr);
    }
    ctx.restore();
  }

  // `withRef`: the full-batch run (when switched on) matches the current η.
  render(withRef) {
    const r = this.result;
    const showRef = this.reference && withRef && this.ref;
    const n = r.loss.length;
    const steps = Array.from({ length: n }, (_, i) => i);
    const raw = forLogAxis(r.loss);
    const smooth = movingAverage(r.loss, Math.max(5, Math.round(this.steps / 12) | 1));
    const val = new Array(n).fill(null);
    r.valSteps.forEach((s, k) => { if (s < n) val[s] = r.valLoss[k]; });
    const ref = showRef ? forLogAxis(Array.from({ length: n }, (_, i) => this.ref.loss[i])) : new Array(n).fill(null);
    const from = Math.floor((1 - FLOOR_SHARE) * (n - 1));
    this.floor = r.divergedAt === null ? { from, to: n - 1, ...meanStd(r.loss, from, n) } : null;
    this.yRange = yRange(raw, smooth, val, ref);
    this.plot.setData([steps, raw, forLogAxis(smooth), forLogAxis(val), ref]);
    this.describe(from, n, showRef);
    const rows = steps.map((t) => [t, r.loss[t], smooth[t], val[t], showRef ? this.ref.loss[t] ?? null : null]);
    this.data.update(['step t', 'minibatch loss', 'smoothed', 'validation loss', 'full-batch loss'], rows,
      `SGD on the digits, batch ${this.batch}, η = ${formatNumber(this.lr)}, seed ${this.seed}`);
    Object.assign(this.container.dataset, { pending: this.reference && !withRef ? 'reference' : '', computeMs: String(Math.round(this.computeMs)), refMs: String(Math.round(this.refMs ?? 0)), lr: String(this.lr), batch: String(this.batch), floorMean: String(this.floor?.mean ?? ''), floorStd: String(this.floor?.std ?? '') });
  }

  describe(from, n, showRef) {
    const r = this.result;
    const fm = formatNumber;
    const setting = `Batch ${this.batch}${this.batch === N_TRAIN ? ' (every sample)' : ''}, η = ${fm(this.lr)}, seed ${this.seed}`;
    if (r.divergedAt !== null) {
      this.status.textContent = `${setting}: the run diverged at step ${r.divergedAt}.`;
      this.status.classList.add('lr-danger');
      return;
    }
    this.status.classList.remove('lr-danger');
    const f = this.floor;
    const lastVal = r.valLoss[r.valLoss.length - 1];
    let text = `${setting}: over the last ${n - from} steps the minibatch loss sits at a noise floor of ${fm(f.mean)} ± ${fm(f.std)} (mean ± std); validation loss ${fm(lastVal)}.`;
    if (showRef) {
      text += this.ref.divergedAt === null
        ? ` The full-batch run with the same η, free of that noise, ends at ${fm(this.ref.loss[n - 1])}.`
        : ` The full-batch run with the same η diverged at step ${this.ref.divergedAt}.`;
    }
    this.status.textContent = text;
  }
}

// --- helpers for drawing (presentation only; every loss comes from the core) ------
function nearestBatch(b) {
  let best = 0;
  for (let i = 1; i < BATCHES.length; i++) {
    if (Math.abs(Math.log(BATCHES[i] / b)) < Math.abs(Math.log(BATCHES[best] / b))) best = i;
  }
  return best;
}

// A centred moving average (window w, odd; shorter at the ends), so the
// smoothed curve has no lag against the raw one.
function movingAverage(values, w) {
  const half = (w - 1) >> 1;
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
      if (Number.isFinite(values[j])) { sum += values[j]; count += 1; }
    }
    out[i] = count ? sum / count : null;
  }
  return out;
}

function meanStd(values, from, to) {
  let sum = 0;
  let sq = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    sum += v;
    sq += v * v;
    count += 1;
  }
  const mean = count ? sum / count : NaN;
  return { mean, std: count ? Math.sqrt(Math.max(0, sq / count - mean * mean)) : NaN };
}

// The y range: everything smooth in full, the raw curve between its 1st and
// 99th percentiles (a batch of one sample can score 1e-6), at most 4 decades.
function yRange(raw, ...smooth) {
  const finite = raw.filter((v) => v !== null).sort((a, b) => a - b);
  const others = smooth.flat().filter((v) => v !== null);
  let lo = Math.min(finite[Math.floor(0.01 * (finite.length - 1))] ?? Infinity, ...others);
  let hi = Math.max(finite[Math.ceil(0.99 * (finite.length - 1))] ?? -Infinity, ...others);
  if (!(lo > 0 && Number.isFinite(hi))) return [0.1, 1];
  lo = Math.max(lo, hi / 1e4);
  return [lo / 1.15, hi * 1.15];
}
