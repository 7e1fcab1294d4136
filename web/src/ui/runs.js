// Drawing several optimizer runs side by side, shared by the figures that
// race runs against each other (three-rates, optimizer-race):
//   - paletteVar / paletteColor: a palette colour --lr-c<k> as a CSS value
//     and as a draw-time canvas colour;
//   - LossCurves: several runs' loss curves on one log axis, with a hover
//     readout and "diverged at step k" marks.
// The paths, markers and loss gaps they draw come from model/results.js.
import { axis, cssColor, forLogAxis, logAxis, themed } from './chart.js';
import { element } from './dom.js';
import { formatNumber } from '../model/format.js';

// A palette colour as a CSS variable (follows the theme by itself) and as a
// draw-time colour for canvases.
export function paletteVar(k) {
  return `var(--lr-c${k})`;
}
const PALETTE_FALLBACK = ['#1668b0', '#c2364a', '#23874f', '#b86e00', '#7048a8', '#5f6672'];
export function paletteColor(el, k) {
  return themed(el, `--lr-c${k}`, PALETTE_FALLBACK[(k - 1) % PALETTE_FALLBACK.length]);
}

// Several runs' loss curves on a log axis, one fixed slot per run. Each set()
// takes, per slot, null (hidden) or {values, divergedAt}; the values are
// clamped into a drawable range ([floor, 10⁶ × the largest starting value]),
// a diverged curve stops at its last step with "✕ diverged at step k", and an
// optional `upTo` cuts every curve at that step (for Play) and draws a
// cursor there. Hovering writes every run's value at that step beneath.
export class LossCurves {
  constructor(figure, box, { slots, yLabel = 'loss', floor = 1e-12, sizing = { aspect: 0.8, minHeight: 240, maxHeight: 420 } }) {
    this.figure = figure;
    this.slots = slots;  // [{label, color: () => css, cssColor: 'var(--…)'}]
    this.floor = floor;
    this.range = [floor, 1];
    this.steps = 1;
    this.entries = slots.map(() => null);
    this.upTo = null;
    const el = figure.container;
    this.plot = figure.chart(box, {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      scales: {
        x: { time: false, range: () => [0, this.steps] },
        y: { distr: 3, range: () => this.range },
      },
      axes: [axis(el, { label: 'step t' }), logAxis(el, { label: yLabel })],
      series: [{}, ...slots.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false }, spanGaps: false }))],
      hooks: {
        draw: [(u) => this.drawMarks(u)],
        setCursor: [(u) => this.showReadout(u.cursor.idx)],
      },
    }, [[0, 1], ...slots.map(() => [null, null])], sizing);
    this.readout = element('p', 'lr-readout');
    this.readout.setAttribute('aria-hidden', 'true');
    this.readout.textContent = '\u00a0';
    box.after(this.readout);
  }

  set(entries, { steps, upTo = null }) {
    this.entries = entries;
    this.steps = Math.max(1, steps);
    this.upTo = upTo;
    let lo = Infinity, hi = 0, start = 0;
    for (const e of entries) {
      if (!e) continue;
      if (Number.isFinite(e.values[0])) start = Math.max(start, e.values[0]);
      for (const v of e.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    const ceil = Math.max(start, this.floor * 10) * 1e6;
    lo = Math.max(this.floor, lo);
    hi = Math.min(ceil, Math.max(hi, lo * 10));
    if (!(hi > lo)) { lo = this.floor; hi = 1; }
    // Whole decades, so the power-of-ten ticks frame the curves.
    this.range = [10 ** Math.floor(Math.log10(lo) - 1e-9), 10 ** Math.ceil(Math.log10(hi) + 1e-9)];
    const xs = Array.from({ length: this.steps + 1 }, (_, i) => i);
    const last = upTo ?? this.steps;
    // forLogAxis turns what a log axis cannot draw into gaps; the clamp then
    // keeps a diverging curve's last steps at the top edge, never NaN or ∞.
    const columns = entries.map((e) => {
      const values = e ? forLogAxis(e.values) : [];
      return xs.map((i) => {
        if (!e || i > last || i >= values.length || values[i] === null) return null;
        return Math.min(this.range[1], Math.max(this.range[0], values[i]));
      });
    });
    this.slots.forEach((s, k) => {
      const show = entries[k] !== null;
      if (this.plot.series[k + 1].show !== show) this.plot.setSeries(k + 1, { show });
    });
    this.plot.setData([xs, ...columns]);
  }

  drawMarks(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    const el = this.figure.container;
    ctx.save();
    if (this.upTo !== null && this.upTo < this.steps) {
      const x = u.valToPos(this.upTo, 'x', true);
      ctx.strokeStyle = cssColor(el, '--lr-muted', '#666');
      ctx.lineWidth = dpr;
      ctx.setLineDash([3 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    let row = 0;
    this.entries.forEach((e, k) => {
      if (!e || e.divergedAt === null || (this.upTo !== null && this.upTo < e.divergedAt)) return;
      const step = e.divergedAt;
      const v = Math.min(this.range[1], Math.max(this.range[0], e.values[Math.min(step, e.values.length - 1)] ?? this.range[1]));
      const x = u.valToPos(step, 'x', true);
      const y = u.valToPos(Number.isFinite(v) ? v : this.range[1], 'y', true);
      const r = 5 * dpr;
      ctx.strokeStyle = this.slots[k].color();
      ctx.lineWidth = 2.5 * dpr;
      ctx.beginPath();
      ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
      ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r);
      ctx.stroke();
      ctx.fillStyle = cssColor(el, '--lr-danger', '#c62828');
      ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
      const text = `${this.slots[k].short ?? this.slots[k].label}: diverged at step ${step}`;
      const width = ctx.measureText(text).width;
      const right = u.bbox.left + u.bbox.width;
      const ty = Math.max(u.bbox.top + 4 * dpr, Math.min(u.bbox.top + u.bbox.height - 16 * dpr, y + (8 + 15 * row) * dpr));
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      const tx = Math.min(right - width - 4 * dpr, Math.max(u.bbox.left + 4 * dpr, x + 8 * dpr));
      ctx.fillText(text, tx, ty);
      row++;
    });
    ctx.restore();
  }

  showReadout(idx) {
    if (idx === null || idx === undefined) {
      this.readout.textContent = '\u00a0';
      return;
    }
    const parts = [element('span', '', `step ${idx}:`)];
    this.entries.forEach((e, k) => {
      if (!e) return;
      const v = e.values[idx];
      const span = element('span', 'lr-readout-item', ` ${this.slots[k].short ?? this.slots[k].label} `);
      span.style.color = this.slots[k].cssColor;
      const value = idx >= e.values.length ? (e.divergedAt !== null ? 'diverged' : '—') : formatNumber(v);
      parts.push(span, value);
    });
    this.readout.replaceChildren(...parts);
  }
}

