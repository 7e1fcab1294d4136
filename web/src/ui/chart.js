// uPlot charts that size themselves to their container and take their colours
// from the figure's CSS custom properties (so light/dark themes just work).
import uPlot from '../../vendor/uplot/uPlot.esm.js';

export function cssColor(element, name, fallback) {
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value || fallback;
}

// Axis styling shared by every chart.
export function axis(element, extra = {}) {
  const ink = cssColor(element, '--lr-muted', '#666');
  const grid = cssColor(element, '--lr-grid', '#ddd');
  return { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, ...extra };
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
    values: (u, splits) => splits.map((v) => {
      if (!(v > 0)) return '';  // uPlot passes null for ticks it dropped
      const e = Math.round(Math.log10(v));
      return e >= -3 && e <= 4 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${e}`;
    }),
    ...extra,
  });
}

// Creates a uPlot in `container`, kept at the container's width and the given
// aspect ratio (bounded by minHeight/maxHeight). Returns {plot, destroy}.
export function createChart(container, options, data, { aspect = 0.75, minHeight = 220, maxHeight = 380 } = {}) {
  const size = () => {
    const width = Math.max(200, Math.floor(container.clientWidth));
    const height = Math.round(Math.min(maxHeight, Math.max(minHeight, width * aspect)));
    return { width, height };
  };
  const plot = new uPlot({ ...options, ...size() }, data, container);
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
