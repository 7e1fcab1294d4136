// Figure "one-step": one gradient-descent step on a 1-D loss, drawn.
//
// The loss is f(x) = ½ λ x²; the core runs x ← x − η f′(x) for `steps` steps
// and the figure shows the iterates on the curve, the slope f′(x) at the
// current point and the step −η f′(x) as arrows, the update formula with live
// numbers, and the loss per step on a log axis. η > 2/λ diverges.
//
// Attributes: lr (0.3), x0 (2), curvature λ (1), steps (30), t (0: the step shown).
import { latestOnly } from '../model/tasks.js';
import { axis, cssColor, forLogAxis, logAxis, themed } from '../ui/chart.js';
import { createLogSlider } from '../ui/controls.js';
import { button, element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { ident, num, op, prime, renderFormula as writeMath, row, space, sub, text, texNumber } from '../ui/formula.js';
import { Figure } from './figure.js';

const LR_MIN = 0.01;
const LR_MAX = 5;
const PLAY_INTERVAL_MS = 450;

// 12 → "₁₂", for step numbers in plain text.
const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (n) => String(n).replace(/\d/g, (d) => SUBSCRIPTS[d]);

function arrow(ctx, box, x0, y, x1, color, label, above, dpr) {
  if (Math.abs(x1 - x0) < 1) return;
  const dir = Math.sign(x1 - x0);
  const head = 7 * dpr;
  // An arrow longer than the plot ends, head and all, at its edge.
  x1 = Math.min(box.left + box.width - 2 * dpr, Math.max(box.left + 2 * dpr, x1));
  if (Math.abs(x1 - x0) < head) return;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(x0, y);
  ctx.lineTo(x1 - dir * head, y);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y);
  ctx.lineTo(x1 - dir * head, y - head * 0.6);
  ctx.lineTo(x1 - dir * head, y + head * 0.6);
  ctx.closePath();
  ctx.fill();
  ctx.font = `${12 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = above ? 'bottom' : 'top';
  // Keep the label readable when the arrow runs out of the plot.
  const width = ctx.measureText(label).width;
  const mid = Math.min(box.left + box.width - width / 2 - 2, Math.max(box.left + width / 2 + 2, (x0 + x1) / 2));
  ctx.fillText(label, mid, y + (above ? -5 : 5) * dpr);
}

export default class OneStepFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'One gradient-descent step on a one-dimensional loss' });
    this.lambda = this.number('curvature', { fallback: 1, min: 0.01, max: 100, config: 'problems.quadratic.diag[]' });
    this.x0 = this.number('x0', { fallback: 2, min: -100, max: 100 });
    this.steps = this.integer('steps', { fallback: 30, min: 1, max: 500, config: 'run.steps' });
    const lr = this.number('lr', { fallback: 0.3, min: LR_MIN, max: LR_MAX, config: 'optimizers.sgd.lr' });
    this.limit = 2 / this.lambda;
    // The step shown (Step/Play move it; a share link carries it).
    this.t = this.integer('t', { fallback: 0, min: 0, max: this.steps });
    this.result = null;
    this.timer = null;

    this.buildDom(lr);
    this.showNotes();
    this.compute = latestOnly((value) => this.recompute(value));
    this.compute(lr);
  }

  buildDom(lr) {
    this.slider = createLogSlider({
      label: 'learning rate η', symbol: 'η', min: LR_MIN, max: LR_MAX, value: lr,
      onInput: (v) => this.compute(v),
    });
    this.slider.element.classList.add('lr-slider-wide');
    const limit = element('span', 'lr-hint', `stable for η < 2/λ = ${formatNumber(this.limit)}`);
    const buttons = element('div', 'lr-buttons');
    this.stepButton = button('Step', () => this.advance());
    this.playButton = button('Play', () => (this.timer ? this.stop() : this.play()));
    this.resetButton = button('Reset', () => { this.stop(); this.setStep(0); });
    buttons.append(this.stepButton, this.playButton, this.resetButton);
    this.keep('lr', () => this.slider.value, this.slider, limit);
    this.tag('play', buttons);
    this.keep('t', () => this.t);
    this.controls.append(this.slider.element, limit, buttons);

    this.formula = element('p', 'lr-formula');
    this.formula.setAttribute('aria-live', 'off');
    this.controls.after(this.formula);
    this.landscapeBox = this.panel('the loss f(x) = ½ λ x² and the iterates');
    this.lossBox = this.panel('loss per step (log scale)');

    this.makeLandscape();
    this.makeLossChart();
  }

  makeLandscape() {
    const span = 1.3 * Math.max(Math.abs(this.x0), 0.5);
    const top = 0.5 * this.lambda * span * span;  // f at the plot's edges, for a fixed y range
    const el = this.container;
    this.landscape = this.chart(this.landscapeBox, {
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-span, span] }, y: { range: [-0.08 * top, 1.08 * top] } },
      axes: [axis(el, { label: 'x' }), axis(el, { label: 'f(x)', size: 50 })],
      series: [{}, { stroke: themed(el, '--lr-ink', '#222'), width: 2, points: { show: false } }],
      hooks: { draw: [(u) => this.drawIterates(u)] },
    }, [[-span, span], [null, null]]);
    // The curve itself comes from the core, like every number in the figure.
    const gridConfig = { problem: this.problem(), grid: { x: [-span, span], nx: 201 } };
    this.engine.grid(gridConfig)
      .then((g) => {
        this.track('grid', 'grid', gridConfig, g);
        this.landscape.setData([g.x, g.values]);
      })
      .catch((err) => { this.status.textContent = `Could not draw the loss curve: ${err.message}`; });
  }

  problem() {
    return { name: 'quadratic', diag: [this.lambda], x0: [this.x0] };
  }

  makeLossChart() {
    const el = this.container;
    this.lossChart = this.chart(this.lossBox, {
      legend: { show: false },
      cursor: { points: { show: false } },
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [axis(el, { label: 'step t' }), logAxis(el, { label: 'loss' })],
      series: [{}, { label: 'loss', stroke: themed(el, '--lr-accent', '#1769aa'), width: 2, points: { size: 4 } }],
      hooks: { draw: [(u) => this.drawLossMarkers(u)] },
    }, [[0, 1], [1, 1]]);
  }

  drawIterates(u) {
    const r = this.result;
    if (!r) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const px = (x) => u.valToPos(x, 'x', true);
    const py = (y) => u.valToPos(y, 'y', true);
    const xs = r.params;
    const fx = r.loss;  // f(x_i), from the core
    const last = Math.min(this.t, r.steps);
    const accent = cssColor(this.container, '--lr-accent', '#1769aa');
    const muted = cssColor(this.container, '--lr-muted', '#666');
    const danger = cssColor(this.container, '--lr-danger', '#c62828');
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    // The path so far.
    ctx.strokeStyle = muted;
    ctx.lineWidth = 1 * dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.beginPath();
    for (let i = 0; i <= last; i++) {
      const x = px(xs[i]);
      const y = py(fx[i]);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    for (let i = 0; i <= last; i++) {
      ctx.fillStyle = i === last ? accent : muted;
      ctx.beginPath();
      ctx.arc(px(xs[i]), py(fx[i]), (i === last ? 6 : 3) * dpr, 0, 2 * Math.PI);
      ctx.fill();
    }
    // Slope and step at the current point.
    const x = xs[last];
    if (Number.isFinite(x) && last < r.steps) {
      // The gradient the core used: x_{t+1} = x_t − η f′(x_t).
      const slope = (x - xs[last + 1]) / this.lr;
      const y = py(fx[last]);
      arrow(ctx, u.bbox, px(x), y - 14 * dpr, px(x + slope), muted, 'f′(x)', true, dpr);
      arrow(ctx, u.bbox, px(x), y + 14 * dpr, px(xs[last + 1]), r.divergedAt !== null ? danger : accent, '−η f′(x)', false, dpr);
    }
    ctx.restore();
  }

  drawLossMarkers(u) {
    const r = this.result;
    if (!r) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const x = u.valToPos(Math.min(this.t, r.steps), 'x', true);
    ctx.save();
    ctx.strokeStyle = cssColor(this.container, '--lr-muted', '#666');
    ctx.lineWidth = 1 * dpr;
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    if (r.divergedAt !== null) {
      const xd = u.valToPos(r.divergedAt, 'x', true);
      ctx.setLineDash([]);
      ctx.fillStyle = cssColor(this.container, '--lr-danger', '#c62828');
      ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText(`diverged at step ${r.divergedAt} ✕`, xd, u.bbox.top + 4 * dpr);
    }
    ctx.restore();
  }

  async recompute(lr) {
    this.lr = lr;
    const config = {
      problem: this.problem(),
      optimizer: { name: 'sgd', lr },
      steps: this.steps,
      record: { params: true },
    };
    try {
      this.result = await this.engine.run(config);
    } catch (err) {
      this.result = null;
      this.fail(err, 'compute this run');
      return;
    }
    this.track('run', 'run', config, this.result);
    this.render();
    const r = this.result;
    this.data.update(['step t', 'x_t', 'f(x_t)', 'η'], Array.from(r.loss, (f, t) => [t, r.params[t], f, t < r.steps ? r.lr[t] : null]));
    this.drawn();
  }

  setStep(t) {
    this.t = t;
    this.render();
  }

  advance() {
    if (!this.result) return;
    if (this.t < this.result.steps) this.setStep(this.t + 1);
    if (this.t >= this.result.steps) this.stop();
  }

  play() {
    if (!this.result) return;
    if (this.t >= this.result.steps) this.setStep(0);
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.setStep(this.result.steps);
      return;
    }
    this.playButton.textContent = 'Pause';
    this.timer = setInterval(() => this.advance(), PLAY_INTERVAL_MS);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = 'Play';
  }

  render() {
    const r = this.result;
    if (!r) return;
    this.t = Math.min(this.t, r.steps);
    const steps = Array.from({ length: r.loss.length }, (_, i) => i);
    this.lossChart.setData([steps, forLogAxis(r.loss)]);
    this.landscape.redraw(false, false);
    this.renderFormula();
    this.renderStatus();
    this.stepButton.disabled = this.t >= r.steps;
    this.container.dataset.lr = String(this.lr);
    this.container.dataset.divergedAt = r.divergedAt === null ? '' : String(r.divergedAt);
  }

  renderFormula() {
    const r = this.result;
    const t = this.t;
    const x = r.params[t];
    const n = texNumber;
    // A negative number after an operator gets brackets: 2 − 0.3 × (−1).
    const term = (v) => (v < 0 ? `(${n(v)})` : n(v));
    const termNode = (v) => (v < 0 ? row(op('('), num(v), op(')')) : num(v));
    if (t < r.steps) {
      const next = r.params[t + 1];
      const slope = (x - next) / this.lr;
      writeMath(this.formula, [
        sub('x', t + 1), op('='), sub('x', t), op('−'), ident('η'), space(0.17), ident('f'), prime(), op('('), sub('x', t), op(')'),
        op('='), num(x), op('−'), num(this.lr), op('×'), termNode(slope), op('='), num(next),
      ], `x_{${t + 1}} = x_{${t}} - \\eta\\, f'(x_{${t}}) = ${n(x)} - ${n(this.lr)} \\times ${term(slope)} = ${n(next)}`);
    } else {
      writeMath(this.formula, [sub('x', t), op('='), num(x), space(1), text('(end of the run)')],
        `x_{${t}} = ${n(x)}\\quad\\text{(end of the run)}`);
    }
  }

  renderStatus() {
    const r = this.result;
    const f = formatNumber;
    const side = this.lr < this.limit ? 'below' : this.lr > this.limit ? 'above' : 'exactly at';
    if (r.divergedAt !== null) {
      this.status.textContent = `With η = ${f(this.lr)} (${side} 2/λ = ${f(this.limit)}) every step overshoots the minimum by more than it started: the run diverged at step ${r.divergedAt}.`;
    } else {
      this.status.textContent = `With η = ${f(this.lr)} (${side} 2/λ = ${f(this.limit)}) the loss goes from ${f(r.loss[0])} to ${f(r.loss[r.steps])} in ${r.steps} steps (the loss panel); the curve shows ${this.t < r.steps ? `the step from x${subscript(this.t)} to x${subscript(this.t + 1)}` : `where the run ends, x${subscript(this.t)}`}.`;
    }
    this.status.classList.toggle('lr-danger', r.divergedAt !== null);
  }

  pause() {
    super.pause();
    this.stop();
  }
}
