// uPlot charts that size themselves to their container and take their colours
// from the figure's CSS custom properties (so light/dark themes just work).
import uPlot from '../../vendor/uplot/uPlot.esm.js';

export function cssColor(element, name, fallback) {
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value || fallback;
}

// A colour read when uPlot draws, not when the chart is made, so a theme
// switch only needs a redraw: themed(el, '--lr-accent', '#1769aa').
export function themed(element, name, fallback) {
  return () => cssColor(element, name, fallback);
}

// A themed colour at `alpha` opacity (a hex colour made rgba; any other
// colour an embedder set is used as it is): a muted twin of a series' hue.
export function faded(element, name, fallback, alpha) {
  return () => {
    const c = cssColor(element, name, fallback);
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
    return m ? `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})` : c;
  };
}

// The palette for several series on one chart (runs, optimizers): --lr-c1…
// --lr-c6 from the figure's stylesheet, with fixed fallbacks.
const PALETTE = ['#1668b0', '#d1495b', '#2a9d5c', '#e08a00', '#7b4fb8', '#5f6672'];
export function seriesColor(element, i) {
  const k = i % PALETTE.length;
  return themed(element, `--lr-c${k + 1}`, PALETTE[k]);
}

// Axis styling shared by every chart.
export function axis(element, extra = {}) {
  const ink = themed(element, '--lr-muted', '#666');
  const grid = themed(element, '--lr-grid', '#ddd');
  return { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, ...extra };
}

// Tick labels for a log axis: powers of ten written compactly.
export function logTickLabel(v) {
  if (!(v > 0)) return '';  // uPlot passes null for ticks it dropped
  const e = Math.round(Math.log10(v));
  return e >= -3 && e <= 4 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${e}`;
}

// A log-scaled y axis with ticks at powers of ten only (at most ~6 labels),
// written compactly (1e-8, 0.01, 100).
export function logAxis(element, extra = {}) {
  return axis(element, {
    size: 56,
    splits: (u, axisIdx, min, max) => {
      const lo = Math.ceil(Math.log10(min) - 1e-9);
      const hi = Math.floor(Math.log10(max) + 1e-9);
      const every = Math.max(1, Math.ceil((hi - lo + 1) / 6));
      const splits = [];
      for (let e = hi; e >= lo; e -= every) splits.unshift(10 ** e);
      return splits;
    },
    values: (u, splits) => splits.map(logTickLabel),
    ...extra,
  });
}

// Ticks for a log axis that may span less than a decade: powers of ten when
// it spans several, else 1-2-5 (or 1…9) multiples inside the range. For
// uPlot: `splits: (u, i, min, max) => logSplits(min, max)`.
export function logSplits(min, max) {
  const decades = Math.log10(max / min);
  if (decades >= 2.5) {
    const lo = Math.ceil(Math.log10(min) - 1e-9);
    const hi = Math.floor(Math.log10(max) + 1e-9);
    const every = Math.max(1, Math.ceil((hi - lo + 1) / 6));
    const out = [];
    for (let e = hi; e >= lo; e -= every) out.unshift(10 ** e);
    return out;
  }
  const mantissas = decades >= 1 ? [1, 2, 5] : decades >= 0.4 ? [1, 2, 3, 5] : [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9];
  const out = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(3));
      if (v >= min && v <= max) out.push(v);
    }
  }
  return out;
}

// For a uPlot draw hook: saves the canvas state and clips drawing to the
// plot area (u.bbox). The caller restores: clipToPlot(u); …; u.ctx.restore().
export function clipToPlot(u) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  return ctx;
}

// A dotted vertical line at canvas x across the plot area, in the current
// stroke style (a marker: a split, a change of η).
export function dottedVertical(u, x) {
  const { ctx } = u;
  const { top, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.setLineDash([2 * dpr, 3 * dpr]);
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, top + height);
  ctx.stroke();
  ctx.setLineDash([]);
}

// Creates a uPlot in `container`, kept at the container's width and the given
// aspect ratio (bounded by minHeight/maxHeight). Returns {plot, destroy}.
// Its legend is a key (each series' marker and name) until the cursor is on
// the plot, and only then shows the values at the cursor: no row of
// placeholder dashes ("step: —") while nobody hovers.
export function createChart(container, options, data, { aspect = 0.75, minHeight = 220, maxHeight = 380 } = {}) {
  const size = () => {
    const width = Math.max(200, Math.floor(container.clientWidth));
    const height = Math.round(Math.min(maxHeight, Math.max(minHeight, width * aspect)));
    return { width, height };
  };
  const idleLegend = (u) => u.root.classList.toggle('lr-legend-idle', u.cursor.idx === null || u.cursor.idx === undefined);
  const hooks = { ...options.hooks };
  for (const name of ['init', 'setLegend']) hooks[name] = [...(hooks[name] ?? []), idleLegend];
  const plot = new uPlot({ ...options, hooks, ...size() }, data, container);
  const observer = new ResizeObserver(() => {
    const next = size();
    if (next.width !== plot.width || next.height !== plot.height) plot.setSize(next);
  });
  observer.observe(container);
  return {
    plot,
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}

export { uPlot };

// uPlot's log axes work between 1e-32 and 1e32. Values for a log axis are
// clamped into [1e-20, 1e20] (a loss of exactly 0 sits on the floor) and
// negative or non-finite ones become gaps, never a broken chart.
export const LOG_FLOOR = 1e-20;
export const LOG_CEIL = 1e20;
export function forLogAxis(values) {
  return Array.from(values, (v) => (Number.isFinite(v) && v >= 0 ? Math.min(LOG_CEIL, Math.max(LOG_FLOOR, v)) : null));
}

// A log-axis range in whole decades around the positive finite values (nulls
// and the rest are skipped), never below LOG_FLOOR and at least one decade
// wide. `margin` widens it by that many decades on each side before
// rounding out (a tiny margin moves values that sit exactly on a power of
// ten off the border); `fallback` is returned when there is nothing to show.
export function decadeRange(values, { margin = 0, fallback }) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v) || v <= 0) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo <= hi)) return fallback;
  lo = Math.max(LOG_FLOOR, lo);
  hi = Math.max(hi, lo);
  const a = Math.floor(Math.log10(lo) - margin);
  let b = Math.ceil(Math.log10(hi) + margin);
  if (b - a < 1) b = a + 1;
  return [10 ** a, 10 ** b];
}

// Dragging on a chart's plot area picks a value on its x axis (lr-sweep's η,
// local-minima's start): onValue(x, done) on press, on every move while
// pressed (pointer capture keeps the drag when it leaves the chart) and on
// release (done = true). Vertical touch scrolling is kept.
export function dragAcross(plot, onValue) {
  const over = plot.over;
  over.style.cursor = 'ew-resize';
  over.style.touchAction = 'pan-y';
  let dragging = false;
  const valueAt = (e) => {
    const rect = over.getBoundingClientRect();
    return plot.posToVal(Math.min(rect.width, Math.max(0, e.clientX - rect.left)), 'x');
  };
  over.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    dragging = true;
    over.setPointerCapture?.(e.pointerId);
    e.preventDefault();
    onValue(valueAt(e), false);
  });
  over.addEventListener('pointermove', (e) => {
    if (dragging) onValue(valueAt(e), false);
  });
  const end = (e) => {
    if (!dragging) return;
    dragging = false;
    onValue(valueAt(e), true);
  };
  over.addEventListener('pointerup', end);
  over.addEventListener('pointercancel', end);
}
