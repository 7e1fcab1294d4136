// Figure "edge-of-stability": full-batch gradient descent on the digits
// network, and its sharpness (λmax of the Hessian of the loss) meeting 2/η.
//
// On a quadratic the sharpness is a constant and gradient descent is stable
// exactly when it is below 2/η. A network's sharpness moves as it trains:
// under full-batch gradient descent it rises ("progressive sharpening")
// until it reaches about 2/η and then hovers there while the loss keeps
// falling, not always monotonically — the "edge of stability" of Cohen,
// Kaur, Li, Kolter & Talwalkar (2021). The core records λmax every few steps
// (README "Sharpness": exact Hessian-vector products for the mlp, power
// iteration warm-started from the last eigenvector); the lower chart draws it
// against the step with the stability limit (2 + 2β)/η of the η in use (β
// the momentum: 2/η for plain gradient descent). Raising η half-way lowers
// the limit under the sharpness: the loss jumps, and the network moves to a
// flatter region where the new limit holds — a quadratic cannot, and its
// loss grows without bound.
//
// Attributes (a bad value falls back to the default with a note):
//   problem   relu | tanh | quadratic   the network (H = 16) or the bowl    default relu
//   lr        η                                                              default 0.5, [0.05, 2]
//   raise     raise η half-way: on | off                                     default on
//   lr2       η after the raise                                              default 1,   [0.05, 2]
//   optimizer gd | momentum (heavy ball, β = 0.9)                           default gd
//   steps     length of the run                                              default 300, integer [100, 1000]
// A run of the defaults is ~1.3 s natively (61 estimates of 10 products
// each, beside 300 gradient steps); it is drawn as it computes.
import { latestAborting } from '../model/tasks.js';
import { axis, cssColor, clipToPlot, dottedVertical, forLogAxis, logAxis, seriesColor, themed, uPlot } from '../ui/chart.js';
import { createCheckbox, createLogSlider, createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { alignTo, clampLoss, padTo } from '../model/digits-runs.js';
import { logRange } from './schedule-forms.js';
import { Figure } from './figure.js';

const f = formatNumber;
let instances = 0;

const LR_MIN = 0.05;
const LR_MAX = 2;
const MOMENTUM = 0.9;
// The problems: the digits network (full batch, 1437 samples) and, for
// contrast, a bowl whose sharpness is fixed at 3.
export const PROBLEMS = {
  relu: { label: 'digits network, ReLU (H = 16)', problem: { name: 'mlp', hidden: 16, activation: 'relu' } },
  tanh: { label: 'digits network, tanh (H = 16)', problem: { name: 'mlp', hidden: 16, activation: 'tanh' } },
  quadratic: { label: 'a quadratic bowl, λmax = 3', problem: { name: 'quadratic', diag: [1, 3], x0: [1, 1] } },
};
const N_TRAIN = 1437;  // every step sees every training sample
const ITERATIONS = 10;  // power iterations per estimate (warm-started)
const ESTIMATES = 60;  // about this many estimates per run
// "At the limit": within this share of it.
const NEAR = 0.1;

export default class EdgeOfStabilityFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Edge of stability: full-batch gradient descent on a digits network, its sharpness rising to 2/η' });
    this.settings = {
      problem: this.choice('problem', { fallback: 'relu', values: Object.keys(PROBLEMS) }),
      lr: this.number('lr', { fallback: 0.5, min: LR_MIN, max: LR_MAX, config: 'optimizers.sgd.lr' }),
      raise: this.choice('raise', { fallback: 'on', values: ['on', 'off'] }) === 'on',
      lr2: this.number('lr2', { fallback: 1, min: LR_MIN, max: LR_MAX, config: 'optimizers.sgd.lr' }),
      optimizer: this.choice('optimizer', { fallback: 'gd', values: ['gd', 'momentum'] }),
      steps: this.integer('steps', { fallback: 300, min: 100, max: 1000, config: 'run.steps' }),
    };
    this.result = null;
    this.complete = null;
    this.syncKey = `lrlab-eos-${++instances}`;
    this.panels.classList.add('lr-digits-panels');
    this.buildControls();
    this.buildCharts();
    this.showNotes();
    // A run takes 1–2 s: a newer setting aborts the one computing once that
    // has drawn its first steps (150 ms), so that a drag keeps drawing runs
    // of recent values and its last value starts within 150 ms of release.
    this.compute = latestAborting((value, signal) => this.recompute(signal), { minMs: 150 });
    this.compute();
  }

  get raiseAt() {
    return Math.round(this.settings.steps / 2);
  }

  get beta() {
    return this.settings.optimizer === 'momentum' ? MOMENTUM : 0;
  }

  // --- controls ---------------------------------------------------------------------
  buildControls() {
    const s = this.settings;
    const set = (key) => (v) => { s[key] = v; this.compute(); };
    const problem = createSelect({
      label: 'problem', value: s.problem,
      options: Object.entries(PROBLEMS).map(([value, p]) => ({ value, label: p.label })),
      onChange: set('problem'),
    });
    problem.input.classList.add('lr-eos-problem');
    const lr = createLogSlider({ label: 'learning rate η', symbol: 'η', min: LR_MIN, max: LR_MAX, value: s.lr, onInput: set('lr') });
    lr.input.classList.add('lr-eos-lr');
    const raise = createCheckbox({ label: 'raise η half-way', checked: s.raise, onChange: (on) => { s.raise = on; lr2.input.disabled = !on; this.compute(); } });
    raise.input.classList.add('lr-eos-raise');
    const lr2 = createLogSlider({ label: 'η after the raise', symbol: 'η after the raise', min: LR_MIN, max: LR_MAX, value: s.lr2, onInput: set('lr2') });
    lr2.input.classList.add('lr-eos-lr2');
    lr2.input.disabled = !s.raise;
    const optimizer = createSelect({
      label: 'optimizer', value: s.optimizer,
      options: [{ value: 'gd', label: 'gradient descent' }, { value: 'momentum', label: `with momentum β = ${MOMENTUM}` }],
      onChange: set('optimizer'),
    });
    optimizer.input.classList.add('lr-eos-optimizer');
    const steps = createSlider({ label: 'steps', symbol: 'steps', min: 100, max: 1000, step: 50, value: s.steps, format: String, onInput: set('steps') });
    steps.input.classList.add('lr-eos-steps');
    this.controls.append(lr.element, raise.element, lr2.element, problem.element, optimizer.element, steps.element);
    this.keep('lr', () => s.lr, lr);
    this.keep('raise', () => (s.raise ? 'on' : 'off'), raise);
    this.keep('lr2', () => s.lr2, lr2);
    this.keep('problem', () => s.problem, problem);
    this.keep('optimizer', () => s.optimizer, optimizer);
    this.keep('steps', () => s.steps, steps);
  }

  // --- charts -----------------------------------------------------------------------
  cursor() {
    return { sync: { key: this.syncKey, setSeries: false }, drag: { x: false, y: false, setScale: false }, y: false, points: { size: 6 } };
  }

  buildCharts() {
    const el = this.container;
    const value = (u, v) => (v === null || v === undefined ? '—' : f(v));
    const stepValue = (u, v) => (v === null || v === undefined ? '—' : String(Math.round(v)));
    const x = { time: false, range: () => [0, this.shown?.steps ?? this.settings.steps] };
    const lossBox = this.panel('full-batch training loss on a log axis', { wide: true });
    this.lossChart = this.chart(lossBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: { x, y: { distr: 3, range: () => this.lossRange ?? [0.01, 10] } },
      axes: [axis(el), logAxis(el, { label: 'loss' })],
      series: [
        { label: 'step', value: stepValue },
        { label: 'training loss', stroke: seriesColor(el, 0), width: 2, value, points: { show: false } },
      ],
      hooks: { draw: [(u) => this.drawMarks(u, 'loss')] },
    }, [[0], [null]], { aspect: 0.36, minHeight: 200, maxHeight: 300 });

    const sharpBox = this.panel('sharpness λmax (top eigenvalue of the Hessian) every few steps, and the stability limit of the η in use', { wide: true });
    this.sharpChart = this.chart(sharpBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: { x, y: { range: () => [0, this.sharpMax ?? 5] } },
      axes: [axis(el, { label: 'step' }), axis(el, { label: 'λmax', size: 56 })],
      series: [
        { label: 'step', value: stepValue },
        { label: 'sharpness λmax', stroke: seriesColor(el, 1), width: 2, value, spanGaps: true, points: { show: true, size: 4, fill: seriesColor(el, 1) } },
        { label: 'limit', stroke: themed(el, '--lr-ink', '#1d1f23'), width: 1.5, dash: [6, 4], value, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } },
      ],
      hooks: { draw: [(u) => this.drawMarks(u, 'sharpness')] },
    }, [[0], [null], [null]], { aspect: 0.36, minHeight: 200, maxHeight: 300 });
  }

  // The raise (a dotted vertical), a limit above the chart, and divergence.
  drawMarks(u, which) {
    const r = this.result;
    const s = this.shown;
    if (!r || !s) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    const ink = cssColor(this.container, '--lr-ink', '#222');
    clipToPlot(u);
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    if (s.raise) {
      const xr = Math.round(u.valToPos(s.raiseAt, 'x', true));
      ctx.strokeStyle = ink;
      ctx.globalAlpha = 0.5;
      dottedVertical(u, xr);
      ctx.globalAlpha = 1;
      if (which === 'loss') {
        ctx.fillStyle = ink;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(`η → ${f(s.lr2)}`, xr + 4 * dpr, top + 4 * dpr);
      }
    }
    if (which === 'sharpness') {
      // A limit off the top of the chart is named there, so the reader knows it exists.
      const limits = s.raise ? [[0, s.raiseAt, s.limit], [s.raiseAt, s.steps, s.limit2]] : [[0, s.steps, s.limit]];
      ctx.fillStyle = ink;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'center';
      for (const [from, to, limit] of limits) {
        if (limit <= this.sharpMax) continue;
        const xm = (u.valToPos(from, 'x', true) + u.valToPos(to, 'x', true)) / 2;
        ctx.fillText(`limit ${f(limit)} ↑ (above the chart)`, xm, top + 4 * dpr);
      }
    }
    if (r.divergedAt !== null && which === 'loss') {
      const xd = u.valToPos(r.divergedAt, 'x', true);
      ctx.fillStyle = cssColor(this.container, '--lr-danger', '#c62828');
      ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = xd > left + width / 2 ? 'right' : 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(`✕ diverged at step ${r.divergedAt}`, xd, top + height - 4 * dpr);
    }
    ctx.restore();
  }

  // --- compute and draw --------------------------------------------------------------
  config() {
    const s = this.settings;
    const optimizer = { name: 'sgd', lr: s.lr };
    if (this.beta) optimizer.momentum = this.beta;
    const config = {
      problem: structuredClone(PROBLEMS[s.problem].problem),
      optimizer,
      steps: s.steps,
      batch_size: N_TRAIN,
      eval_every: s.steps,
      record: { params: false, sharpness: { every: Math.max(5, Math.ceil(s.steps / ESTIMATES)), iterations: ITERATIONS } },
    };
    // The raise: η multiplied by lr2/lr from step raiseAt on.
    if (s.raise && s.lr2 !== s.lr) config.schedule = { name: 'multistep', milestones: [this.raiseAt], gamma: s.lr2 / s.lr };
    return config;
  }

  async recompute(signal) {
    const config = this.config();
    const shown = { ...this.settings, raiseAt: this.raiseAt, beta: this.beta };
    shown.limit = (2 + 2 * shown.beta) / shown.lr;
    shown.limit2 = (2 + 2 * shown.beta) / shown.lr2;
    // Drawing a run of another problem over this one would mix two pictures.
    const previous = this.complete && this.completeProblem === shown.problem ? this.complete : null;
    const start = performance.now();
    let result;
    try {
      result = await this.runDrawn(config, previous, (run) => {
        this.result = run;
        this.shown = shown;
        this.render({ partial: true });
      }, { signal });
    } catch (err) {
      this.fail(err, 'train the network');
      return;
    }
    this.container.dataset.computeMs = (performance.now() - start).toFixed(1);
    this.track('run', 'run', config, result);
    this.result = result;
    this.complete = result;
    this.completeProblem = shown.problem;
    this.shown = shown;
    this.render();
    this.drawn();
  }

  render({ partial = false } = {}) {
    const r = this.result;
    const s = this.shown;
    const n = s.steps;
    const xs = Array.from({ length: n + 1 }, (_, i) => i);
    const loss = clampLoss(padTo(n, r.loss));
    this.lossRange = logRange(loss);
    this.lossChart.setData([xs, forLogAxis(loss)]);

    const sharp = sharpnessOf(r);
    const lambda = alignTo(n, sharp.steps, sharp.values);
    // The limit of the η in use at each step (η from the run itself).
    const lr = padTo(n, r.lr);
    if (lr[n] === null && r.lr.length === n) lr[n] = r.lr[n - 1];
    const limit = lr.map((v) => (v > 0 ? (2 + 2 * s.beta) / v : null));
    const top = Math.max(0, ...sharp.values.filter(Number.isFinite));
    // Room for the sharpness and the limits — unless a limit is far above
    // the sharpness (small η), which would flatten the curve: then it is
    // named at the top instead (drawMarks).
    const limits = s.raise ? [s.limit, s.limit2] : [s.limit];
    const reach = Math.max(...limits.filter((v) => v <= 3 * Math.max(top, 1)), 0);
    this.sharpMax = 1.12 * Math.max(top, reach, 1e-3);
    this.sharpChart.setData([xs, lambda.map((v) => (v === null ? null : Math.min(v, 10 * this.sharpMax))), limit]);
    if (partial) return;
    this.describe(sharp);
    this.renderData(xs, lr, loss, lambda, limit);
  }

  describe(sharp) {
    const r = this.result;
    const s = this.shown;
    const limitName = s.beta ? `(2 + 2β)/η = ${f(s.limit)}` : `2/η = ${f(s.limit)}`;
    const parts = [];
    const before = phase(sharp, 0, s.raise ? s.raiseAt : s.steps + 1);
    if (!before.values.length) {
      this.status.textContent = 'The run recorded no finite sharpness.';
      return;
    }
    const first = before.values[0];
    const peak = Math.max(...before.values);
    const peakAt = before.steps[before.values.indexOf(peak)];
    const reached = before.steps.find((t, i) => before.values[i] >= (1 - NEAR) * s.limit);
    if (s.problem === 'quadratic') {
      parts.push(`A quadratic's sharpness is a constant, ${f(first)}; the limit at η = ${f(s.lr)} is ${limitName}.`);
      // Past the limit, plain gradient descent multiplies the top direction's
      // error by |1 − ηλ| > 1 at every step, so the loss by its square.
      const over = [[s.lr, 0], ...(s.raise ? [[s.lr2, s.raiseAt]] : [])].find(([lr]) => !s.beta && lr * first > 2);
      if (over) parts.push(`Past the limit it cannot adapt: from step ${over[1]}, the loss grows ${f((over[0] * first - 1) ** 2)} × per step.`);
    } else if (reached !== undefined) {
      const after = phase(before, reached, Infinity);
      const mean = after.values.reduce((a, b) => a + b, 0) / after.values.length;
      parts.push(`With η = ${f(s.lr)} the limit is ${limitName}. The sharpness rose from ${f(first)} at step 0 to within ${Math.round(NEAR * 100)} % of it by step ${reached}, peaked at ${f(peak)} (step ${peakAt}), and averaged ${f(mean)} (${(mean / s.limit).toFixed(2)} × the limit) from there${s.raise ? ` to step ${s.raiseAt}` : ''}.`);
    } else {
      parts.push(`With η = ${f(s.lr)} the limit is ${limitName}, but the sharpness only rose from ${f(first)} to ${f(peak)} (step ${peakAt}): the network does not get that sharp at this η, so it never meets the limit — raise η to bring the limit down to it.`);
    }
    if (s.raise && r.divergedAt === null) {
      const after = phase(sharp, s.raiseAt, Infinity);
      const lossAt = r.loss[s.raiseAt];
      let lossPeak = -Infinity;
      for (let t = s.raiseAt; t < r.loss.length; t++) lossPeak = Math.max(lossPeak, r.loss[t]);
      const end = after.values.at(-1);
      if (end !== undefined) {
        const limit2 = s.beta ? `(2 + 2β)/η = ${f(s.limit2)}` : `2/η = ${f(s.limit2)}`;
        parts.push(`At step ${s.raiseAt} η became ${f(s.lr2)}, limit ${limit2}: the loss went from ${f(lossAt)} to a peak of ${f(lossPeak)}, and the sharpness ended at ${f(end)} (${(end / s.limit2).toFixed(2)} × the new limit).`);
      }
    }
    if (r.divergedAt !== null) parts.push(`The run diverged at step ${r.divergedAt}.`);
    this.status.textContent = parts.join(' ');
    this.status.classList.toggle('lr-danger', r.divergedAt !== null);
    Object.assign(this.container.dataset, { reachedAt: reached === undefined ? '' : String(reached), peak: String(peak), limit: String(s.limit) });
  }

  renderData(xs, lr, loss, lambda, limit) {
    const rows = xs.map((t) => [t, lr[t], loss[t], lambda[t], limit[t]]);
    const s = this.shown;
    this.data.update(['step', 'η', 'training loss (full batch)', 'sharpness λmax', `limit ${s.beta ? '(2 + 2β)/η' : '2/η'}`], rows,
      `${PROBLEMS[s.problem].label}, full-batch ${s.beta ? `heavy-ball momentum β = ${s.beta}` : 'gradient descent'}, η = ${f(s.lr)}${s.raise ? ` then ${f(s.lr2)} from step ${s.raiseAt}` : ''}`);
  }
}

// The run's sharpness as plain arrays, without non-finite values.
function sharpnessOf(result) {
  const steps = [];
  const values = [];
  const sh = result.sharpness;
  if (sh) {
    for (let i = 0; i < sh.steps.length; i++) {
      if (Number.isFinite(sh.values[i])) { steps.push(sh.steps[i]); values.push(sh.values[i]); }
    }
  }
  return { steps, values };
}

// The estimates at steps in [from, to).
function phase(sharp, from, to) {
  const steps = [];
  const values = [];
  sharp.steps.forEach((t, i) => { if (t >= from && t < to) { steps.push(t); values.push(sharp.values[i]); } });
  return { steps, values };
}
