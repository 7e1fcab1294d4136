// The base class of every figure. A figure module exports a subclass as its
// default; <lrlab-figure> constructs it with (container, host, engine) when
// the element first scrolls into view.
//
// The base class gives every figure the same pieces and the same contract:
//   - attributes: this.number/integer/choice read the initial state from the
//     host element; unusable values fall back to defaults and leave a note;
//   - layout: this.controls, this.panel(title) → chart box, this.status (an
//     aria-live summary sentence), this.data (table + CSV of the numbers);
//   - charts made with this.chart(...) / this.contour(...) are destroyed on
//     dispose and redrawn on a theme change;
//   - this.track(key, op, config, result) records what was computed, so tests
//     can re-run the same config through the native CLI (host.computations);
//   - this.drawn() marks the figure ready and announces a finished frame
//     (event "lrlab-drawn" on the host, used to time input → frame);
//   - state: every attribute read through number/integer/choice/setting is a
//     setting; this.keep(name, read, control) ties it to the control that
//     changes it, so shareState() gives the non-default settings now shown
//     (the share link, the embed code) and controls="a,b" shows a subset;
//   - "Share and export" (ui/share-bar.js): link, embed code, CSV, JSON, PNG
//     and PyTorch, from the data table, the tracked computations and the
//     canvases. A figure overrides exportTable/exportJson/pytorchRuns/
//     pngHeader where it knows better.
import { createChart, cssColor } from '../ui/chart.js';
import { createContourChart } from '../ui/contour.js';
import { createDataPanel } from '../ui/data-table.js';
import { element } from '../ui/dom.js';
import { readIntegerAttribute, readNumberAttribute } from '../ui/attributes.js';
import { createShareBar } from '../ui/share-bar.js';
import { figurePng } from '../export/download.js';
import { articleLink, elementSnippet, figureJson, iframeSnippet, pytorchScript, runsToExport } from '../export/figure-export.js';
import { SITE_ROOT } from '../site.js';

// Attributes every element may carry besides a figure's own settings.
const GENERIC_ATTRIBUTES = new Set(['name', 'controls', 'id', 'class', 'style', 'title', 'hidden', 'lang', 'dir', 'slot', 'tabindex', 'role']);
const isGeneric = (name) => GENERIC_ATTRIBUTES.has(name) || name.startsWith('data-') || name.startsWith('aria-');

// A setting's value as it appears in a URL or attribute.
function settingText(v) {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

export class Figure {
  constructor(container, host, engine, { label, dataFile } = {}) {
    this.container = container;
    this.host = host;
    this.engine = engine;
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
    this.stateMap = new Map();
  }

  get id() {
    return this.host.getAttribute('name') ?? 'figure';
  }

  // --- settings: initial state from attributes, current state for links --------
  number(name, options) {
    return this.setting(name, options.fallback, readNumberAttribute(this.host, name, options, this.notes));
  }

  integer(name, options) {
    return this.setting(name, options.fallback, readIntegerAttribute(this.host, name, options, this.notes));
  }

  // One of a fixed set of strings.
  choice(name, { fallback, values }) {
    const raw = this.host.getAttribute(name);
    let value = fallback;
    if (raw !== null && raw.trim() !== '') {
      if (values.includes(raw.trim())) value = raw.trim();
      else this.notes.push(`${name}="${raw}" is not one of ${values.join(', ')}; using ${fallback}.`);
    }
    return this.setting(name, fallback, value);
  }

  // Registers the setting `name` (an attribute) read by the figure itself:
  // its default and the value it starts with. Returns `value`. A null
  // fallback makes links always carry the setting (for one whose default
  // depends on another setting).
  setting(name, fallback, value) {
    const known = this.stateMap.get(name);
    this.stateMap.set(name, { fallback, read: known?.read ?? (() => value) });
    return value;
  }

  // The setting `name` now reads `read()` (a control changes it); the
  // controls given are tagged with its name for controls="…" subsets.
  keep(name, read, ...controls) {
    const known = this.stateMap.get(name);
    this.stateMap.set(name, { fallback: known?.fallback, read });
    this.tag(name, ...controls);
  }

  // Tags controls (elements in the figure) with a name for controls="…".
  tag(name, ...controls) {
    for (const c of controls) if (c) (c.element ?? c).dataset.control = name;
  }

  // [[attribute, text], …]: every setting whose current value is not its
  // default, in the order the figure read them.
  shareState() {
    const out = [];
    for (const [name, { fallback, read }] of this.stateMap) {
      const now = settingText(read());
      if (now !== null && now !== settingText(fallback)) out.push([name, now]);
    }
    return out;
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
    this.shareBar?.update();
    if (this.shownControls) this.hideControls();
    this.host.dispatchEvent(new CustomEvent('lrlab-drawn', { detail: { time: performance.now() } }));
  }

  // --- after construction (called by <lrlab-figure>) ----------------------------------
  // Notes attributes the figure does not use, applies controls="…" and adds
  // the share-and-export panel.
  finishSetup() {
    const unknown = this.host.getAttributeNames().filter((n) => !isGeneric(n) && !this.stateMap.has(n));
    for (const name of unknown) this.addNote(`"${name}" is not a setting of this figure; it was ignored.`);
    this.shareBar = createShareBar(this);
    this.noteList.before(this.shareBar.element);
    this.applyControls(this.host.getAttribute('controls'));
  }

  addNote(text) {
    this.noteList.append(element('p', 'lr-note', text));
  }

  // controls="none" hides every control and the share panel; controls="a,b"
  // shows only the controls named (see data-control; "share" is the panel).
  applyControls(spec) {
    const text = (spec ?? '').trim();
    if (text === '' || text === 'all') return;
    const tagged = [...this.container.querySelectorAll('[data-control]')];
    const names = new Set(['share', ...tagged.map((c) => c.dataset.control)]);
    if (text === 'none') {
      this.controls.hidden = true;
      this.shownControls = new Set();
      this.hideControls();
      return;
    }
    const wanted = new Set(text.split(/[\s,]+/).filter(Boolean));
    const missing = [...wanted].filter((n) => !names.has(n));
    if (missing.length) this.addNote(`controls: this figure has no control ${missing.map((n) => `"${n}"`).join(', ')} (it has ${[...names].join(', ')}).`);
    this.shownControls = wanted;
    this.hideControls();
  }

  // Applies controls="a,b" again (drawn() calls it: some figures rebuild a
  // control, e.g. a slider whose range follows another setting).
  hideControls() {
    for (const c of this.container.querySelectorAll('[data-control]')) c.hidden = !this.shownControls.has(c.dataset.control);
    this.shareBar.element.hidden = !this.shownControls.has('share');
  }

  // --- share and export ------------------------------------------------------------------
  // The article at this figure in its current state.
  shareLink(state = this.shareState()) {
    return articleLink(SITE_ROOT, this.id, state);
  }

  // The link and both embed codes (the share panel shows them).
  shareLinks() {
    const state = this.shareState();
    return {
      link: this.shareLink(state),
      iframe: iframeSnippet(SITE_ROOT, this.id, state, { title: this.container.getAttribute('aria-label') ?? undefined, height: this.container.getBoundingClientRect().height + 16 }),
      element: elementSnippet(SITE_ROOT, this.id, state),
    };
  }

  // {columns, rows, caption} of the plotted series (the data panel's table).
  exportTable() {
    return this.table ?? null;
  }

  exportJson() {
    const state = this.shareState();
    return figureJson({
      id: this.id,
      state,
      link: this.shareLink(state),
      table: this.exportTable(),
      computations: this.computationList(),
    });
  }

  // Lines drawn above the charts in the PNG: the figure's title, its status
  // sentence and its legend (see figurePng).
  pngHeader() {
    const lines = [{ text: this.container.getAttribute('aria-label') ?? this.id }, { text: this.status.textContent }];
    const legend = this.pngLegend();
    if (legend.length) lines.push({ parts: legend.flatMap(({ text, color }) => [{ text: '■ ', color }, { text: `${text}   ` }]) });
    return lines;
  }

  // [{text, color}]: the figure's legend list (.lr-legend li with a swatch)
  // and the series of every chart that shows a uPlot legend, once per label.
  pngLegend() {
    const out = [...this.container.querySelectorAll('.lr-legend li')].filter((li) => li.offsetParent !== null).map((li) => {
      const swatch = li.querySelector('.lr-swatch');
      const style = swatch ? getComputedStyle(swatch) : null;
      const bg = style?.backgroundColor;
      const color = bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent' ? bg : style?.color;
      return { text: li.textContent.trim(), color };
    });
    const seen = new Set(out.map((o) => o.text));
    for (const { plot } of this.charts) {
      if (!plot?.legend?.show) continue;
      plot.series.forEach((s, i) => {
        if (i === 0 || !s.show || !s.label || seen.has(s.label)) return;
        const color = typeof s.stroke === 'function' ? s.stroke(plot, i) : s.stroke;
        if (typeof color !== 'string') return;
        seen.add(s.label);
        out.push({ text: s.label, color });
      });
    }
    return out;
  }

  exportPng() {
    return figurePng(this.panels, {
      background: cssColor(this.container, '--lr-panel', '#f6f7f9'),
      ink: cssColor(this.container, '--lr-ink', '#1d1f23'),
      header: this.pngHeader(),
      labels: [...this.panels.querySelectorAll('.lr-panel:not([hidden]) .lr-panel-title')],
    });
  }

  // [{label, config, start, note}]: the training runs the figure shows.
  pytorchRuns() {
    return runsToExport(this.computationList());
  }

  exportPytorch() {
    return pytorchScript(this.id, this.pytorchRuns());
  }

  fail(err, what = 'compute this figure') {
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

  dispose() {
    this.pause();
    for (const fn of this.disposers) fn();
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.data.dispose();
    this.container.replaceChildren();
  }
}
