// Figure "local-minima": where gradient descent ends on a landscape with two
// basins, and how η (or gradient noise) decides it.
//
// The problem is the core's 1-D `double_well`, f(x) = x⁴/4 + x³/3 − x² + 8/3:
// a shallow minimum at x = 1 (f = 9/4), a barrier at x = 0 (f = 8/3) and a
// deep minimum at x = −2 (f = 0). The core runs x ← x − η (f′(x) + σ ξ) with
// ξ ~ N(0, 1) drawn from the run's seed (`gradient_noise` = σ). Two runs
// from the same start, side by side: a small η (0.03 by default: it creeps
// down into the nearest basin) and a large one (0.2: it hops the barrier).
// The figure draws the curve (from engine.grid), each run's whole path over
// it (chords between the iterates, fading from old to new, start and ends
// marked, the small-η run's first steps numbered) and the iterates x_t
// against t with the two minima and the barrier as reference lines. Play
// replays both paths; the status says which basin each run ended in.
//
// Attributes (a bad value falls back to the default with a note):
//   lr     η of the first run, log slider        default 0.03, range [0.005, 0.5]
//   lr2    η of the second run, log slider       default 0.2,  range [0.005, 0.5]
//   x0     start x₀                              default 2.5,  range [−3, 3]
//   noise  gradient-noise σ                      default 0,    range [0, 8]
//   seed   seed of the noise                     default 0,    integer in [0, 1000000]
//   steps  steps per run                         default 150,  integer in [10, 1000]
import { latestOnly } from '../model/tasks.js';
import { axis, clipToPlot, cssColor, dragAcross, themed } from '../ui/chart.js';
import { createLogSlider, createSlider } from '../ui/controls.js';
import { button, element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { Figure } from './figure.js';

const LR_MIN = 0.005;
const LR_MAX = 0.5;
const NOISE_MAX = 8;
const X_VIEW = [-3.2, 3.2];
const SHALLOW = 1;
const DEEP = -2;
const BARRIER = 0;
// Play lasts about this long whatever the number of steps.
const PLAY_MS = 4000;
const TICK_MS = 40;
const FIRST_STEPS = 8;
const FIRST_STEP_MS = 300;

// f(x) for placing labels on the curve only; every drawn number comes from the core.
const f = (x) => x ** 4 / 4 + x ** 3 / 3 - x * x + 8 / 3;

export default class LocalMinimaFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Gradient descent on a landscape with a shallow and a deep minimum' });
    this.lr = this.number('lr', { fallback: 0.03, min: LR_MIN, max: LR_MAX, config: 'optimizers.sgd.lr' });
    this.lr2 = this.number('lr2', { fallback: 0.2, min: LR_MIN, max: LR_MAX, config: 'optimizers.sgd.lr' });
    this.x0 = this.number('x0', { fallback: 2.5, min: -3, max: 3 });
    this.noise = this.number('noise', { fallback: 0, min: 0, max: NOISE_MAX, config: 'run.gradient_noise' });
    this.seed = this.integer('seed', { fallback: 0, min: 0, max: 1e6, config: 'run.seed' });
    this.steps = this.integer('steps', { fallback: 150, min: 10, max: 1000, config: 'run.steps' });
    this.result = null;
    this.second = null;
    this.t = 0;
    this.timer = null;

    this.buildControls();
    this.landscape = this.chart(this.panel('the loss f(x) and the paths of the iterates (drag on it to move the start)'), this.landscapeOptions(),
      [[X_VIEW[0], X_VIEW[1]], [null, null]]);
    // Dragging on the curve moves the start x₀ (to the slider's 0.05 grid).
    dragAcross(this.landscape, (x) => {
      const x0 = Math.min(3, Math.max(-3, Math.round(x / 0.05) * 0.05));
      if (x0 === this.x0) return;
      this.x0 = Number(x0.toFixed(2));
      this.x0Slider.set(this.x0);
      this.compute();
    });
    this.trace = this.chart(this.panel('the iterate xₜ at each step'), this.traceOptions(), [[0, 1], [null, null], [null, null]]);
    this.stepReadout = element('p', 'lr-readout lr-lm-step');
    this.stepReadout.setAttribute('aria-hidden', 'true');  // changes every animation frame; the status speaks for the run
    this.panels.after(this.stepReadout);

    this.compute = latestOnly(() => this.recompute());
    this.start();
  }

  buildControls() {
    this.lrSlider = createLogSlider({
      label: 'η, run 1', symbol: 'η of run 1', min: LR_MIN, max: LR_MAX, value: this.lr,
      onInput: (v) => { this.lr = v; this.compute(); },
    });
    this.lrSlider.input.classList.add('lr-lm-lr');
    this.lr2Slider = createLogSlider({
      label: 'η, run 2', symbol: 'η of run 2', min: LR_MIN, max: LR_MAX, value: this.lr2,
      onInput: (v) => { this.lr2 = v; this.compute(); },
    });
    this.lr2Slider.input.classList.add('lr-lm-lr2');
    // Each slider's name carries its run's colour.
    this.lrSlider.element.classList.add('lr-lm-run1');
    this.lr2Slider.element.classList.add('lr-lm-run2');
    this.x0Slider = createSlider({
      label: 'start x₀', symbol: 'x₀', min: -3, max: 3, step: 0.05, value: this.x0,
      onInput: (v) => { this.x0 = v; this.compute(); },
    });
    this.x0Slider.input.classList.add('lr-lm-x0');
    this.noiseSlider = createSlider({
      label: 'gradient noise σ', symbol: 'σ', min: 0, max: NOISE_MAX, step: 0.1, value: this.noise,
      onInput: (v) => { this.noise = v; this.syncSeedButton(); this.compute(); },
    });
    this.noiseSlider.input.classList.add('lr-lm-noise');
    this.seedButton = button('New seed', () => { this.seed += 1; this.compute(); }, 'lr-lm-seed');
    this.seedButton.setAttribute('aria-label', 'New seed for the gradient noise');
    this.seedLabel = element('span', 'lr-hint');
    this.seedGroup = element('div', 'lr-buttons lr-seed-row');
    this.seedGroup.append(this.seedButton, this.seedLabel);
    this.syncSeedButton();

    this.playButton = button('Play', () => (this.timer ? this.stop() : this.play()), 'lr-lm-play');
    this.stepButton = button('Step', () => { this.stop(); this.setStep(this.t + 1); }, 'lr-lm-stepbtn');
    this.resetButton = button('Reset', () => { this.stop(); this.setStep(0); }, 'lr-lm-reset');
    const buttons = element('div', 'lr-buttons');
    buttons.append(this.playButton, this.stepButton, this.resetButton);
    this.controls.append(this.lrSlider.element, this.lr2Slider.element, this.x0Slider.element, this.noiseSlider.element, this.seedGroup, buttons);
    this.keep('lr', () => this.lr, this.lrSlider);
    this.keep('lr2', () => this.lr2, this.lr2Slider);
    this.keep('x0', () => this.x0, this.x0Slider);
    this.keep('noise', () => this.noise, this.noiseSlider);
    this.keep('seed', () => this.seed, this.seedGroup);
    this.tag('play', buttons);
    this.showNotes();
  }

  async start() {
    try {
      this.grid = await this.loadCurve();
    } catch (err) {
      this.fail(err, 'start this figure');
      return;
    }
    if (this.disposed) return;
    this.compute();
  }

  async loadCurve() {
    const config = { problem: { name: 'double_well' }, grid: { x: X_VIEW, nx: 321 } };
    const grid = await this.engine.grid(config);
    this.track('grid', 'grid', config, grid);
    this.landscape.setData([grid.x, grid.values]);
    return grid;
  }

  syncSeedButton() {
    this.seedButton.disabled = !(this.noise > 0);
    this.seedLabel.textContent = this.noise > 0 ? `seed ${this.seed}` : 'seed (no effect without noise)';
  }

  config(lr = this.lr) {
    const config = {
      problem: { name: 'double_well', x0: [this.x0] },
      optimizer: { name: 'sgd', lr },
      steps: this.steps,
      seed: this.seed,
      record: { params: true },
    };
    if (this.noise > 0) config.gradient_noise = this.noise;
    return config;
  }

  async recompute() {
    const config = this.config();
    const config2 = this.config(this.lr2);
    let result;
    let second;
    try {
      [result, second] = await Promise.all([this.engine.run(config), this.engine.run(config2)]);
    } catch (err) {
      this.fail(err, 'compute these runs');
      return;
    }
    this.track('run', 'run', config, result);
    this.track('run2', 'run', config2, second);
    this.result = result;
    this.second = second;
    this.shownLr = [this.lr, this.lr2];
    this.syncSeedButton();
    this.status.classList.remove('lr-danger');
    // New data shows the whole paths unless a replay is running.
    this.t = this.timer ? Math.min(this.t, this.total()) : this.total();
    this.render();
    this.describe();
    this.drawn();
  }

  // --- the two charts ----------------------------------------------------------------
  landscapeOptions() {
    const el = this.container;
    return {
      legend: { show: true, live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: X_VIEW },
        y: { range: () => [-3, Math.max(8, 1.1 * f(this.x0))] },
      },
      axes: [axis(el, { label: 'x' }), axis(el, { label: 'f(x)', size: 44 })],
      series: [
        { label: 'x', value: (u, v) => formatNumber(v) },
        { label: 'f(x)', stroke: themed(el, '--lr-muted', '#5f6672'), width: 2, points: { show: false }, value: (u, v) => formatNumber(v) },
      ],
      hooks: { draw: [(u) => this.drawLandscape(u)] },
    };
  }

  traceOptions() {
    const el = this.container;
    return {
      legend: { show: true, live: true },
      cursor: { points: { size: 6 }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: [-3.5, 3.5] } },
      axes: [axis(el, { label: 'step t' }), axis(el, { label: 'xₜ', size: 44 })],
      series: [
        { label: 'step' },
        { label: 'xₜ, run 1', stroke: themed(el, '--lr-accent', '#1668b0'), width: 2, points: { show: false }, value: (u, v) => formatNumber(v) },
        { label: 'xₜ, run 2', stroke: themed(el, '--lr-c2', '#c2364a'), width: 2, points: { show: false }, value: (u, v) => formatNumber(v) },
      ],
      hooks: { draw: [(u) => this.drawTraceMarks(u)] },
    };
  }

  drawLandscape(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const el = this.container;
    const muted = cssColor(el, '--lr-muted', '#5f6672');
    const ink = cssColor(el, '--lr-ink', '#1d1f23');
    const accent = cssColor(el, '--lr-accent', '#1668b0');
    const danger = cssColor(el, '--lr-danger', '#c62828');
    const deepColor = cssColor(el, '--lr-c3', '#23874f');
    const shallowColor = cssColor(el, '--lr-c4', '#b86e00');
    const px = (x) => clampPx(u.valToPos(x, 'x', true));
    const py = (y) => clampPx(u.valToPos(y, 'y', true));
    const { left, top, width, height } = u.bbox;
    clipToPlot(u);

    // The landmarks: both minima and the barrier.
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.lineWidth = 1 * dpr;
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.strokeStyle = muted;
    ctx.beginPath();
    ctx.moveTo(px(BARRIER), top);
    ctx.lineTo(px(BARRIER), top + height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = muted;
    ctx.textBaseline = 'top';
    ctx.fillText('barrier', px(BARRIER), top + 4 * dpr);
    for (const [x, label, color] of [[DEEP, 'deep min', deepColor], [SHALLOW, 'shallow min', shallowColor]]) {
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(px(x), py(f(x)) + 4 * dpr);
      ctx.lineTo(px(x) - 5 * dpr, py(f(x)) + 12 * dpr);
      ctx.lineTo(px(x) + 5 * dpr, py(f(x)) + 12 * dpr);
      ctx.closePath();
      ctx.fill();
      ctx.fillText(label, px(x), py(f(x)) + 14 * dpr);
    }

    const r = this.result;
    if (r) {
      const last = Math.min(this.t, r.steps);
      // The second run first, so the first one's numbered steps stay on top.
      const runs = [[this.second, cssColor(el, '--lr-c2', '#c2364a'), 2], [r, accent, 1]].filter(([run]) => run);
      for (const [run, color] of runs) this.drawChords(ctx, u, run, Math.min(last, run.steps), color, dpr);
      // Number the first run's first steps where they do not crowd each other.
      const xs = r.params;
      const fx = r.loss;
      ctx.fillStyle = ink;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.font = `${11 * dpr}px system-ui, sans-serif`;
      // (The start and the end dots are kept clear too.)
      const labelled = [[px(xs[0]), py(fx[0])], ...runs.map(([run]) => {
        const k = Math.min(last, run.divergedAt ?? run.steps);
        return [px(run.params[k]), py(run.loss[k])];
      })];
      for (let i = 1; i <= Math.min(last, 9); i++) {
        if (!Number.isFinite(xs[i])) break;
        const p = [px(xs[i]), py(fx[i])];
        if (labelled.some(([a, b]) => Math.hypot(a - p[0], b - p[1]) < 16 * dpr)) continue;
        labelled.push(p);
        ctx.fillText(String(i), p[0], p[1] - 5 * dpr);
      }
      // Start: a ring; each end (or the current replay step): a filled dot.
      ctx.strokeStyle = ink;
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      ctx.arc(px(xs[0]), py(fx[0]), 6 * dpr, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillStyle = ink;
      // The label goes on the side of the ring with room for it.
      const roomRight = px(xs[0]) < left + width - 40 * dpr;
      ctx.textAlign = roomRight ? 'left' : 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText('start', px(xs[0]) + (roomRight ? 9 : -9) * dpr, py(fx[0]));
      runs.forEach(([run, color, n], k) => {
        const at = Math.min(last, run.steps);
        if (run.divergedAt !== null && at >= run.divergedAt) {
          this.drawDiverged(ctx, u, run, n, danger, dpr, k);
        } else if (at > 0) {
          ctx.fillStyle = color;
          ctx.beginPath();
          ctx.arc(px(run.params[at]), py(run.loss[at]), 6 * dpr, 0, 2 * Math.PI);
          ctx.fill();
          ctx.strokeStyle = cssColor(el, '--lr-bg', '#fff');
          ctx.lineWidth = 1.5 * dpr;
          ctx.stroke();
          ctx.fillStyle = color;
          ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(at === run.steps ? `run ${n} ends` : `run ${n}, step ${at}`, px(run.params[at]), py(run.loss[at]) - 9 * dpr);
        }
      });
    }
    ctx.restore();
  }

  // Chords between successive iterates of `run` up to step `last`, fading
  // from the oldest to the newest, with a dot at each iterate between.
  drawChords(ctx, u, run, last, color, dpr) {
    const px = (x) => clampPx(u.valToPos(x, 'x', true));
    const py = (y) => clampPx(u.valToPos(y, 'y', true));
    const xs = run.params;
    const fx = run.loss;
    ctx.lineWidth = 2 * dpr;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    for (let i = 1; i <= last; i++) {
      if (!Number.isFinite(xs[i]) || !Number.isFinite(fx[i])) break;
      ctx.globalAlpha = 0.4 + 0.6 * (i / Math.max(1, last));
      ctx.beginPath();
      ctx.moveTo(px(xs[i - 1]), py(fx[i - 1]));
      ctx.lineTo(px(xs[i]), py(fx[i]));
      ctx.stroke();
      if (i < last) {
        ctx.beginPath();
        ctx.arc(px(xs[i]), py(fx[i]), 2.5 * dpr, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
  }

  // A ✕ at the plot's edge on the side run `n` escaped to, and the step
  // (the k-th such mark a line lower).
  drawDiverged(ctx, u, run, n, color, dpr, k = 0) {
    const { left, top, width } = u.bbox;
    const x = run.params[run.divergedAt];
    const inside = Number.isFinite(x) && x > X_VIEW[0] && x < X_VIEW[1];
    const cx = inside ? clampPx(u.valToPos(x, 'x', true)) : (x < 0 ? left + 14 * dpr : left + width - 14 * dpr);
    const cy = top + (30 + 34 * k) * dpr;
    ctx.strokeStyle = color;
    ctx.lineWidth = 3 * dpr;
    const s = 6 * dpr;
    ctx.beginPath();
    ctx.moveTo(cx - s, cy - s);
    ctx.lineTo(cx + s, cy + s);
    ctx.moveTo(cx + s, cy - s);
    ctx.lineTo(cx - s, cy + s);
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    ctx.textAlign = cx > left + width / 2 ? 'right' : 'left';
    ctx.fillText(`run ${n} diverged at step ${run.divergedAt}`, cx + (cx > left + width / 2 ? -10 : 10) * dpr, cy + 6 * dpr);
  }

  drawTraceMarks(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const el = this.container;
    const { left, top, width, height } = u.bbox;
    clipToPlot(u);
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.lineWidth = 1 * dpr;
    const lines = [
      [SHALLOW, 'shallow min', cssColor(el, '--lr-c4', '#b86e00')],
      [BARRIER, 'barrier', cssColor(el, '--lr-muted', '#5f6672')],
      [DEEP, 'deep min', cssColor(el, '--lr-c3', '#23874f')],
    ];
    for (const [x, label, color] of lines) {
      const y = u.valToPos(x, 'y', true);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillText(label, left + width - 4 * dpr, y - 2 * dpr);
    }
    const r = this.result;
    if (r) {
      const tx = u.valToPos(Math.min(this.t, r.steps), 'x', true);
      ctx.strokeStyle = cssColor(el, '--lr-ink', '#1d1f23');
      ctx.globalAlpha = 0.5;
      ctx.beginPath();
      ctx.moveTo(tx, top);
      ctx.lineTo(tx, top + height);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    for (const run of [r, this.second]) {
      if (run && run.divergedAt !== null) {
        const danger = cssColor(el, '--lr-danger', '#c62828');
        const dx = u.valToPos(run.divergedAt, 'x', true);
        const x = run.params[run.divergedAt];
        const dy = u.valToPos(Number.isFinite(x) && x < 0 ? -3.2 : 3.2, 'y', true);
        ctx.strokeStyle = danger;
        ctx.lineWidth = 3 * dpr;
        const s = 6 * dpr;
        ctx.beginPath();
        ctx.moveTo(dx - s, dy - s);
        ctx.lineTo(dx + s, dy + s);
        ctx.moveTo(dx + s, dy - s);
        ctx.lineTo(dx - s, dy + s);
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  // --- state → charts, status, data -------------------------------------------------------
  // The longer of the two runs (a diverged run stops early).
  total() {
    return Math.max(this.result.steps, this.second?.steps ?? 0);
  }

  render() {
    const r = this.result;
    if (!r) return;
    const r2 = this.second;
    const steps = Array.from({ length: this.total() + 1 }, (_, i) => i);
    // Iterates that fled the view are drawn at its edge, never as huge numbers.
    const shown = (run) => steps.map((t) => (t < run.params.length && Number.isFinite(run.params[t]) ? Math.max(-3.5, Math.min(3.5, run.params[t])) : null));
    const at = (a, t) => (t < a.length ? a[t] : null);
    this.trace.setData([steps, shown(r), shown(r2)]);
    this.landscape.redraw(false, false);
    this.renderStep();
    const [lr1, lr2] = this.shownLr;
    this.data.update(['step t', `xₜ (η = ${formatNumber(lr1)})`, `f(xₜ) (η = ${formatNumber(lr1)})`, `xₜ (η = ${formatNumber(lr2)})`, `f(xₜ) (η = ${formatNumber(lr2)})`],
      steps.map((t) => [t, at(r.params, t), at(r.loss, t), at(r2.params, t), at(r2.loss, t)]),
      `Gradient descent on the double well, η = ${formatNumber(lr1)} and η = ${formatNumber(lr2)}, x₀ = ${formatNumber(this.x0)}${this.noise > 0 ? `, σ = ${formatNumber(this.noise)}, seed ${this.seed}` : ''}`);
    this.container.dataset.lr = String(lr1);
    this.container.dataset.basin = this.basinOf(r);
    this.container.dataset.basin2 = this.basinOf(r2);
  }

  renderStep() {
    const total = this.total();
    const t = Math.min(this.t, total);
    this.stepButton.disabled = t >= total;
    const where = (run, n) => {
      const k = Math.min(t, run.params.length - 1);
      return `run ${n} x = ${formatNumber(run.params[k])}, f = ${formatNumber(run.loss[k])}${k < t ? ' (diverged)' : ''}`;
    };
    this.stepReadout.textContent = `step ${t} of ${total}: ${where(this.result, 1)}; ${where(this.second, 2)}`;
  }

  basinOf(r) {
    if (r.divergedAt !== null) return 'diverged';
    const x = r.params[r.steps];
    return x > BARRIER ? 'shallow' : x < BARRIER ? 'deep' : 'barrier';
  }

  // One sentence per run: where it ended, and how often it crossed the barrier.
  describeRun(r, lr, n) {
    const fm = formatNumber;
    const setting = `With η = ${fm(lr)} (run ${n})`;
    let crossings = 0;
    let first = null;
    const end = r.divergedAt ?? r.steps;
    for (let i = 1; i <= end; i++) {
      const a = r.params[i - 1];
      const b = r.params[i];
      if (Number.isFinite(a) && Number.isFinite(b) && Math.sign(a) !== Math.sign(b) && b !== 0) {
        crossings += 1;
        first ??= i;
      }
    }
    const hops = crossings === 0 ? 'never crossing the barrier'
      : `crossing the barrier ${crossings === 1 ? 'once' : `${crossings} times`} (first at step ${first})`;
    if (r.divergedAt !== null) return `${setting} each step overshoots further: the run diverged at step ${r.divergedAt}.`;
    const x = r.params[r.steps];
    const basin = this.basinOf(r);
    const target = basin === 'shallow' ? SHALLOW : DEEP;
    const settled = Math.abs(x - target) < 0.02 && r.gradNorm[r.steps] < 0.05 * (1 + 3 * this.noise);
    const where = basin === 'barrier' ? 'on the barrier' : `the ${basin} basin`;
    const verb = this.noise > 0 ? 'ended in' : settled ? 'settled in' : 'is still on its way down in';
    return `${setting} the run ${verb} ${where} at x ≈ ${x.toFixed(2).replace('-', '−')}, f = ${fm(r.loss[r.steps])} after ${r.steps} steps, ${hops}.`;
  }

  describe() {
    const fm = formatNumber;
    const [lr1, lr2] = this.shownLr;
    const from = `From x₀ = ${fm(this.x0)}${this.noise > 0 ? `, with gradient noise σ = ${fm(this.noise)} (seed ${this.seed})` : ''}:`;
    this.status.textContent = `${from} ${this.describeRun(this.result, lr1, 1)} ${this.describeRun(this.second, lr2, 2)}`;
    this.status.classList.toggle('lr-danger', this.result.divergedAt !== null || this.second.divergedAt !== null);
  }

  // --- replay ---------------------------------------------------------------------------
  setStep(t) {
    if (!this.result) return;
    this.t = Math.max(0, Math.min(t, this.total()));
    this.landscape.redraw(false, false);
    this.trace.redraw(false, false);
    this.renderStep();
  }

  play() {
    if (!this.result) return;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.setStep(this.total());
      return;
    }
    if (this.t >= this.total()) this.setStep(0);
    this.playButton.textContent = 'Pause';
    const tick = () => {
      const total = this.total();
      const stride = Math.max(1, Math.round(total * TICK_MS / PLAY_MS));
      // The first steps are the interesting ones: show them one at a time, slowly.
      const slow = this.t < FIRST_STEPS;
      this.setStep(this.t + (slow ? 1 : stride));
      if (this.t >= total) this.stop();
      else this.timer = setTimeout(tick, this.t < FIRST_STEPS ? FIRST_STEP_MS : TICK_MS);
    };
    this.timer = setTimeout(tick, FIRST_STEP_MS);
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.playButton.textContent = 'Play';
  }

  pause() {
    super.pause();
    this.stop();
  }
}

// Canvas coordinates far outside the plot are clamped so paths stay drawable.
function clampPx(v) {
  return Number.isFinite(v) ? Math.max(-1e5, Math.min(1e5, v)) : 0;
}
