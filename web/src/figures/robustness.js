// Figure "robustness": how wide a range of η trains well, per optimizer.
//
// The lr-sweep curve — final loss after N steps against η, log–log, ~100
// runs per optimizer (engine.sweep) — for SGD, SGD with momentum, Adagrad,
// RMSprop and Adam overlaid on one problem. A loss threshold (the dashed
// line, moved with its slider) defines "trains well": beneath the chart each
// optimizer gets a bar over the η whose run ends below it, with the width of
// its widest unbroken piece in decades of η (other pieces drawn faint); a
// width marked ≥ reaches the end of the sweep, so the true range is wider.
// The status sentence names the widest. Runs that diverged
// are gaps in their curve, marked ✕ on a band at the top. N and the problem
// recompute the sweeps (fewer η values while the N slider moves on the
// digits, all 101 when it rests); the threshold only redraws.
//
// Attributes (a bad value falls back to the default, with a note):
//   problem     quadratic | rosenbrock | logistic_regression   (quadratic)
//   steps       N, integer in [10, 1000]                         (100)
//   threshold   the loss that counts as trained; quadratic 1e-4 in
//               [1e-12, 1], rosenbrock 1 in [1e-6, 10], logistic_regression
//               0.35 in [0.25, 1] (final validation loss there)
//   optimizers  comma-separated subset of sgd, momentum, adagrad, rmsprop,
//               adam shown at first                              (all five)
import { cssColor, forLogAxis, logAxis, seriesColor } from '../ui/chart.js';
import { createCheckbox, createSelect, createSlider } from '../ui/controls.js';
import { element } from '../ui/dom.js';
import { clipList, clipText, formatNumber } from '../model/format.js';
import { progressive } from '../model/tasks.js';
import { Figure } from './figure.js';
import { OPTIMIZERS, OPTIMIZER_IDS, PROBLEMS, PROBLEM_IDS, STEPS, describeRange, finalValues, formatDecades, goodRange, sweepConfig } from '../model/sweeps.js';
import {
  FULL_NUM, clamp, cross, divergedSpans, fetchSweeps, horizontalMark, logRange,
  lrAxis, pixelRatio, quickNum, swapLogSlider,
} from './sweep-common.js';

const f = formatNumber;
const Y_AXIS = 84;  // both charts' left axis width, so their η axes line up
const ROW = 26;     // height of one optimizer's bar row, CSS px
let instances = 0;

export default class RobustnessFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Final loss against the learning rate for five optimizers, and the range of learning rates that trains well for each' });
    this.problem = this.choice('problem', { fallback: 'quadratic', values: PROBLEM_IDS });
    this.steps = this.integer('steps', { ...STEPS, config: 'run.steps' });
    const p = PROBLEMS[this.problem];
    this.threshold = this.number('threshold', { fallback: p.threshold, min: p.thresholdRange[0], max: p.thresholdRange[1] });
    this.setting('threshold', null, this.threshold);  // its default depends on the problem: links always carry it
    this.enabled = this.readOptimizers();
    this.results = new Map();  // id → {config, result, finals, range}
    this.key = '';
    this.lr = [];
    this.syncKey = `lrlab-robustness-${++instances}`;

    this.buildControls();
    this.buildCharts();
    this.showNotes();
    this.updater = progressive((quick) => this.update(quick));
    this.onDispose(() => this.updater.cancel());
    this.updater.settled();
  }

  readOptimizers() {
    const raw = this.host.getAttribute('optimizers');
    if (raw === null || raw.trim() === '') return new Set(OPTIMIZER_IDS);
    const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = names.filter((n) => !OPTIMIZER_IDS.includes(n));
    const good = names.filter((n) => OPTIMIZER_IDS.includes(n));
    if (bad.length || !good.length) {
      this.notes.push(`optimizers="${clipText(raw)}": ${bad.length ? `${clipList(bad, 3, (b) => clipText(b, 20))} not known` : 'none given'} (known: ${OPTIMIZER_IDS.join(', ')}); ${good.length ? `showing ${good.join(', ')}` : 'showing all five'}.`);
    }
    return new Set(good.length ? good : OPTIMIZER_IDS);
  }

  // --- controls ------------------------------------------------------------------------
  buildControls() {
    const problem = createSelect({
      label: 'problem',
      options: PROBLEM_IDS.map((id) => ({ value: id, label: PROBLEMS[id].label })),
      value: this.problem,
      onChange: (v) => {
        this.problem = v;
        this.threshold = PROBLEMS[v].threshold;
        this.makeThresholdSlider();
        this.updater.moving();
      },
    });
    problem.input.name = 'problem';
    problem.element.classList.add('lr-sweep-select');
    this.stepsSlider = createSlider({
      label: 'steps N', symbol: 'N', min: STEPS.min, max: STEPS.max, step: STEPS.step, value: this.steps,
      format: (v) => String(v),
      onInput: (v) => {
        this.steps = v;
        this.updater.moving();
      },
    });
    this.stepsSlider.input.name = 'steps';
    this.stepsSlider.input.addEventListener('change', () => this.updater.settled());
    this.controls.append(problem.element, this.stepsSlider.element);
    this.keep('problem', () => this.problem, problem);
    this.keep('steps', () => this.steps, this.stepsSlider);
    this.makeThresholdSlider();

    this.toggles = element('fieldset', 'lr-toggles');
    this.toggles.append(element('legend', '', 'optimizers (η range that trains well)'));
    this.widthText = new Map();
    OPTIMIZER_IDS.forEach((id, k) => {
      const box = createCheckbox({
        label: OPTIMIZERS[id].label,
        checked: this.enabled.has(id),
        onChange: (on) => {
          if (on) this.enabled.add(id);
          else this.enabled.delete(id);
          this.updater.again();
        },
      });
      box.input.name = `show-${id}`;
      const swatch = element('span', 'lr-swatch');
      swatch.style.background = `var(--lr-c${k + 1})`;
      box.input.after(swatch);
      const width = element('span', 'lr-toggle-width', '');
      box.element.append(width);
      this.widthText.set(id, width);
      this.toggles.append(box.element);
    });
    this.controls.after(this.toggles);
    this.setting('optimizers', OPTIMIZER_IDS.join(','), null);
    this.keep('optimizers', () => OPTIMIZER_IDS.filter((id) => this.enabled.has(id)).join(','), this.toggles);
  }

  makeThresholdSlider() {
    const [lo, hi] = PROBLEMS[this.problem].thresholdRange;
    this.threshold = clamp(this.threshold, lo, hi);
    const slider = swapLogSlider(this.thresholdSlider, {
      label: 'threshold', symbol: 'loss threshold', min: lo, max: hi, value: this.threshold,
      onInput: (v) => {
        this.threshold = v;
        this.thresholdMoved();
      },
    });
    slider.input.name = 'threshold';
    if (!this.thresholdSlider) this.controls.append(slider.element);
    this.keep('threshold', () => this.threshold, slider);
    this.thresholdSlider = slider;
  }

  // --- charts ----------------------------------------------------------------------------
  buildCharts() {
    const el = this.container;
    const box = this.panel('final loss after N steps against η', { wide: true });
    this.title = box.previousElementSibling;
    const barsBox = element('div', 'lr-chart');
    this.readout = element('p', 'lr-readout', ' ');
    box.after(barsBox, this.readout);
    const sync = { key: this.syncKey, setSeries: false };
    const xRange = () => PROBLEMS[this.problem].lrRange;

    this.plot = this.chart(box, {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 }, sync },
      scales: { x: { time: false, distr: 3, range: xRange }, y: { distr: 3, range: () => this.yRange ?? [1e-6, 10] } },
      axes: [lrAxis(el, { label: '', labelSize: 0, size: 30 }), logAxis(el, { label: 'final loss', labelSize: 20, size: Y_AXIS })],
      series: [{}, ...OPTIMIZER_IDS.map((id, k) => ({
        label: OPTIMIZERS[id].label, stroke: seriesColor(el, k), width: 2, points: { show: false },
      }))],
      hooks: {
        draw: [(u) => this.drawMarks(u)],
        setCursor: [(u) => this.hover(u)],
      },
    }, [[1e-4, 1], ...OPTIMIZER_IDS.map(() => [null, null])], { aspect: 0.5, minHeight: 260, maxHeight: 420 });

    const rows = OPTIMIZER_IDS.length;
    this.bars = this.chart(barsBox, {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false, sync },
      scales: { x: { time: false, distr: 3, range: xRange }, y: { range: [0, rows] } },
      axes: [
        lrAxis(el),
        {
          ...logAxis(el, { size: Y_AXIS, label: '', labelSize: 20 }),
          grid: { show: false },
          ticks: { show: false },
          splits: () => OPTIMIZER_IDS.map((_, k) => rows - k - 0.5),
          values: () => OPTIMIZER_IDS.map((id) => OPTIMIZERS[id].label),
        },
      ],
      series: [{}, { show: false }],
      hooks: { draw: [(u) => this.drawBars(u)] },
    }, [xRange(), [null, null]], { aspect: 0, minHeight: rows * ROW + 56, maxHeight: rows * ROW + 56 });
  }

  // The threshold line, and ✕ bands over the η where runs diverged.
  drawMarks(u) {
    if (!this.lr.length) return;
    const el = this.container;
    const dpr = pixelRatio();
    const ctx = u.ctx;
    horizontalMark(u, this.threshold, cssColor(el, '--lr-ink', '#1d1f23'), `threshold ${f(this.threshold)}`, { dash: [7, 5], width: 1.5 });
    let band = 0;
    OPTIMIZER_IDS.forEach((id, k) => {
      const entry = this.results.get(id);
      if (!entry || !this.enabled.has(id)) return;
      const spans = divergedSpans(entry.result.lr, entry.result.diverged_at);
      if (!spans.length) return;
      const color = cssColor(el, `--lr-c${k + 1}`, '#888');
      const y = u.bbox.top + (6 + band * 7) * dpr;
      band++;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 3 * dpr;
      for (const [lo, hi] of spans) {
        const x0 = u.valToPos(lo, 'x', true);
        const x1 = u.valToPos(hi, 'x', true);
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(x1, y);
        ctx.stroke();
        cross(ctx, x0, y, 3.5 * dpr, color);
      }
      ctx.restore();
    });
  }

  drawBars(u) {
    const el = this.container;
    const dpr = pixelRatio();
    const ctx = u.ctx;
    const rows = OPTIMIZER_IDS.length;
    const { left, width } = u.bbox;
    const muted = cssColor(el, '--lr-muted', '#5f6672');
    ctx.save();
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    OPTIMIZER_IDS.forEach((id, k) => {
      const yc = u.valToPos(rows - k - 0.5, 'y', true);
      const h = ROW * 0.55 * dpr;
      const entry = this.results.get(id);
      if (!this.enabled.has(id) || !entry) {
        ctx.fillStyle = muted;
        ctx.textAlign = 'left';
        ctx.fillText(this.enabled.has(id) ? '…' : 'hidden', left + 6 * dpr, yc);
        return;
      }
      const { range } = entry;
      const color = cssColor(el, `--lr-c${k + 1}`, '#888');
      if (!range.segments.length) {
        ctx.fillStyle = muted;
        ctx.textAlign = 'left';
        ctx.fillText(`never below ${f(this.threshold)}`, left + 6 * dpr, yc);
        return;
      }
      // The widest unbroken piece in full, the other pieces faint.
      ctx.fillStyle = color;
      let x0 = Infinity;
      let x1 = -Infinity;
      const span = ([lo, hi]) => {
        const a = u.valToPos(lo, 'x', true);
        return [a, Math.max(a + 2 * dpr, u.valToPos(hi, 'x', true))];
      };
      for (const segment of range.segments) {
        const [a, b] = span(segment);
        ctx.globalAlpha = segment === range.widest ? 1 : 0.35;
        ctx.fillRect(a, yc - h / 2, b - a, h);
        x0 = Math.min(x0, a);
        x1 = Math.max(x1, b);
      }
      ctx.globalAlpha = 1;
      const [w0, w1] = span(range.widest);
      // An open end (the range reaches the end of the sweep): a chevron.
      const chevron = (x, dir) => {
        ctx.beginPath();
        ctx.moveTo(x, yc - h / 2 - 2 * dpr);
        ctx.lineTo(x + dir * 7 * dpr, yc);
        ctx.lineTo(x, yc + h / 2 + 2 * dpr);
        ctx.closePath();
        ctx.fill();
      };
      if (range.openHigh) chevron(w1, 1);
      if (range.openLow) chevron(w0, -1);
      // The width to the right of the bars where it fits, else inside the
      // widest piece, and only then to their left.
      const ink = cssColor(el, '--lr-ink', '#1d1f23');
      const gap = 10 * dpr;
      const place = (text) => {
        const tw = ctx.measureText(text).width;
        if (x1 + gap + tw <= left + width) return { text, x: x1 + gap, align: 'left', color: ink };
        if (tw + 8 * dpr <= w1 - w0) return { text, x: (w0 + w1) / 2, align: 'center', color: cssColor(el, '--lr-panel', '#fff') };
        if (x0 - gap - tw >= left) return { text, x: x0 - gap, align: 'right', color: ink };
        return null;
      };
      const spot = place(`${formatDecades(range)} decades`) ?? place(formatDecades(range))
        ?? { text: formatDecades(range), x: left + width, align: 'right', color: ink };
      ctx.textAlign = spot.align;
      ctx.fillStyle = spot.color;
      ctx.fillText(spot.text, spot.x, yc);
    });
    ctx.restore();
  }

  hover(u) {
    const i = u.cursor.idx;
    if (i === null || i === undefined || i >= this.lr.length) {
      this.readout.textContent = 'Dashed line: the threshold. ✕ bands along the top: η where an optimizer’s runs diverged. Hover for the numbers.';
      return;
    }
    const parts = [];
    for (const id of OPTIMIZER_IDS) {
      const entry = this.results.get(id);
      if (!entry || !this.enabled.has(id)) continue;
      const d = entry.result.diverged_at[i];
      parts.push(`${OPTIMIZERS[id].label} ${d !== null ? `diverged (step ${d})` : f(entry.finals[i])}`);
    }
    this.readout.textContent = `η = ${f(this.lr[i])}: ${parts.join(' · ')}`;
  }

  // --- computing ---------------------------------------------------------------------------
  async update(quick) {
    const { problem, steps } = this;
    const ids = OPTIMIZER_IDS.filter((id) => this.enabled.has(id));
    const num = quick ? quickNum(problem, steps, Math.max(1, ids.length)) : FULL_NUM;
    const key = JSON.stringify([problem, steps, num, ids]);
    if (key === this.key) return;
    const configs = ids.map((id) => sweepConfig(problem, id, steps, num));
    let results;
    const t0 = performance.now();
    try {
      results = await fetchSweeps(this.engine, problem, configs);
    } catch (err) {
      if (!this.disposed) this.fail(err);
      return;
    }
    if (this.disposed) return;
    this.status.classList.remove('lr-danger');
    this.key = key;
    this.shown = { problem, steps, num };
    this.results = new Map();
    for (const id of OPTIMIZER_IDS) this.computations.delete(`sweep:${id}`);
    ids.forEach((id, j) => {
      const result = results[j];
      this.results.set(id, { config: configs[j], result, finals: finalValues(problem, result), range: null });
      this.track(`sweep:${id}`, 'sweep', configs[j], result);
    });
    this.lr = results.length ? Array.from(results[0].lr) : [];
    const t1 = performance.now();
    this.render();
    // How long the engine and the drawing took (ms), for the bench (npm run bench).
    this.container.dataset.computeMs = (t1 - t0).toFixed(2);
    this.container.dataset.drawMs = (performance.now() - t1).toFixed(2);
    this.drawn();
  }

  thresholdMoved() {
    if (!this.shown) return;
    this.renderRanges();
    this.plot.redraw(false, false);
    this.bars.redraw(false, false);
    this.drawn();
  }

  // --- drawing ---------------------------------------------------------------------------
  render() {
    const { problem, steps } = this.shown;
    const finals = OPTIMIZER_IDS.map((id) => this.results.get(id)?.finals ?? null);
    const all = finals.filter(Boolean).flat();
    // One decade of headroom at the top for the ✕ bands of diverged runs.
    const [lo, hi] = logRange([...all, this.threshold]);
    this.yRange = [lo, hi * 10];
    const nulls = this.lr.map(() => null);
    this.plot.setData([this.lr.length ? this.lr : [1, 2], ...finals.map((v) => (v ? forLogAxis(v.map((x) => x ?? NaN)) : (this.lr.length ? nulls : [null, null])))]);
    OPTIMIZER_IDS.forEach((id, k) => this.plot.setSeries(k + 1, { show: this.results.has(id) }));
    const data = PROBLEMS[problem].data;
    this.title.textContent = `${data ? 'final validation loss' : 'final loss'} after N = ${steps} steps against η, ${this.lr.length} values per optimizer (log–log)`;
    this.renderRanges();
    this.bars.redraw(false, false);
    this.hover(this.plot);
  }

  // Everything that depends on the threshold: bars, widths, status, table.
  renderRanges() {
    const { problem, steps, num } = this.shown;
    for (const entry of this.results.values()) entry.range = goodRange(entry.result.lr, entry.finals, this.threshold);
    for (const id of OPTIMIZER_IDS) {
      const entry = this.results.get(id);
      this.widthText.get(id).textContent = entry ? describeRange(entry.range) : '';
    }
    const ids = [...this.results.keys()];
    const lossName = PROBLEMS[problem].data ? 'final validation loss' : 'final loss';
    const scored = ids.map((id) => ({ id, ...this.results.get(id).range }));
    const widest = scored.reduce((a, b) => (b.decades > (a?.decades ?? -1) ? b : a), null);
    let text;
    if (!ids.length) {
      text = 'No optimizer is switched on: tick one to see its sweep.';
    } else if (!widest || widest.decades <= 0) {
      text = `No optimizer reaches a ${lossName} below ${f(this.threshold)} within ${steps} steps on ${PROBLEMS[problem].short}: raise the threshold or the steps.`;
    } else {
      const name = OPTIMIZERS[widest.id].label;
      const [lo, hi] = widest.widest;
      const open = widest.openLow || widest.openHigh;
      const pieces = widest.segments.length;
      const others = scored.filter((s) => s.id !== widest.id).map((s) => `${OPTIMIZERS[s.id].label} ${formatDecades(s)}${s.segments.length > 1 ? ` (of ${s.segments.length} pieces)` : ''}`);
      text = `Counting a run as trained when its ${lossName} after ${steps} steps on ${PROBLEMS[problem].short} is below ${f(this.threshold)}, ${name} trains well over the widest range of η: ${open ? 'at least ' : ''}${widest.decades.toFixed(1)} decades (η from ${f(lo)} to ${f(hi)}${open ? ', reaching the end of the sweep' : ''}${pieces > 1 ? `; its good η come in ${pieces} separate pieces` : ''}).${others.length ? ` Others, in decades of one unbroken range: ${others.join(', ')}.` : ''}`;
    }
    this.status.textContent = text;
    this.data.update(
      ['η', ...ids.map((id) => `${OPTIMIZERS[id].label} ${lossName}`), ...ids.map((id) => `${OPTIMIZERS[id].label} diverged at step`)],
      this.lr.map((lr, i) => [lr, ...ids.map((id) => this.results.get(id).finals[i]), ...ids.map((id) => this.results.get(id).result.diverged_at[i] ?? '')]),
      `${ids.map((id) => `${OPTIMIZERS[id].label}: ${describeRange(this.results.get(id).range)}`).join('; ')} (threshold ${f(this.threshold)}, ${steps} steps)`,
    );
    Object.assign(this.container.dataset, {
      problem, steps: String(steps), num: String(num), threshold: String(this.threshold),
      optimizers: ids.join(','), widest: widest && widest.decades > 0 ? widest.id : '',
    });
  }

  pause() {
    super.pause();
    this.updater?.cancel();
  }

  resume() {
    super.resume();
    if (this.shown && this.shown.num !== FULL_NUM) this.updater.settled();
  }
}
