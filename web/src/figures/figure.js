// The base class of every figure. A figure module exports a subclass as its
// default; <lrlab-figure> constructs it with (container, host, engine) when
// the element first scrolls into view.
//
// The base class gives every figure the same layout and lifecycle:
//   - layout: this.controls, this.panel(title) → chart box, this.status (an
//     aria-live summary sentence), this.data (table + CSV of the numbers),
//     notes (this.notes while reading attributes, then this.addNote);
//   - charts made with this.chart(...) / this.contour(...) are destroyed on
//     dispose and redrawn on a theme change;
//   - this.track(key, op, config, result) records what was computed, so tests
//     can re-run the same config through the native CLI (host.computations);
//   - this.engine is the engine with the figure's lifetime signal on every
//     call: when the figure is removed, its computations stop in the Worker
//     and their promises reject with an AbortError (which fail() ignores);
//   - this.drawn() marks the figure ready and announces a finished frame
//     (event "lrlab-drawn" on the host, used to time input → frame);
//     this.runDrawn(config, previous, show) runs and draws it as it computes
//     this.drawPartial(draw) draws a run still computing (event
//     "lrlab-partial": the curves so far, over the last complete run);
//   - state: every attribute read through number/integer/choice/setting is a
//     setting, and this.keep(name, read, control) ties it to the control
//     that changes it. These and everything made from the state — the share
//     link, embed codes, controls="a,b", CSV/JSON/PNG/PyTorch downloads —
//     live in this.share (figures/share.js).
import { createChart } from '../ui/chart.js';
import { createContourChart } from '../ui/contour.js';
import { createDataPanel } from '../ui/data-table.js';
import { element } from '../ui/dom.js';
import { overPrevious } from '../model/digits-runs.js';
import { FigureShare } from './share.js';

// The least time between two frames of runs still computing (drawPartial).
const PARTIAL_MS = 12;

export class Figure {
  constructor(container, host, engine, { label, dataFile } = {}) {
    this.container = container;
    this.host = host;
    // Every engine call of the figure carries its signal: removing the figure
    // stops its computations in the Worker (engine.js scoped).
    this.lifetime = new AbortController();
    this.engine = engine.scoped ? engine.scoped(this.lifetime.signal) : engine;
    this.notes = [];
    this.charts = [];
    this.disposers = [];
    this.computations = new Map();
    this.paused = false;
    if (label) container.setAttribute('aria-label', label);
    this.controls = element('div', 'lr-controls');
    this.panels = element('div', 'lr-panels');
    this.status = element('p', 'lr-status');
    this.status.setAttribute('aria-live', 'polite');
    this.data = createDataPanel({ filename: dataFile ?? `lrlab-${host.getAttribute('name') ?? 'figure'}.csv` });
    // The last table given to the data panel is also what CSV/JSON export.
    const update = this.data.update;
    this.data.update = (columns, rows, caption) => {
      this.table = { columns, rows, caption };
      update(columns, rows, caption);
    };
    this.noteList = element('div', 'lr-notes');
    container.append(this.controls, this.panels, this.status, this.data.element, this.noteList);
    this.share = new FigureShare(this);
  }

  get id() {
    return this.host.getAttribute('name') ?? 'figure';
  }

  // --- settings (figures/share.js): read from attributes, kept for links --------
  number(name, options) {
    return this.share.number(name, options);
  }

  integer(name, options) {
    return this.share.integer(name, options);
  }

  choice(name, options) {
    return this.share.choice(name, options);
  }

  setting(name, fallback, value) {
    return this.share.setting(name, fallback, value);
  }

  keep(name, read, ...controls) {
    this.share.keep(name, read, ...controls);
  }

  tag(name, ...controls) {
    this.share.tag(name, ...controls);
  }

  // Shows the notes collected while reading attributes (call once, after).
  showNotes() {
    for (const note of this.notes) this.addNote(note);
  }

  // --- layout -----------------------------------------------------------------
  // A titled panel in the figure's grid; returns the box to draw a chart in.
  panel(title, { wide = false } = {}) {
    const panel = element('div', wide ? 'lr-panel lr-panel-wide' : 'lr-panel');
    const heading = element('p', 'lr-panel-title', title);
    const box = element('div', 'lr-chart');
    panel.append(heading, box);
    this.panels.append(panel);
    box.title = title;
    return box;
  }

  chart(box, options, data, sizing) {
    const chart = createChart(box, options, data, sizing);
    this.charts.push(chart);
    return chart.plot;
  }

  contour(box, options, sizing) {
    const chart = createContourChart(box, this.container, this.engine, options, sizing);
    this.charts.push(chart);
    return chart;
  }

  // Destroys one chart made by this.chart (its plot) or this.contour.
  dropChart(plot) {
    const i = plot ? this.charts.findIndex((c) => c.plot === plot) : -1;
    if (i < 0) return;
    this.charts[i].destroy();
    this.charts.splice(i, 1);
  }

  onDispose(fn) {
    this.disposers.push(fn);
  }

  // --- results ------------------------------------------------------------------
  // Remembers the last computation under `key` (e.g. "sweep", "run:adam").
  track(key, op, config, result) {
    this.computations.set(key, { op, config, result });
  }

  // What the figure last computed: [{key, op, config, result}].
  computationList() {
    return [...this.computations].map(([key, c]) => ({ key, ...c }));
  }

  // Call after drawing new results.
  drawn() {
    this.container.dataset.state = 'ready';
    this.share.update();
    this.host.dispatchEvent(new CustomEvent('lrlab-drawn', { detail: { time: performance.now() } }));
  }

  // Draws a run still computing (engine.run's onProgress) with `draw()` and
  // announces it (event "lrlab-partial"); no settled state yet, so no
  // "ready" and no share update. Drawn at once (waiting for an animation
  // frame to draw only the latest report painted later, measured), but at
  // most one partial frame per PARTIAL_MS: more would take the main thread
  // from the complete result's frame.
  drawPartial(draw) {
    const now = performance.now();
    if (this.disposed || now - (this.partialAt ?? -Infinity) < PARTIAL_MS) return;
    this.partialAt = now;
    draw();
    this.host.dispatchEvent(new CustomEvent('lrlab-partial', { detail: { time: performance.now() } }));
  }

  // engine.run(config), its history drawn as it computes by `show(run)`,
  // over `previous` (the last complete run, or null: model/digits-runs.js
  // overPrevious); resolves to the whole run. `signal` aborts it.
  runDrawn(config, previous, show, { signal } = {}) {
    const onProgress = (partial) => this.drawPartial(() => show(overPrevious(partial, previous)));
    return this.engine.run(config, { onProgress, signal });
  }

  // After construction (called by <lrlab-figure>): notes unknown attributes,
  // applies controls="…" and adds the share-and-export panel.
  finishSetup() {
    this.share.finish();
  }

  addNote(text) {
    this.noteList.append(element('p', 'lr-note', text));
  }

  fail(err, what = 'compute this figure') {
    // A removed figure's cancelled work is no failure to show.
    if (this.disposed || err?.name === 'AbortError') return;
    const messages = err?.messages ?? [String(err?.message ?? err)];
    this.status.textContent = `Could not ${what}: ${messages.join('; ')}`;
    this.status.classList.add('lr-danger');
    this.container.dataset.state = 'error';
  }

  // --- lifecycle ------------------------------------------------------------------
  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
  }

  // Theme switch: colours are read at draw time, so a redraw is enough.
  redraw() {
    for (const c of this.charts) c.plot.redraw();
  }

  // Removed from the page: stops, frees its charts and sets this.disposed,
  // which a figure checks between engine requests so that a removed figure
  // asks for nothing more.
  dispose() {
    this.disposed = true;
    this.lifetime.abort();
    this.pause();
    for (const fn of this.disposers) fn();
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.data.dispose();
    this.container.replaceChildren();
  }
}
