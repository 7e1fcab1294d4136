// Figure "optimizer-race": SGD, SGD with momentum, Adagrad, RMSprop and Adam
// (plus one more from the core, picked from a list) started from the same
// point of a 2-D surface; their paths on the contour plot and their distance
// to the minimum, f − f*, per step on a log axis. Every optimizer's η (log
// slider) and its momentum-like options are editable; Play replays the race
// step by step.
//
// The adaptive methods divide each coordinate's step by a running estimate
// of that coordinate's gradient size — Adagrad (Duchi, Hazan & Singer, 2011),
// RMSprop (Tieleman & Hinton, 2012), Adam (Kingma & Ba, 2015) — which
// steadies the step where the gradient is tiny (a saddle) or huge (a valley
// wall) along the axes. The rotated valley shows the limit: its steep
// direction is not a coordinate, so per-coordinate scaling helps much less.
//
// Attributes (a bad value falls back to the default and leaves a note):
//   surface     rosenbrock | valley | saddle | beale | himmelblau   default rosenbrock
//   steps       steps per run, integer in [10, 2000]    default per surface (see SURFACES)
//   optimizers  comma-separated ids to switch on: sgd, momentum, adagrad,
//               rmsprop, adam, and at most one of nesterov, nadam, adamw,
//               radam, adamax, lion, adadelta           default sgd,momentum,adagrad,rmsprop,adam
// Each surface brings its own start, plot range, step count and η per
// optimizer (model/race.js, chosen so the race is close and every
// optimizer shows its character); changing the surface restores them.
//
// "valley" is the core's 2-D `quadratic` with its `rotation` option; "saddle"
// is the core's `saddle` problem.
import {
  ALIASES, BASE, EXTRAS, LR_MAX, LR_MIN, RACE_LR, RACE_SLIDERS, RACERS, SURFACES, racerConfig, racerLabel, surfaceDefaults,
} from '../model/race.js';
import { createCheckbox, createLogSlider, createSelect, createSlider } from '../ui/controls.js';
import { button, element } from '../ui/dom.js';
import { clipList, clipText, formatNumber, parseDecimal } from '../model/format.js';
import { lossGap, problemMarkers, visiblePath } from '../model/results.js';
import { dirtyQueue } from '../model/tasks.js';
import { LossCurves, paletteColor, paletteVar } from '../ui/runs.js';
import { Figure } from './figure.js';

const GRID_POINTS = 121;
const PLAY_MS = 4000;  // a whole race, whatever its length
// Race lanes: the five base optimizers and one lane for an extra.
const LANES = [
  { lane: 'sgd', color: 1 }, { lane: 'momentum', color: 4 }, { lane: 'adagrad', color: 3 },
  { lane: 'rmsprop', color: 5 }, { lane: 'adam', color: 2 }, { lane: 'extra', color: 6 },
];

const tidy = (v, digits = 4) => Number(v.toPrecision(digits));

// A slider for one option: linear, or over −log₁₀(1 − v).
function optionSlider(spec, value, label, onInput) {
  if (spec.kind === 'oneMinus') {
    const to = (v) => -Math.log10(1 - v);
    const from = (a) => tidy(1 - 10 ** -a);
    const slider = createSlider({
      label: spec.symbol, symbol: `${label} ${spec.symbol}`, min: to(spec.min), max: to(spec.max), step: 0.01, value: to(value),
      format: (a) => formatNumber(from(a), 4), onInput: (a) => onInput(from(a)),
    });
    return { ...slider, set: (v) => slider.set(to(v)) };
  }
  return createSlider({ label: spec.symbol, symbol: `${label} ${spec.symbol}`, min: spec.min, max: spec.max, step: spec.step, value, onInput });
}

export default class OptimizerRaceFigure extends Figure {
  constructor(container, host, engine) {
    super(container, host, engine, { label: 'Optimizers racing on a two-dimensional loss surface' });
    this.surface = this.choice('surface', { fallback: 'rosenbrock', values: Object.keys(SURFACES) });
    this.steps = this.integer('steps', { fallback: SURFACES[this.surface].steps, min: 10, max: 2000, config: 'run.steps' });
    this.setting('steps', null, this.steps);  // its default depends on the surface: links always carry it
    const { on, extra } = this.readOptimizers();
    this.setting('optimizers', BASE.join(','), null);
    this.enabled = Object.fromEntries(BASE.map((id) => [id, on.has(id)]));
    this.extraKind = extra;  // '' or an id from EXTRAS
    this.options = this.defaults(this.surface);
    this.readOptions();
    this.showNotes();
    this.results = {};       // lane → {surface, id, config, result}
    this.upTo = null;        // the step shown while playing
    this.lanes = LANES.map((l) => ({
      ...l,
      color: paletteColor(container, l.color),
      cssColor: paletteVar(l.color),
      get label() { return this.short; },
      short: l.lane === 'extra' ? '' : racerLabel(l.lane),
    }));
    this.buildControls();
    this.panels.classList.add('tr-panels');
    this.contourBox = this.panel('paths from the same start (★ minimum)');
    this.lossBox = this.panel('distance to the minimum, f − f*, per step (log scale)');
    this.curves = new LossCurves(this, this.lossBox, {
      slots: this.lanes, yLabel: 'f − f*', sizing: { aspect: 0.8, minHeight: 220, maxHeight: 460 },
    });
    this.request = dirtyQueue((ids) => this.recompute(ids));
    this.onDispose(() => this.halt());
    this.start();
  }

  // optimizers="sgd,adam,lion": which lanes start switched on.
  readOptimizers() {
    const raw = this.host.getAttribute('optimizers');
    const on = new Set(BASE);
    let extra = '';
    if (raw === null || raw.trim() === '') return { on, extra };
    const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !Object.hasOwn(RACERS, id));
    const extras = ids.filter((id) => EXTRAS.includes(id));
    const base = ids.filter((id) => BASE.includes(id));
    if (unknown.length) this.notes.push(`optimizers: ${clipList(unknown, 3, (id) => `"${clipText(id, 20)}"`)} not known (known: ${Object.keys(RACERS).join(', ')}); ignored.`);
    if (extras.length > 1) this.notes.push(`optimizers: only one of ${EXTRAS.join(', ')} at a time; using ${extras[0]}.`);
    if (base.length === 0 && extras.length === 0) {
      this.notes.push(`optimizers="${clipText(raw)}" names no optimizer; using ${BASE.join(',')}.`);
      return { on, extra };
    }
    return { on: new Set(base), extra: extras[0] ?? '' };
  }

  // options="adam.lr:0.05, momentum.momentum:0.8, adam.betas.1:0.99":
  // options that differ from the surface's defaults (what the share link
  // carries). Values must lie within the race's sliders.
  readOptions() {
    const raw = this.host.getAttribute('options');
    this.setting('options', '', raw ?? '');
    if (raw === null || raw.trim() === '') return;
    const bad = [];
    for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^([a-z]+)\.([a-z0-9_.]+):(.+)$/.exec(item);
      // Own names only: "constructor.lr:1" names no optimizer (and must not
      // reach Object through this.options).
      const path = m && (Object.hasOwn(ALIASES, m[2]) ? ALIASES[m[2]] : m[2]);
      const editable = m && Object.hasOwn(RACERS, m[1]) && (path === 'lr' || RACERS[m[1]].edit.includes(path));
      const range = editable && (path === 'lr' ? RACE_LR : Object.hasOwn(RACE_SLIDERS, path) && RACE_SLIDERS[path]);
      const value = m ? parseDecimal(m[3]) : NaN;
      if (!range || !Number.isFinite(value) || value < range.min || value > range.max) bad.push(item);
      else this.options[m[1]][path] = value;
    }
    if (bad.length) this.notes.push(`options: could not use ${clipList(bad, 3, (b) => `"${clipText(b, 30)}"`)} (write optimizer.option:value within the slider's range); kept the defaults there.`);
  }

  // The options="…" text for the current state: every option that differs
  // from the surface's default.
  optionsText() {
    const defaults = this.defaults(this.surface);
    const out = [];
    for (const [id, opts] of Object.entries(this.options)) {
      for (const [path, v] of Object.entries(opts)) if (v !== defaults[id][path]) out.push(`${id}.${path}:${v}`);
    }
    return out.join(',');
  }

  // The PNG's legend: the lanes running now, in their colours.
  pngLegend() {
    return this.lanes.filter((l) => this.laneOptimizer(l.lane)).map((l) => ({ text: l.short, color: l.color() }));
  }

  // Every racer's options for a surface (model/race.js).
  defaults(surface) {
    return surfaceDefaults(surface);
  }

  // What runs in a lane now: its optimizer id, or null when switched off.
  laneOptimizer(lane) {
    if (lane === 'extra') return this.extraKind || null;
    return this.enabled[lane] ? lane : null;
  }

  // --- controls ----------------------------------------------------------------
  buildControls() {
    this.surfaceSelect = createSelect({
      label: 'surface',
      options: Object.entries(SURFACES).map(([value, s]) => ({ value, label: s.label })),
      value: this.surface,
      onChange: (v) => this.setSurface(v),
    });
    this.keep('surface', () => this.surface, this.surfaceSelect);
    this.stepsSlider = createSlider({
      label: 'steps', min: 10, max: 1000, step: 10, value: this.steps,
      format: (v) => String(Math.round(v)),
      onInput: (v) => {
        this.steps = Math.round(v);
        this.stop();
        this.request(...this.activeLanes());
      },
    });
    this.keep('steps', () => this.steps, this.stepsSlider);
    this.stepsSlider.element.classList.add('race-steps');
    this.playButton = button('Play', () => this.togglePlay());
    this.playButton.dataset.race = 'play';
    this.resetButton = button('Defaults', () => this.setSurface(this.surface));
    this.resetButton.title = 'restore this surface\'s start, steps and every optimizer\'s options';
    const buttons = element('div', 'lr-buttons');
    buttons.append(this.playButton, this.resetButton);
    this.tag('play', buttons);
    this.controls.append(this.surfaceSelect.element, this.stepsSlider.element, buttons);

    this.rows = element('div', 'race-rows');
    this.rowsByLane = {};
    for (const lane of this.lanes) this.rows.append(this.buildRow(lane));
    this.controls.append(this.rows);
    this.tag('optimizers', this.rows);
    this.keep('optimizers', () => [...BASE.filter((id) => this.enabled[id]), ...(this.extraKind ? [this.extraKind] : [])].join(','));
    this.keep('options', () => this.optionsText());
  }

  buildRow(lane) {
    const row = element('div', 'race-row');
    row.style.setProperty('--race-color', lane.cssColor);
    const head = element('div', 'race-head');
    const swatch = element('span', 'lr-swatch');
    swatch.style.color = lane.cssColor;
    let toggle;
    if (lane.lane === 'extra') {
      toggle = createSelect({
        label: 'one more optimizer',
        options: [{ value: '', label: 'add one…' }, ...EXTRAS.map((id) => ({ value: id, label: racerLabel(id) }))],
        value: this.extraKind,
        onChange: (v) => {
          this.extraKind = v;
          this.fillRow(lane);
          this.stop();
          this.request('extra');
        },
      });
      toggle.input.dataset.race = 'extra';
      toggle.element.classList.add('race-extra');
      toggle.element.prepend(swatch);
    } else {
      toggle = createCheckbox({
        label: racerLabel(lane.lane), checked: this.enabled[lane.lane],
        onChange: (checked) => {
          this.enabled[lane.lane] = checked;
          this.fillRow(lane);
          this.stop();
          this.request(lane.lane);
        },
      });
      toggle.input.dataset.race = `on-${lane.lane}`;
      toggle.element.append(swatch);
    }
    head.append(toggle.element);
    const sliders = element('div', 'race-options');
    row.append(head, sliders);
    this.rowsByLane[lane.lane] = { row, sliders, toggle, inputs: {} };
    this.fillRow(lane);
    return row;
  }

  // (Re)builds a lane's option sliders for the optimizer it runs now.
  fillRow(lane) {
    const entry = this.rowsByLane[lane.lane];
    const id = lane.lane === 'extra' ? this.extraKind : lane.lane;
    lane.short = id ? racerLabel(id) : '';
    entry.row.classList.toggle('race-off', !this.laneOptimizer(lane.lane));
    entry.sliders.replaceChildren();
    entry.inputs = {};
    if (!id) return;
    const label = racerLabel(id);
    const opts = this.options[id];
    const changed = (key) => (v) => {
      opts[key] = v;
      if (!this.laneOptimizer(lane.lane)) return;
      this.stop();
      this.request(lane.lane);
    };
    const lr = createLogSlider({ label: 'η', symbol: `${label} η`, min: LR_MIN, max: LR_MAX, value: opts.lr, onInput: changed('lr') });
    lr.element.classList.add('race-lr');
    const sliders = [['lr', lr], ...RACERS[id].edit.map((path) => [path, optionSlider(RACE_SLIDERS[path], opts[path], label, changed(path))])];
    // η first; the optimizer's own options wrap together as one group.
    const more = element('div', 'race-more');
    for (const [key, slider] of sliders) {
      const option = key === 'lr' ? 'learning rate η' : RACE_SLIDERS[key].name;
      slider.input.setAttribute('aria-label', `${label} ${option}`);
      slider.input.dataset.opt = id;
      slider.input.dataset.param = key;
      slider.input.disabled = !this.laneOptimizer(lane.lane);
      slider.input.style.accentColor = lane.cssColor;
      entry.inputs[key] = slider;
      (key === 'lr' ? entry.sliders : more).append(slider.element);
    }
    if (more.childElementCount) entry.sliders.append(more);
  }

  // --- state changes --------------------------------------------------------------
  // A surface (or "Defaults"): its start, range and steps, every optimizer's
  // default options, then every active lane recomputed.
  setSurface(surface) {
    this.stop();
    this.surface = surface;
    this.surfaceSelect.set(surface);
    this.steps = SURFACES[surface].steps;
    this.stepsSlider.set(this.steps);
    this.options = this.defaults(surface);
    for (const lane of this.lanes) this.fillRow(lane);
    this.request(...this.activeLanes());
  }

  activeLanes() {
    return this.lanes.map((l) => l.lane).filter((lane) => this.laneOptimizer(lane));
  }

  start() {
    this.request(...this.activeLanes());
  }

  problem(surface) {
    return SURFACES[surface].problem;
  }

  config(surface, id) {
    return {
      problem: this.problem(surface),
      optimizer: racerConfig(id, this.options[id]),
      steps: this.steps,
      record: { params: true },
    };
  }

  // --- computing and drawing ---------------------------------------------------------
  async recompute(lanes) {
    const surface = this.surface;
    const jobs = lanes.filter((lane) => this.laneOptimizer(lane)).map((lane) => {
      const id = this.laneOptimizer(lane);
      const config = this.config(surface, id);
      return this.engine.run(config).then((result) => ({ lane, id, config, result }));
    });
    let done;
    try {
      done = await Promise.all(jobs);
    } catch (err) {
      if (!this.disposed) this.fail(err, 'run the race');
      return;
    }
    if (this.disposed) return;  // removed from the page while computing
    for (const d of done) this.results[d.lane] = { surface, steps: d.config.steps, ...d };
    // Lanes whose last result is for another surface or step count (they were
    // off when that changed) run now.
    const stale = this.activeLanes().filter((lane) => !this.current(lane));
    if (stale.length) {
      this.request(...stale);
      return;
    }
    if (this.contourFor !== surface) {
      if (!(await this.buildContour(surface)) || this.disposed) return;
    }
    if (surface !== this.surface) return;  // a newer surface is on its way
    // What the figure draws is what it records: active lanes only.
    for (const key of [...this.computations.keys()]) if (key.startsWith('run:')) this.computations.delete(key);
    for (const lane of this.activeLanes()) {
      const r = this.results[lane];
      this.track(`run:${r.id}`, 'run', r.config, r.result);
    }
    this.render();
    this.drawn();
  }

  current(lane) {
    const r = this.results[lane];
    return r && r.surface === this.surface && r.steps === this.steps && r.id === this.laneOptimizer(lane);
  }

  async buildContour(surface) {
    const s = SURFACES[surface];
    this.dropChart(this.contourChart?.plot);
    this.contourChart = null;
    const problem = this.problem(surface);
    const info = Object.values(this.results).find((r) => r.surface === surface)?.result.problem;
    const aspect = Math.min(1, Math.max(0.6, (s.y[1] - s.y[0]) / (s.x[1] - s.x[0])));
    this.contourChart = this.contour(this.contourBox, {
      problem, x: s.x, y: s.y, n: GRID_POINTS, markers: problemMarkers(info),
    }, { aspect, minHeight: 240, maxHeight: 460 });
    this.contourFor = surface;
    try {
      const grid = await this.contourChart.ready;
      this.track('grid:contour', 'grid', { problem, grid: { x: s.x, y: s.y, nx: GRID_POINTS, ny: GRID_POINTS } },
        { x: grid.x, y: grid.y, nx: grid.nx, ny: grid.ny, values: grid.values });
      return true;
    } catch (err) {
      this.fail(err, 'draw the contour plot');
      return false;
    }
  }

  render() {
    const s = SURFACES[this.surface];
    const range = { x: s.x, y: s.y };
    const upTo = this.upTo ?? Infinity;
    this.view = this.lanes.map((lane) => {
      if (!this.laneOptimizer(lane.lane) || !this.current(lane.lane)) return null;
      const { result } = this.results[lane.lane];
      return { result, gap: lossGap(result), path: visiblePath(result, range, upTo) };
    });
    this.contourChart.setPaths(this.lanes.flatMap((lane, k) => {
      const v = this.view[k];
      return v ? [{ xy: v.path.xy, diverged: v.path.cross, color: lane.color, label: lane.short }] : [];
    }));
    this.curves.set(this.view.map((v) => (v ? { values: v.gap, divergedAt: v.result.divergedAt } : null)),
      { steps: this.steps, upTo: this.upTo });
    if (this.upTo === null) {
      this.renderStatus();
      this.renderData();
    }
  }

  renderStatus() {
    const f = formatNumber;
    const runs = this.drawnRuns();
    const s = SURFACES[this.surface];
    if (runs.length === 0) {
      this.status.textContent = `No optimizer is switched on: tick one to race on ${s.name}.`;
      this.status.classList.remove('lr-danger');
      return;
    }
    const finalGap = ({ v }) => (v.result.divergedAt !== null ? Infinity : v.gap[v.result.steps]);
    // Below 10⁻¹² the curves sit on their floor and the digits are rounding noise.
    const gapText = (g) => (g < 1e-12 ? '< 10⁻¹²' : `= ${f(g)}`);
    const finished = runs.filter((r) => r.v.result.divergedAt === null).sort((a, b) => finalGap(a) - finalGap(b));
    const diverged = runs.filter((r) => r.v.result.divergedAt !== null);
    const parts = [];
    if (finished.length) {
      parts.push(`On ${s.name} after ${this.steps} steps, closest to the minimum: ${finished.map((r) => `${r.lane.short} (f − f* ${gapText(finalGap(r))})`).join(', ')}.`);
    }
    // The race: who first comes within 10⁻³ of the minimum.
    const threshold = 1e-3;
    const firsts = runs.map((r) => ({ r, at: r.v.gap.findIndex((g) => g < threshold) })).filter((x) => x.at >= 0).sort((a, b) => a.at - b.at);
    if (firsts.length) parts.push(`First within 10⁻³ of the minimum: ${firsts[0].r.lane.short} at step ${firsts[0].at}.`);
    if (diverged.length) parts.push(`${diverged.map((r) => `${r.lane.short} diverged at step ${r.v.result.divergedAt}`).join('; ')}.`);
    this.status.textContent = parts.join(' ');
    this.status.classList.toggle('lr-danger', diverged.length > 0);
  }

  // The lanes drawn now, with their results and configs.
  drawnRuns() {
    return this.lanes.map((lane, k) => ({ lane, v: this.view[k], config: this.results[lane.lane]?.config })).filter((r) => r.v);
  }

  renderData() {
    const runs = this.drawnRuns();
    const columns = ['step'];
    for (const { lane } of runs) columns.push(`${lane.short} f − f*`, `${lane.short} x₁`, `${lane.short} x₂`);
    const rows = [];
    for (let t = 0; t <= this.steps; t++) {
      const row = [t];
      for (const { v } of runs) {
        const inRun = t <= v.result.steps;
        row.push(inRun ? v.gap[t] : null, inRun ? v.result.params[2 * t] : null, inRun ? v.result.params[2 * t + 1] : null);
      }
      rows.push(row);
    }
    const s = SURFACES[this.surface];
    const settings = runs.map((r) => `${r.lane.short} ${JSON.stringify(r.config.optimizer)}`).join('; ');
    this.data.update(columns, rows, `${s.name} from (${s.problem.x0.join(', ')}), ${this.steps} steps. ${settings}. Empty cells: the run had diverged.`);
  }

  // --- Play -------------------------------------------------------------------------
  // Replays the race from the start (or from where it was paused), a whole
  // race in PLAY_MS; with reduced motion, jumps to the end.
  play() {
    if (!this.view || this.paused) return;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.finish();
      return;
    }
    const from = this.upTo !== null && this.upTo < this.steps ? this.upTo : 0;
    const t0 = performance.now() - (from / this.steps) * PLAY_MS;
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
    const frame = (now) => {
      const t = Math.min(this.steps, Math.floor(((now - t0) / PLAY_MS) * this.steps));
      if (t >= this.steps) {
        this.finish();
        return;
      }
      if (t !== this.upTo) this.showStep(t);
      this.animation = requestAnimationFrame(frame);
    };
    this.showStep(from);
    this.animation = requestAnimationFrame(frame);
  }

  showStep(t) {
    this.upTo = t;
    this.render();
    this.status.textContent = `Replaying: step ${t} of ${this.steps}.`;
  }

  // Stops the animation where it is.
  halt() {
    if (this.animation) cancelAnimationFrame(this.animation);
    this.animation = null;
    this.playButton.textContent = 'Play';
    this.playButton.setAttribute('aria-pressed', 'false');
  }

  togglePlay() {
    if (!this.animation) {
      this.play();
      return;
    }
    this.halt();
    this.status.textContent = `Paused at step ${this.upTo} of ${this.steps}; press Play to go on.`;
  }

  // The whole race again.
  finish() {
    this.halt();
    this.upTo = null;
    if (this.view && this.contourChart) {
      this.render();
      this.drawn();
    }
  }

  // Before a recompute: forget the replay (the new results are drawn whole).
  stop() {
    this.halt();
    this.upTo = null;
  }

  pause() {
    super.pause();
    if (this.animation) this.togglePlay();
  }
}
