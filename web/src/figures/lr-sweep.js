// Figure "lr-sweep": how the loss after N steps depends on η.
//
// Left: the final loss and the best loss of ~100 runs, one per η, log-spaced
// over the problem's range (engine.sweep), on log–log axes; the η values
// whose runs diverged are shaded, and on the quadratic the stability limit
// of gradient descent, 2/λmax (with momentum μ also 2(1+μ)/λmax), is marked.
// The current η is a cursor: drag it on the chart or move the η slider. Right:
// that one run's loss per step (engine.run), with a hover readout. Problem,
// optimizer and N recompute the sweep; η recomputes only the run. While the
// N slider moves on an expensive problem the sweep uses fewer η values and
// the full 101 follow when it rests (see sweep-common.js).
//
// Attributes (a bad value falls back to the default, with a note):
//   problem    quadratic | rosenbrock | logistic_regression   (quadratic)
//   optimizer  sgd | momentum | adagrad | rmsprop | adam        (sgd)
//   steps      N, integer in [10, 1000]                         (100)
//   lr         the cursor's η, within the problem's sweep range
//              (quadratic and logistic_regression 1e-4–100, rosenbrock 1e-6–10);
//              default 0.05, 0.001 and 0.1 respectively
import { axis, cssColor, dragAcross, forLogAxis, logAxis, themed } from '../ui/chart.js';
import { createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { formatNumber } from '../model/format.js';
import { progressive } from '../model/tasks.js';
import { Figure } from './figure.js';
import { OPTIMIZERS, OPTIMIZER_IDS, PROBLEMS, PROBLEM_IDS, STEPS, finalValues, runConfig, sweepConfig } from '../model/sweeps.js';
import {
  FULL_NUM, argMin, clamp, cross, divergedSpans, fetchSweeps, horizontalMark, logRange,
  lrAxis, pixelRatio, quickNum, shadeSpans, swapLogSlider, tidy, verticalMark,
} from './sweep-common.js';

const DEFAULT_LR = { quadratic: 0.05, rosenbrock: 0.001, logistic_regression: 0.1 };
const f = formatNumber;

export default class LrSweepFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Loss after N steps against the learning rate, with one run at the chosen learning rate' });
    this.problem = this.choice('problem', { fallback: 'quadratic', values: PROBLEM_IDS });
    this.optimizer = this.choice('optimizer', { fallback: 'sgd', values: OPTIMIZER_IDS });
    this.steps = this.integer('steps', { ...STEPS, config: 'run.steps' });
    const [lo, hi] = PROBLEMS[this.problem].lrRange;
    this.lr = this.number('lr', { fallback: DEFAULT_LR[this.problem], min: lo, max: hi, config: `optimizers.${OPTIMIZERS[this.optimizer].optimizer.name}.lr` });
    this.setting('lr', null, this.lr);  // its default depends on the problem: links always carry it
    this.sweep = null;
    this.run = null;
    this.sweepKey = '';
    this.runKey = '';

    this.buildControls();
    this.buildCharts();
    this.showNotes();
    this.updater = progressive((quick) => this.update(quick));
    this.onDispose(() => this.updater.cancel());
    this.updater.settled();
  }

  // --- controls ------------------------------------------------------------------------
  buildControls() {
    const problem = createSelect({
      label: 'problem',
      options: PROBLEM_IDS.map((id) => ({ value: id, label: PROBLEMS[id].label })),
      value: this.problem,
      onChange: (v) => {
        this.problem = v;
        this.lr = DEFAULT_LR[v];
        this.makeLrSlider();
        this.updater.moving();
      },
    });
    const optimizer = createSelect({
      label: 'optimizer',
      options: OPTIMIZER_IDS.map((id) => ({ value: id, label: OPTIMIZERS[id].long ?? OPTIMIZERS[id].label })),
      value: this.optimizer,
      onChange: (v) => {
        this.optimizer = v;
        this.updater.moving();
      },
    });
    this.stepsSlider = createSlider({
      label: 'steps N', symbol: 'N', min: STEPS.min, max: STEPS.max, step: STEPS.step, value: this.steps,
      format: (v) => String(v),
      onInput: (v) => {
        this.steps = v;
        this.updater.moving();
      },
    });
    this.stepsSlider.input.addEventListener('change', () => this.updater.settled());
    problem.input.name = 'problem';
    problem.element.classList.add('lr-sweep-select');
    optimizer.input.name = 'optimizer';
    optimizer.element.classList.add('lr-sweep-select');
    this.stepsSlider.input.name = 'steps';
    this.controls.append(problem.element, optimizer.element, this.stepsSlider.element);
    this.keep('problem', () => this.problem, problem);
    this.keep('optimizer', () => this.optimizer, optimizer);
    this.keep('steps', () => this.steps, this.stepsSlider);
    this.makeLrSlider();
  }

  makeLrSlider() {
    const [lo, hi] = PROBLEMS[this.problem].lrRange;
    this.lr = clamp(this.lr, lo, hi);
    const slider = swapLogSlider(this.lrSlider, {
      label: 'learning rate η', symbol: 'η', min: lo, max: hi, value: this.lr,
      onInput: (v) => this.setLr(v),
    });
    slider.input.name = 'lr';
    if (!this.lrSlider) this.controls.append(slider.element);
    this.keep('lr', () => this.lr, slider);
    this.lrSlider = slider;
  }

  // η from the slider or a drag on the chart: the cursor moves at once, the
  // run follows.
  setLr(v) {
    const [lo, hi] = PROBLEMS[this.problem].lrRange;
    this.lr = tidy(clamp(v, lo, hi));
    this.lrSlider.set(this.lr);
    this.sweepPlot.redraw(false, false);
    this.updater.again();
  }

  // --- charts ----------------------------------------------------------------------------
  buildCharts() {
    const el = this.container;
    const sweepBox = this.panel('loss after N steps against η (log–log)', { wide: true });
    this.sweepTitle = sweepBox.previousElementSibling;
    this.sweepReadout = element('p', 'lr-readout', ' ');
    this.legend = element('ul', 'lr-legend');
    sweepBox.after(this.sweepReadout, this.legend);
    const runBox = this.panel('the run at the cursor: loss per step', { wide: true });
    this.runTitle = runBox.previousElementSibling;
    this.runReadout = element('p', 'lr-readout', ' ');
    runBox.after(this.runReadout);

    this.sweepPlot = this.chart(sweepBox, {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: false, distr: 3, range: () => PROBLEMS[this.problem].lrRange },
        y: { distr: 3, range: () => this.sweepRange ?? [1e-6, 10] },
      },
      axes: [lrAxis(el), logAxis(el, { label: 'loss after N steps', labelSize: 20 })],
      series: [
        {},
        { label: 'final loss', stroke: themed(el, '--lr-accent', '#1668b0'), width: 2, points: { show: false } },
        { label: 'best loss', stroke: themed(el, '--lr-c4', '#b86e00'), width: 1.5, dash: [5, 4], points: { show: false } },
      ],
      hooks: {
        drawAxes: [(u) => this.drawRegions(u)],
        draw: [(u) => this.drawCursor(u)],
        setCursor: [(u) => this.sweepHover(u)],
      },
    }, [[1e-4, 1], [null, null], [null, null]], { aspect: 0.5, minHeight: 260, maxHeight: 420 });
    dragAcross(this.sweepPlot, (v) => this.setLr(v));

    this.runPlot = this.chart(runBox, {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: false }, y: { distr: 3, range: () => this.runRange ?? [1e-6, 10] } },
      axes: [
        axis(el, { label: 'step t', labelSize: 20, size: 36 }),
        logAxis(el, { label: 'loss', labelSize: 20 }),
      ],
      series: [
        {},
        { label: 'loss', stroke: themed(el, '--lr-accent', '#1668b0'), width: 2, points: { show: false } },
        { label: 'validation loss', stroke: themed(el, '--lr-c2', '#c2364a'), width: 2, spanGaps: true, points: { show: true, size: 4 } },
      ],
      hooks: {
        draw: [(u) => this.drawRunMarks(u)],
        setCursor: [(u) => this.runHover(u)],
      },
    }, [[0, 1], [null, null], [null, null]], { aspect: 0.3, minHeight: 180, maxHeight: 260 });
  }

  // Diverged η shaded, 2/λmax marked, the starting loss as a faint line.
  drawRegions(u) {
    const s = this.sweep;
    if (!s) return;
    const el = this.container;
    const danger = cssColor(el, '--lr-danger', '#c62828');
    const muted = cssColor(el, '--lr-muted', '#5f6672');
    shadeSpans(u, divergedSpans(s.lr, s.diverged_at), danger, 'diverged');
    if (this.run) horizontalMark(u, this.run.loss[0], muted, 'starting loss', { dash: [2, 3], width: 1, above: false });
    const limits = this.limits();
    limits.forEach(({ value, label }, i) => verticalMark(u, value, muted, label, { row: i, side: i < limits.length - 1 ? 'left' : 'auto' }));
  }

  // The analytic stability limits of the quadratic (from the core's λmax).
  limits() {
    const lambdaMax = this.run?.problem?.lambda_max;
    if (this.problem !== 'quadratic' || !(lambdaMax > 0)) return [];
    const out = [{ value: 2 / lambdaMax, label: `2/λmax = ${f(2 / lambdaMax)}` }];
    const mu = OPTIMIZERS[this.optimizer].momentum;
    if (mu) out.push({ value: (2 * (1 + mu)) / lambdaMax, label: `2(1+μ)/λmax = ${f((2 * (1 + mu)) / lambdaMax)}` });
    return out;
  }

  // The η cursor: a line, the run's final loss on it, its value on top.
  drawCursor(u) {
    const ctx = u.ctx;
    const dpr = pixelRatio();
    const el = this.container;
    const ink = cssColor(el, '--lr-ink', '#1d1f23');
    const x = u.valToPos(this.lr, 'x', true);
    const { top, height, left, width } = u.bbox;
    ctx.save();
    ctx.setLineDash([]);
    ctx.strokeStyle = ink;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // A handle with the value at the top of the line, so it reads as
    // something to drag.
    const label = `η = ${f(this.lr)}`;
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    const w = ctx.measureText(label).width + 12 * dpr;
    const h = 18 * dpr;
    const bx = clamp(x - w / 2, left, left + width - w);
    const by = top + 2 * dpr;
    ctx.fillStyle = ink;
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(bx, by, w, h, 4 * dpr);
    else ctx.rect(bx, by, w, h);
    ctx.fill();
    ctx.fillStyle = cssColor(el, '--lr-panel', '#f6f7f9');
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, bx + w / 2, by + h / 2 + 0.5 * dpr);
    const r = this.run;
    if (r && this.runLr === this.lr) {
      if (r.divergedAt !== null) {
        cross(ctx, x, top + 22 * dpr, 6 * dpr, cssColor(el, '--lr-danger', '#c62828'));
      } else {
        const v = this.runFinal();
        const y = u.valToPos(clamp(v, u.scales.y.min, u.scales.y.max), 'y', true);
        if (Number.isFinite(y)) {
          ctx.fillStyle = cssColor(el, '--lr-accent', '#1668b0');
          ctx.strokeStyle = cssColor(el, '--lr-panel', '#fff');
          ctx.lineWidth = 2 * dpr;
          ctx.beginPath();
          ctx.arc(x, clamp(y, top, top + height), 6 * dpr, 0, 2 * Math.PI);
          ctx.fill();
          ctx.stroke();
        }
      }
    }
    ctx.restore();
  }

  drawRunMarks(u) {
    const r = this.run;
    if (!r || r.divergedAt === null) return;
    const ctx = u.ctx;
    const dpr = pixelRatio();
    const danger = cssColor(this.container, '--lr-danger', '#c62828');
    const x = u.valToPos(r.divergedAt, 'x', true);
    const y = u.bbox.top + 12 * dpr;
    cross(ctx, x, y, 6 * dpr, danger);
    ctx.save();
    ctx.fillStyle = danger;
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = x > u.bbox.left + u.bbox.width / 2 ? 'right' : 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(`diverged at step ${r.divergedAt}`, x + (ctx.textAlign === 'right' ? -12 : 12) * dpr, y);
    ctx.restore();
  }

  sweepHover(u) {
    const i = u.cursor.idx;
    const s = this.sweep;
    if (!s || i === null || i === undefined || i >= s.lr.length) {
      this.sweepReadout.textContent = 'Drag on the chart (or use the η slider) to move the cursor.';
      return;
    }
    const finalName = PROBLEMS[this.problem].data ? 'final validation loss' : 'final loss';
    const text = s.diverged_at[i] !== null
      ? `η = ${f(s.lr[i])}: diverged at step ${s.diverged_at[i]}`
      : `η = ${f(s.lr[i])}: ${finalName} ${f(this.finals[i])}, best ${f(s.best_loss[i])}`;
    this.sweepReadout.textContent = text;
  }

  runHover(u) {
    const t = u.cursor.idx;
    const r = this.run;
    if (!r || t === null || t === undefined || t >= r.loss.length) {
      this.runReadout.textContent = ' ';
      return;
    }
    let text = `step ${t}: ${PROBLEMS[this.problem].data ? 'minibatch loss' : 'loss'} ${f(r.loss[t])}`;
    const k = r.valSteps.indexOf(t);
    if (PROBLEMS[this.problem].data && k >= 0) text += `, validation loss ${f(r.valLoss[k])}`;
    this.runReadout.textContent = text;
  }

  // --- computing ---------------------------------------------------------------------------
  async update(quick) {
    const { problem, optimizer, steps, lr } = this;
    const num = quick ? quickNum(problem, steps, 1) : FULL_NUM;
    const sc = sweepConfig(problem, optimizer, steps, num);
    const rc = runConfig(problem, optimizer, steps, lr);
    const sKey = JSON.stringify(sc);
    const rKey = JSON.stringify(rc);
    if (sKey === this.sweepKey && rKey === this.runKey) return;
    let sweep;
    let run;
    const t0 = performance.now();
    try {
      [sweep, run] = await Promise.all([
        sKey === this.sweepKey ? this.sweep : fetchSweeps(this.engine, problem, [sc]).then((r) => r[0]),
        rKey === this.runKey ? this.run : this.engine.run(rc),
      ]);
    } catch (err) {
      if (!this.disposed) this.fail(err);
      return;
    }
    if (this.disposed) return;
    this.status.classList.remove('lr-danger');
    this.sweep = sweep;
    this.run = run;
    this.sweepKey = sKey;
    this.runKey = rKey;
    this.runLr = lr;
    this.shown = { problem, optimizer, steps };
    this.track('sweep', 'sweep', sc, sweep);
    this.track('run', 'run', rc, run);
    const t1 = performance.now();
    this.render();
    this.timing(t1 - t0, performance.now() - t1);
    this.drawn();
  }

  // How long the last update waited for the engine and took to draw (ms),
  // for the bench (npm run bench).
  timing(compute, draw) {
    this.container.dataset.computeMs = compute.toFixed(2);
    this.container.dataset.drawMs = draw.toFixed(2);
  }

  runFinal() {
    const r = this.run;
    if (PROBLEMS[this.shown.problem].data) {
      const k = r.valSteps.indexOf(r.steps);
      if (k >= 0) return r.valLoss[k];
    }
    return r.loss[r.loss.length - 1];
  }

  // --- drawing ---------------------------------------------------------------------------
  render() {
    const s = this.sweep;
    const r = this.run;
    const { problem, optimizer, steps } = this.shown;
    const data = PROBLEMS[problem].data;
    this.finals = finalValues(problem, s);
    const finals = forLogAxis(this.finals.map((v) => v ?? NaN));
    const bests = forLogAxis(s.best_loss.map((v, i) => (s.diverged_at[i] === null ? v ?? NaN : NaN)));
    // On the digits the best minibatch loss can reach ~0 (one lucky batch of
    // 32): the range shows two decades below the lowest final loss and
    // leaves the rest of it to run off the bottom.
    const lowest = Math.min(...finals.filter((v) => v !== null));
    const rangeValues = data ? [...finals, r.loss[0], lowest / 100] : [...finals, ...bests, r.loss[0]];
    this.sweepRange = logRange(rangeValues);
    this.sweepPlot.setData([Array.from(s.lr), finals, bests]);

    const t = Array.from({ length: r.loss.length }, (_, i) => i);
    const loss = forLogAxis(r.loss);
    const val = new Array(r.loss.length).fill(null);
    if (data) r.valSteps.forEach((step, k) => { if (step < val.length) val[step] = r.valLoss[k]; });
    const valLog = forLogAxis(val.map((v) => v ?? NaN));
    this.runRange = logRange([...loss, ...valLog]);
    this.runPlot.setData([t, loss, valLog]);
    this.runPlot.setSeries(2, { show: data });

    const name = PROBLEMS[problem].data ? 'final validation loss' : 'final loss';
    const bestName = data ? 'best minibatch loss' : 'best loss';
    this.sweepTitle.textContent = `${name} and ${bestName} after N = ${steps} steps, ${s.lr.length} values of η (log–log)`;
    this.runTitle.textContent = `the run at η = ${f(this.runLr)}: ${data ? 'minibatch and validation loss' : 'loss'} per step`;
    this.renderLegend(data, s.diverged_at.some((d) => d !== null));
    this.renderStatus();
    this.sweepHover(this.sweepPlot);
    this.data.update(
      ['η', name, bestName, 'diverged at step'],
      Array.from(s.lr, (lr, i) => [lr, this.finals[i], s.diverged_at[i] === null ? s.best_loss[i] : null, s.diverged_at[i] ?? '']),
      `${OPTIMIZERS[optimizer].long ?? OPTIMIZERS[optimizer].label}, ${steps} steps on ${PROBLEMS[problem].short}`,
    );
    Object.assign(this.container.dataset, {
      problem, optimizer, steps: String(steps), lr: String(this.runLr), num: String(s.lr.length),
      divergedAt: r.divergedAt === null ? '' : String(r.divergedAt),
    });
  }

  renderLegend(data, anyDiverged) {
    const item = (className, style, text) => {
      const li = element('li');
      const swatch = element('span', `lr-swatch ${className}`);
      swatch.style.cssText = style;
      li.append(swatch, text);
      return li;
    };
    const items = [
      item('', 'background: var(--lr-accent)', data ? 'final validation loss' : 'final loss'),
      item('lr-swatch-dashed', 'color: var(--lr-c4)', data ? 'best minibatch loss' : 'best loss'),
      anyDiverged ? item('lr-swatch-shade', 'background: var(--lr-danger)', 'diverged') : null,
      item('lr-swatch-grip', 'background: var(--lr-ink)', 'η cursor (drag it)'),
    ];
    this.legend.replaceChildren(...items.filter(Boolean));
  }

  renderStatus() {
    const s = this.sweep;
    const r = this.run;
    const { problem, optimizer, steps } = this.shown;
    const p = PROBLEMS[problem];
    const o = OPTIMIZERS[optimizer];
    const lossName = p.data ? 'final validation loss' : 'final loss';
    const best = argMin(this.finals);
    const parts = [];
    parts.push(best < 0
      ? `${o.label} for ${steps} steps on ${p.short}: every run diverges`
      : `${o.label} for ${steps} steps on ${p.short}: the lowest ${lossName}, ${f(this.finals[best])}, comes at η ≈ ${f(s.lr[best])}`);
    const spans = divergedSpans(s.lr, s.diverged_at);
    const last = spans[spans.length - 1];
    if (last && last[1] >= s.lr[s.lr.length - 1]) parts.push(`runs diverge from η ≈ ${f(s.lr[last[2]])} up`);
    else if (spans.length) parts.push(`${s.diverged_at.filter((d) => d !== null).length} runs diverge`);
    else parts.push(`no run diverges between η = ${f(s.lr[0])} and ${f(s.lr[s.lr.length - 1])}`);
    const limits = this.limits();
    const first = `${parts.join('; ')}${limits.length ? ` (${limits.map((l) => l.label).join(', ')})` : ''}.`;
    let second;
    if (r.divergedAt !== null) {
      second = `At the cursor, η = ${f(this.runLr)}, the run diverges at step ${r.divergedAt}.`;
    } else {
      const end = this.runFinal();
      const start = p.data ? r.valLoss[0] : r.loss[0];
      const verb = end < start ? 'falls' : 'rises';
      second = `At the cursor, η = ${f(this.runLr)}, the ${p.data ? 'validation loss' : 'loss'} ${verb} from ${f(start)} to ${f(end)}.`;
    }
    this.status.textContent = `${first} ${second}`;
    this.status.classList.toggle('lr-danger', false);
  }

  pause() {
    super.pause();
    this.updater?.cancel();
  }

  resume() {
    super.resume();
    // A refinement cancelled by pause() is picked up again.
    if (this.sweep && this.sweep.lr.length !== FULL_NUM) this.updater.settled();
  }
}
