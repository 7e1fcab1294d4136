// Figure "plateau": reduce-on-plateau on the digits classifier.
//
// The one-hidden-layer MLP (README "mlp", H = 32) learns the ten digit
// classes by SGD with momentum 0.9; every `eval_every` steps the validation
// loss goes to PyTorch's ReduceLROnPlateau rule (README "Reduce on
// plateau"), which multiplies η by `factor` after more than `patience`
// evaluations without an improvement of more than `threshold` (relative),
// then waits `cooldown` evaluations. Three charts share one step axis (same
// x range, cursor synced): the training loss (minibatch and its moving
// average) with the validation loss and the controller's best value, on a
// log axis; η beneath it (log axis), with a marker at every cut; and the
// controller's counters (bad evaluations against the patience, cooldown).
// Hovering a chart, or the "inspect step" slider, reads the controller's
// state at one step.
//
// Attributes (default, range):
//   lr          initial η                      0.2    [0.01, 1]
//   factor      cut factor                     0.5    [0.05, 0.95]
//   patience    evaluations without progress   4      integer [0, 20]
//   cooldown    evaluations after a cut        3      integer [0, 20]
//   threshold   relative improvement needed    1e-4   [1e-5, 0.1]
//   eval_every  steps between evaluations      20     integer [5, 100]
//   steps       length of the run              800    integer [200, 2000]
// The defaults cut η three times (steps 220, 440, 600) in a run of ~30 ms,
// drawn as it computes (engine.run's onProgress, over the last run).
import { latestOnly } from '../model/tasks.js';
import { axis, cssColor, forLogAxis, logAxis, themed, seriesColor, uPlot } from '../ui/chart.js';
import { createLogSlider, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { Figure } from './figure.js';
import { CHANCE_LOSS, alignTo, clampLoss, digitsConfig, finalValLoss, padTo, smoothLoss } from '../model/digits-runs.js';
import { logRange } from './schedule-forms.js';

const f = formatNumber;
let instances = 0;

// The settings' defaults (see the attribute list above).
const DEFAULTS = { lr: 0.2, factor: 0.5, patience: 4, cooldown: 3, threshold: 1e-4, evalEvery: 20, steps: 800 };

// The controller's record from a run result: {best, numBad, cooldown,
// multiplier} aligned with valSteps, and the steps whose evaluation cut η.
// Without one (an engine older than the plateau record) the cuts are read
// off the η series, where it drops, and the counters stay blank.
function controllerOf(result) {
  const p = result.plateau;
  if (p) return { best: p.best, numBad: p.numBad, cooldown: p.cooldown, multiplier: p.multiplier, reducedAt: Array.from(p.reducedAt) };
  const cuts = [];
  for (let t = 1; t < result.lr.length; t++) if (result.lr[t] < result.lr[t - 1]) cuts.push(t);
  return { best: null, numBad: null, cooldown: null, multiplier: null, reducedAt: cuts };
}

export default class PlateauFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Reduce-on-plateau: a digits classifier whose learning rate is cut when the validation loss stalls' });
    this.settings = {
      lr: this.number('lr', { fallback: DEFAULTS.lr, min: 0.01, max: 1, config: 'optimizers.sgd.lr' }),
      factor: this.number('factor', { fallback: DEFAULTS.factor, min: 0.05, max: 0.95, config: 'plateau.factor' }),
      patience: this.integer('patience', { fallback: DEFAULTS.patience, min: 0, max: 20, config: 'plateau.patience' }),
      cooldown: this.integer('cooldown', { fallback: DEFAULTS.cooldown, min: 0, max: 20, config: 'plateau.cooldown' }),
      threshold: this.number('threshold', { fallback: DEFAULTS.threshold, min: 1e-5, max: 0.1, config: 'plateau.threshold' }),
      evalEvery: this.integer('eval_every', { fallback: DEFAULTS.evalEvery, min: 5, max: 100, config: 'run.eval_every' }),
      steps: this.integer('steps', { fallback: DEFAULTS.steps, min: 200, max: 2000, config: 'run.steps' }),
    };
    // The step the readout shows; the run's end unless the link says otherwise.
    this.inspect = this.integer('inspect', { fallback: this.settings.steps, min: 0, max: this.settings.steps });
    this.result = null;
    this.panels.classList.add('lr-digits-panels');
    this.syncKey = `lrlab-plateau-${++instances}`;
    this.buildControls();
    this.buildCharts();
    this.showNotes();
    this.compute = latestOnly(() => this.recompute());
    this.compute();
  }

  // --- controls ---------------------------------------------------------------------
  buildControls() {
    const s = this.settings;
    const set = (key) => (v) => { s[key] = v; this.compute(); };
    // The three that make the point in sight; the rest folded under "more
    // settings", so the charts sit close to the text.
    const more = element('details', 'lr-more');
    more.append(element('summary', '', 'more settings: cooldown, threshold, evaluations, steps'));
    const moreRow = element('div', 'lr-controls');
    more.append(moreRow);
    const slider = (key, options, into = this.controls) => {
      const c = options.log ? createLogSlider({ ...options, value: s[key], onInput: set(key) }) : createSlider({ ...options, value: s[key], onInput: set(key) });
      this.keep(key === 'evalEvery' ? 'eval_every' : key, () => s[key], c);
      into.append(c.element);
      return c;
    };
    slider('lr', { label: 'initial η', symbol: 'initial η', min: 0.01, max: 1, log: true });
    slider('factor', { label: 'factor', symbol: 'factor', min: 0.05, max: 0.95, step: 0.05 });
    slider('patience', { label: 'patience', symbol: 'patience', min: 0, max: 20, format: String });
    slider('cooldown', { label: 'cooldown', symbol: 'cooldown', min: 0, max: 20, format: String }, moreRow);
    slider('threshold', { label: 'threshold', symbol: 'threshold', min: 1e-5, max: 0.1, log: true }, moreRow);
    slider('evalEvery', { label: 'evaluate every', symbol: 'steps between evaluations', min: 5, max: 100, format: (v) => `${v} steps` }, moreRow);
    slider('steps', { label: 'steps', symbol: 'steps', min: 200, max: 2000, step: 50, format: String }, moreRow);
    // Open from the start when a link or attribute set one of them.
    more.open = ['cooldown', 'threshold', 'evalEvery', 'steps'].some((k) => s[k] !== DEFAULTS[k]);
    this.controls.append(more);
    this.inspectHolder = element('div', 'lr-plateau-inspect');
    this.controls.after(this.inspectHolder);
    this.makeInspectSlider();
  }

  // The slider's range is the run's length, so it is remade when that changes.
  makeInspectSlider(n = this.settings.steps) {
    // A reader looking at the end of the run keeps looking at the end.
    this.inspect = this.inspect === this.inspectSteps ? n : Math.min(this.inspect, n);
    this.inspectSlider = createSlider({
      label: 'inspect step', symbol: 'step', min: 0, max: n, value: this.inspect, format: String,
      onInput: (v) => this.setInspect(v),
    });
    this.keep('inspect', () => (this.inspect === this.settings.steps ? undefined : this.inspect), this.inspectSlider);
    this.inspectSteps = n;
    this.inspectHolder.replaceChildren(this.inspectSlider.element);
  }

  setInspect(t) {
    this.inspect = t;
    this.hover = null;
    if (!this.result) return;
    this.renderReadout(t);
    for (const u of [this.lossChart, this.lrChart, this.counterChart]) u.redraw(false, false);
    this.drawn();
  }

  // --- charts -----------------------------------------------------------------------
  cursor() {
    return {
      sync: { key: this.syncKey, setSeries: false },
      drag: { x: false, y: false, setScale: false },
      y: false,
      points: { size: 6 },
    };
  }

  xScale() {
    return { time: false, range: () => [0, this.settingsShown?.steps ?? this.settings.steps] };
  }

  buildCharts() {
    const el = this.container;
    const muted = themed(el, '--lr-muted', '#666');
    const value = (u, v) => (v === null || v === undefined ? '—' : f(v));
    const stepValue = (u, v) => (v === null || v === undefined ? '—' : String(Math.round(v)));
    const stepped = uPlot.paths.stepped({ align: 1 });

    const lossBox = this.panel('loss on a log axis: training (minibatch and moving average), validation, and the best validation loss the controller has seen', { wide: true });
    this.lossChart = this.chart(lossBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: { x: this.xScale(), y: { distr: 3, range: () => this.lossRange ?? [0.01, 10] } },
      axes: [axis(el), logAxis(el, { label: 'loss' })],
      series: [
        { label: 'step', value: stepValue },
        { label: 'training (minibatch)', stroke: muted, width: 1, alpha: 0.3, value, points: { show: false } },
        { label: 'training (avg.)', stroke: seriesColor(el, 0), width: 2, value, points: { show: false } },
        { label: 'validation', stroke: seriesColor(el, 1), width: 2, value, spanGaps: true, points: { show: true, size: 4 } },
        { label: 'best so far', stroke: seriesColor(el, 3), width: 1.5, dash: [5, 4], value, spanGaps: true, paths: stepped, points: { show: false } },
      ],
      hooks: {
        draw: [(u) => this.drawMarks(u, 'loss')],
        setCursor: [(u) => this.onCursor(u)],
      },
    }, [[0], [null], [null], [null], [null]], { aspect: 0.42, minHeight: 220, maxHeight: 320 });

    const lrBox = this.panel('learning rate η on a log axis; ▼ marks each cut', { wide: true });
    this.lrChart = this.chart(lrBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: { x: this.xScale(), y: { distr: 3, range: () => this.lrRange ?? [0.01, 1] } },
      axes: [axis(el), logAxis(el, { label: 'η' })],
      series: [
        { label: 'step', value: stepValue },
        { label: 'η', stroke: seriesColor(el, 2), width: 2, value, paths: stepped, points: { show: false } },
      ],
      hooks: { draw: [(u) => this.drawMarks(u, 'lr')] },
    }, [[0], [null]], { aspect: 0.2, minHeight: 140, maxHeight: 180 });

    const counterBox = this.panel('the controller\'s counters at each evaluation: bad evaluations in a row (a cut comes when they exceed the patience) and cooldown left', { wide: true });
    this.counterChart = this.chart(counterBox, {
      cursor: this.cursor(),
      legend: { live: true },
      scales: { x: this.xScale(), y: { range: () => [0, this.counterMax ?? 5] } },
      axes: [
        axis(el, { label: 'step' }),
        axis(el, { label: 'evaluations', size: 56, splits: (u, i, min, max) => integerSplits(max), values: (u, splits) => splits.map(String) }),
      ],
      series: [
        { label: 'step', value: stepValue },
        { label: 'bad evaluations', stroke: seriesColor(el, 1), width: 2, value: stepValue, paths: stepped, points: { show: false } },
        { label: 'cooldown left', stroke: seriesColor(el, 4), width: 2, value: stepValue, paths: stepped, points: { show: false } },
        { label: 'patience', stroke: muted, width: 1, dash: [3, 3], value: stepValue, points: { show: false } },
      ],
      hooks: { draw: [(u) => this.drawMarks(u, 'counters')] },
    }, [[0], [null], [null], [null]], { aspect: 0.28, minHeight: 170, maxHeight: 210 });

    this.readout = element('p', 'lr-readout lr-plateau-readout');
    this.readout.setAttribute('aria-live', 'off');
    counterBox.after(this.readout);
  }

  onCursor(u) {
    if (!this.result) return;
    const idx = u.cursor.idx;
    this.hover = idx === null || idx === undefined || u.cursor.left < 0 ? null : u.data[0][idx];
    this.renderReadout(this.hover ?? this.inspect);
  }

  // Cut markers (dashed verticals, ▼ and ×factor on the η chart), the
  // inspected step, and a divergence marker.
  drawMarks(u, which) {
    const r = this.result;
    if (!r) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    const cutColor = cssColor(this.container, '--lr-c3', '#23874f');
    const ink = cssColor(this.container, '--lr-ink', '#222');
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 12 * dpr, width, height + 12 * dpr);
    ctx.clip();
    ctx.lineWidth = 1 * dpr;
    let lastLabelEnd = -Infinity;
    for (const t of this.cuts) {
      const x = Math.round(u.valToPos(t, 'x', true));
      ctx.strokeStyle = cutColor;
      ctx.globalAlpha = 0.7;
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
      if (which === 'lr') {
        const before = r.lr[t - 1];
        const y = u.valToPos(r.lr[t], 'y', true);
        ctx.fillStyle = cutColor;
        ctx.beginPath();
        ctx.arc(x, y, 3.5 * dpr, 0, 2 * Math.PI);
        ctx.fill();
        ctx.beginPath();
        const yt = u.valToPos(before, 'y', true) - 4 * dpr;
        ctx.moveTo(x - 5 * dpr, yt - 8 * dpr);
        ctx.lineTo(x + 5 * dpr, yt - 8 * dpr);
        ctx.lineTo(x, yt);
        ctx.closePath();
        ctx.fill();
        // The factor, unless the previous label is too close to leave room.
        const label = `×${f(r.lr[t] / before, 2)}`;
        ctx.font = `${11 * dpr}px system-ui, sans-serif`;
        const w = ctx.measureText(label).width;
        const right = x + 6 * dpr + w > left + width;
        const from = right ? x - 6 * dpr - w : x + 6 * dpr;
        if (from > lastLabelEnd + 4 * dpr) {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'bottom';
          ctx.fillText(label, from, yt);
          lastLabelEnd = from + w;
        }
      }
    }
    // The step being inspected (slider or hover elsewhere).
    const inspect = this.hover ?? this.inspect;
    if (inspect !== null) {
      const x = Math.round(u.valToPos(Math.min(inspect, r.steps), 'x', true));
      ctx.strokeStyle = ink;
      ctx.globalAlpha = 0.45;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    if (which === 'loss' && r.divergedAt !== null) {
      const x = u.valToPos(r.divergedAt, 'x', true);
      ctx.fillStyle = cssColor(this.container, '--lr-danger', '#c62828');
      ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = x > left + width / 2 ? 'right' : 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(`diverged at step ${r.divergedAt} ✕`, x, top + 4 * dpr);
    }
    ctx.restore();
  }

  // --- compute and draw --------------------------------------------------------------
  config() {
    const s = this.settings;
    return digitsConfig({
      lr: s.lr,
      steps: s.steps,
      evalEvery: s.evalEvery,
      plateau: { mode: 'min', factor: s.factor, patience: s.patience, threshold: s.threshold, threshold_mode: 'rel', cooldown: s.cooldown },
    });
  }

  async recompute() {
    const config = this.config();
    const settings = { ...this.settings };
    const previous = this.complete;
    const start = performance.now();
    let result;
    try {
      // The run's first steps are drawn (over the last run) while the rest
      // computes: a drag gets a frame within ~10 ms, not only every ~30.
      result = await this.runDrawn(config, previous, (run) => {
        this.result = run;
        this.settingsShown = settings;
        this.render({ partial: true });
      });
    } catch (err) {
      this.fail(err, 'train the digits classifier');
      return;
    }
    const computed = performance.now();
    this.track('run', 'run', config, result);
    this.result = result;
    this.complete = result;
    this.settingsShown = settings;
    this.render();
    // Compute (Worker round trip) and draw times, for the bench (npm run bench).
    this.container.dataset.computeMs = (computed - start).toFixed(1);
    this.container.dataset.drawMs = (performance.now() - computed).toFixed(1);
    this.drawn();
  }

  // partial: the run is still computing (the status, readout and table
  // wait for its end).
  render({ partial = false } = {}) {
    const r = this.result;
    const s = this.settingsShown;
    const n = s.steps;
    const c = controllerOf(r);
    this.controller = c;
    // Cuts that changed η within the run (one after the last step changes nothing drawn).
    this.cuts = c.reducedAt.filter((t) => t > 0 && t < Math.min(n, r.lr.length));
    if (this.inspectSteps !== n) this.makeInspectSlider(n);

    const xs = Array.from({ length: n + 1 }, (_, i) => i);
    const raw = clampLoss(padTo(n, r.loss));
    const ema = clampLoss(padTo(n, smoothLoss(r.loss)));
    const val = clampLoss(alignTo(n, r.valSteps, r.valLoss));
    const best = c.best ? alignTo(n, r.valSteps, Array.from(c.best, (v) => (Number.isFinite(v) ? v : null))) : new Array(n + 1).fill(null);
    this.lossRange = logRange([...ema, ...val]);
    this.lossChart.setData([xs, forLogAxis(raw), forLogAxis(ema), forLogAxis(val), forLogAxis(best)]);

    const lr = padTo(n, r.lr);
    if (lr[n] === null && r.lr.length === n) lr[n] = r.lr[n - 1];  // η holds to the end of the axis
    this.lrRange = logRange(lr, 1.6);
    this.lrChart.setData([xs, forLogAxis(lr)]);

    const vs = Array.from(r.valSteps);
    if (c.numBad) {
      const bad = Array.from(c.numBad);
      const cool = Array.from(c.cooldown);
      this.counterMax = Math.max(s.patience, s.cooldown, ...bad, ...cool) + 1;
      this.counterChart.setData([vs, bad, cool, vs.map(() => s.patience)]);
    } else {
      this.counterMax = Math.max(s.patience, s.cooldown) + 1;
      this.counterChart.setData([vs, vs.map(() => null), vs.map(() => null), vs.map(() => s.patience)]);
    }

    if (partial) return;
    this.renderReadout(this.hover ?? this.inspect);
    this.renderStatus();
    this.renderData(xs, raw, ema, val, lr);
  }

  // The controller's state after the last evaluation at or before step t.
  stateAt(t) {
    const r = this.result;
    let k = -1;
    for (let i = 0; i < r.valSteps.length && r.valSteps[i] <= t; i++) k = i;
    return k;
  }

  renderReadout(t) {
    const r = this.result;
    const s = this.settingsShown;
    const c = this.controller;
    t = Math.min(t, r.steps);
    const eta = r.lr[Math.min(t, r.lr.length - 1)];
    const parts = [`Step ${t}: η = ${f(eta)} (${f(eta / s.lr)} × the initial ${f(s.lr)})${this.cuts.includes(t) ? ', cut at this step' : ''}.`];
    const k = this.stateAt(t);
    if (k >= 0) {
      parts.push(`Last evaluation at step ${r.valSteps[k]}: validation loss ${f(r.valLoss[k])}`);
      if (c.numBad) {
        const best = c.best[k];
        parts[1] += Number.isFinite(best) ? `, best so far ${f(best)}.` : '.';
        if (c.cooldown[k] > 0) parts.push(`Cooling down: ${c.cooldown[k]} more evaluation${c.cooldown[k] === 1 ? '' : 's'} before bad ones count.`);
        else parts.push(`Bad evaluations in a row: ${c.numBad[k]} (a cut after more than ${s.patience}).`);
        parts.push(`Multiplier ${f(c.multiplier[k])}.`);
      } else {
        parts[1] += '.';
      }
    }
    this.readout.textContent = parts.join(' ');
    this.container.dataset.inspect = String(t);
  }

  renderStatus() {
    const r = this.result;
    const s = this.settingsShown;
    const cuts = this.cuts;
    const fin = finalValLoss(r);
    let bestVal = Infinity;
    let bestStep = 0;
    r.valLoss.forEach((v, i) => { if (v < bestVal) { bestVal = v; bestStep = r.valSteps[i]; } });
    const endLr = r.lr[r.lr.length - 1];
    let text;
    if (r.divergedAt !== null) {
      text = `With initial η = ${f(s.lr)} the run diverged at step ${r.divergedAt}${cuts.length ? ` after ${cuts.length} cut${cuts.length > 1 ? 's' : ''}` : ''}; the controller could not cut η fast enough.`;
    } else if (cuts.length === 0) {
      text = `With initial η = ${f(s.lr)} the validation loss never went more than ${s.patience} evaluations without improving, so η was never cut in ${s.steps} steps. Final validation loss ${f(fin)} (best ${f(bestVal)} at step ${bestStep}).`;
    } else {
      const list = cuts.length > 6 ? `${cuts.slice(0, 5).join(', ')} … ${cuts.at(-1)}` : cuts.join(', ');
      text = `η started at ${f(s.lr)} and was cut ${cuts.length} time${cuts.length > 1 ? 's' : ''} in ${s.steps} steps (at step${cuts.length > 1 ? 's' : ''} ${list}) to ${f(endLr)}. Final validation loss ${f(fin)}; best ${f(bestVal)} at step ${bestStep}.`;
    }
    if (r.divergedAt === null && fin > 0.9 * CHANCE_LOSS) text += ` That is no better than guessing (ln 10 ≈ ${f(CHANCE_LOSS)}): η is too large for this network.`;
    this.status.textContent = text;
    this.status.classList.toggle('lr-danger', r.divergedAt !== null);
    this.container.dataset.cuts = cuts.join(',');
  }

  renderData(xs, raw, ema, val, lr) {
    const r = this.result;
    const c = this.controller;
    const byStep = new Map(Array.from(r.valSteps, (t, k) => [t, k]));
    const rows = xs.map((t) => {
      const k = byStep.get(t);
      const has = k !== undefined && c.numBad;
      return [t, lr[t], raw[t], ema[t], val[t],
        has && Number.isFinite(c.best[k]) ? c.best[k] : null,
        has ? c.numBad[k] : null, has ? c.cooldown[k] : null, has ? c.multiplier[k] : null,
        this.cuts.includes(t) ? 'cut' : ''];
    });
    this.data.update(
      ['step', 'η', 'training loss (minibatch)', 'training loss (moving avg.)', 'validation loss', 'best', 'bad evaluations', 'cooldown left', 'multiplier', 'event'],
      rows,
      'The run step by step; the controller\'s columns are filled at evaluations.',
    );
  }
}

// Integer ticks 0..max, at most ~6 of them.
function integerSplits(max) {
  const every = Math.max(1, Math.ceil(max / 6));
  const splits = [];
  for (let v = 0; v <= max; v += every) splits.push(v);
  return splits;
}
