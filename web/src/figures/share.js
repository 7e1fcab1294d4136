// A figure's state and everything made from it: the settings it reads from
// attributes and keeps in step with its controls, the controls="a,b" subset,
// the share link and embed codes, and the CSV, JSON, PNG and PyTorch
// downloads of the "Share and export" panel. One controller per figure
// (figure.share); the Figure base class only lays out and draws.
//
// A figure may refine what is shared by defining, on itself:
//   shareState()   [[attribute, text], …] (default: this controller's state())
//   exportJson()   the JSON download (default: figureJson of the state, table, computations)
//   pytorchRuns()  [{label, config, start, note}] (default: its tracked runs and sweeps)
//   pngHeader()    lines above the PNG's charts (default: title, status, legend)
//   pngLegend()    [{text, color}] (default: the .lr-legend list and the uPlot legends)
//   shareCaveat()  what the link and codes cannot carry, shown above them (default: nothing)
import { readIntegerAttribute, readNumberAttribute } from '../ui/attributes.js';
import { clipList, clipText } from '../model/format.js';
import { cssColor } from '../ui/chart.js';
import { toCsv } from '../ui/data-table.js';
import { createShareBar } from '../ui/share-bar.js';
import { downloadBlob, downloadText, figurePng } from '../export/download.js';
import { articleLink, elementSnippet, figureJson, iframeSnippet, pytorchScript, runsToExport } from '../export/figure-export.js';
import { SITE_ROOT } from '../site.js';

// Attributes every element may carry besides a figure's own settings.
const GENERIC_ATTRIBUTES = new Set(['name', 'controls', 'id', 'class', 'style', 'title', 'hidden', 'lang', 'dir', 'slot', 'tabindex', 'role']);
const isGeneric = (name) => GENERIC_ATTRIBUTES.has(name) || name.startsWith('data-') || name.startsWith('aria-');
// Attributes that are no setting get a note each, up to this many.
const MAX_UNKNOWN_NOTES = 10;

// A setting's value as it appears in a URL or attribute.
function settingText(v) {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

export class FigureShare {
  constructor(figure) {
    this.figure = figure;
    this.settings = new Map();  // name → {fallback, read}
    this.bounded = [];          // [{name, config, min, max, fallback}]: settings that are config values
    this.shown = null;          // the controls="…" subset, or null for all
    this.bar = null;
  }

  get host() {
    return this.figure.host;
  }

  // --- settings: initial state from attributes, current state for links --------
  // options: {fallback, min, max, config}; `config` names the schema field the
  // value goes to ("plateau.factor", "optimizers.sgd.lr", model/schema.js
  // fieldAt), so the tests can hold [min, max] to the core's range.
  number(name, options) {
    this.bound(name, options);
    return this.setting(name, options.fallback, readNumberAttribute(this.host, name, options, this.figure.notes));
  }

  integer(name, options) {
    this.bound(name, options);
    return this.setting(name, options.fallback, readIntegerAttribute(this.host, name, options, this.figure.notes));
  }

  bound(name, { config, min, max, fallback }) {
    if (config) this.bounded.push({ name, config, min, max, fallback });
  }

  // The settings that are config values, with their spans (see number()).
  bounds() {
    return this.bounded;
  }

  // One of a fixed set of strings.
  choice(name, { fallback, values }) {
    const raw = this.host.getAttribute(name);
    let value = fallback;
    if (raw !== null && raw.trim() !== '') {
      if (values.includes(raw.trim())) value = raw.trim();
      else this.figure.notes.push(`${name}="${clipText(raw)}" is not one of ${values.join(', ')}; using ${fallback}.`);
    }
    return this.setting(name, fallback, value);
  }

  // Registers the setting `name` (an attribute) read by the figure itself:
  // its default and the value it starts with. Returns `value`. A null
  // fallback makes links always carry the setting (for one whose default
  // depends on another setting).
  setting(name, fallback, value) {
    const known = this.settings.get(name);
    this.settings.set(name, { fallback, read: known?.read ?? (() => value) });
    return value;
  }

  has(name) {
    return this.settings.has(name);
  }

  // The setting `name` now reads `read()` (a control changes it); the
  // controls given are tagged with its name for controls="…" subsets.
  keep(name, read, ...controls) {
    const known = this.settings.get(name);
    this.settings.set(name, { fallback: known?.fallback, read });
    this.tag(name, ...controls);
  }

  // Tags controls (elements in the figure) with a name for controls="…".
  tag(name, ...controls) {
    for (const c of controls) if (c) (c.element ?? c).dataset.control = name;
  }

  // [[attribute, text], …]: every setting whose current value is not its
  // default, in the order the figure read them.
  state() {
    const out = [];
    for (const [name, { fallback, read }] of this.settings) {
      const now = settingText(read());
      if (now !== null && now !== settingText(fallback)) out.push([name, now]);
    }
    return out;
  }

  // What links carry: the figure's refinement of state(), if it has one.
  current() {
    return this.figure.shareState?.() ?? this.state();
  }

  // --- after construction, and after every frame -------------------------------------
  // Notes attributes the figure does not use, applies controls="…" and adds
  // the share-and-export panel (before the notes).
  finish() {
    const unknown = this.host.getAttributeNames().filter((n) => !isGeneric(n) && !this.settings.has(n));
    for (const name of unknown.slice(0, MAX_UNKNOWN_NOTES)) this.figure.addNote(`"${clipText(name)}" is not a setting of this figure; it was ignored.`);
    if (unknown.length > MAX_UNKNOWN_NOTES) this.figure.addNote(`${unknown.length - MAX_UNKNOWN_NOTES} more attributes are not settings of this figure; they were ignored.`);
    this.bar = createShareBar({ links: () => this.codes(), downloads: this.downloads(), caveat: () => this.figure.shareCaveat?.() ?? null });
    this.figure.noteList.before(this.bar.element);
    this.applyControls(this.host.getAttribute('controls'));
  }

  // After a drawn frame: the open panel follows, and a rebuilt control is
  // hidden again when a subset is shown.
  update() {
    this.bar?.update();
    if (this.shown) this.hideControls();
  }

  // controls="none" hides every control and the share panel; controls="a,b"
  // shows only the controls named (see data-control; "share" is the panel).
  applyControls(spec) {
    const text = (spec ?? '').trim();
    if (text === '' || text === 'all') return;
    const container = this.figure.container;
    const tagged = [...container.querySelectorAll('[data-control]')];
    const names = new Set(['share', ...tagged.map((c) => c.dataset.control)]);
    if (text === 'none') {
      this.figure.controls.hidden = true;
      this.shown = new Set();
      this.hideControls();
      return;
    }
    const wanted = new Set(text.split(/[\s,]+/).filter(Boolean));
    const missing = [...wanted].filter((n) => !names.has(n));
    if (missing.length) this.figure.addNote(`controls: this figure has no control ${clipList(missing, 3, (n) => `"${clipText(n, 20)}"`)} (it has ${[...names].join(', ')}).`);
    this.shown = wanted;
    this.hideControls();
  }

  hideControls() {
    for (const c of this.figure.container.querySelectorAll('[data-control]')) c.hidden = !this.shown.has(c.dataset.control);
    if (this.bar) this.bar.element.hidden = !this.shown.has('share');
  }

  // --- share ---------------------------------------------------------------------------
  // The article at this figure in its current state.
  link(state = this.current()) {
    return articleLink(SITE_ROOT, this.figure.id, state);
  }

  // The link and both embed codes (the share panel shows them).
  codes() {
    const state = this.current();
    const { container, id } = this.figure;
    return {
      link: this.link(state),
      iframe: iframeSnippet(SITE_ROOT, id, state, { title: container.getAttribute('aria-label') ?? undefined, height: container.getBoundingClientRect().height + 16 }),
      element: elementSnippet(SITE_ROOT, id, state),
    };
  }

  // --- exports -------------------------------------------------------------------------
  // {columns, rows, caption} of the plotted series (the data panel's table).
  table() {
    return this.figure.table ?? null;
  }

  json() {
    if (this.figure.exportJson) return this.figure.exportJson();
    const state = this.current();
    return figureJson({ id: this.figure.id, state, link: this.link(state), table: this.table(), computations: this.figure.computationList() });
  }

  // [{label, config, start, note}]: the training runs the figure shows.
  runs() {
    return this.figure.pytorchRuns?.() ?? runsToExport(this.figure.computationList());
  }

  pytorch() {
    return pytorchScript(this.figure.id, this.runs());
  }

  // Lines drawn above the charts in the PNG: the figure's title, its status
  // sentence and its legend (see figurePng).
  pngHeader() {
    if (this.figure.pngHeader) return this.figure.pngHeader();
    const { container, status, id } = this.figure;
    const lines = [{ text: container.getAttribute('aria-label') ?? id }, { text: status.textContent }];
    const legend = this.legend();
    if (legend.length) lines.push({ parts: legend.flatMap(({ text, color }) => [{ text: '■ ', color }, { text: `${text}   ` }]) });
    return lines;
  }

  // [{text, color}]: the figure's legend list (.lr-legend li with a swatch)
  // and the series of every chart that shows a uPlot legend, once per label.
  legend() {
    if (this.figure.pngLegend) return this.figure.pngLegend();
    const out = [...this.figure.container.querySelectorAll('.lr-legend li')].filter((li) => li.offsetParent !== null).map((li) => {
      const swatch = li.querySelector('.lr-swatch');
      const style = swatch ? getComputedStyle(swatch) : null;
      const bg = style?.backgroundColor;
      const color = bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent' ? bg : style?.color;
      return { text: li.textContent.trim(), color };
    });
    const seen = new Set(out.map((o) => o.text));
    for (const { plot } of this.figure.charts) {
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

  png() {
    const { container, panels } = this.figure;
    return figurePng(panels, {
      background: cssColor(container, '--lr-panel', '#f6f7f9'),
      ink: cssColor(container, '--lr-ink', '#1d1f23'),
      header: this.pngHeader(),
      labels: [...panels.querySelectorAll('.lr-panel:not([hidden]) .lr-panel-title')],
    });
  }

  // The panel's download buttons: each saves a file and says so.
  downloads() {
    const name = (ext) => `lrlab-${this.figure.id}.${ext}`;
    const saveText = (ext, make, type) => () => {
      const content = make();
      if (content === null) return 'Nothing is drawn yet.';
      downloadText(name(ext), content, type);
      return `${name(ext)} saved.`;
    };
    return [
      { label: 'CSV', className: 'lr-export-csv', save: saveText('csv', () => { const t = this.table(); return t ? toCsv(t.columns, t.rows) : null; }, 'text/csv') },
      { label: 'JSON', className: 'lr-export-json', save: saveText('json', () => JSON.stringify(this.json(), null, 1), 'application/json') },
      { label: 'PNG', className: 'lr-export-png', save: async () => { downloadBlob(name('png'), await this.png()); return `${name('png')} saved.`; } },
      { label: 'PyTorch', className: 'lr-export-py', save: saveText('py', () => this.pytorch(), 'text/x-python') },
    ];
  }
}
