// The lab's line charts: loss per step (log axis; training and, for data
// problems, validation), η per step, and the LR range test (smoothed loss
// against η, both log). Options only — the figure creates the uPlots through
// Figure.chart and feeds them data. Colours are read at draw time.
import { axis, cssColor, forLogAxis, logAxis, seriesColor, uPlot } from '../../ui/chart.js';
import { formatNumber } from '../../model/format.js';

// Log-axis range that survives empty data (every run failed or diverged at 0).
function logRange(u, min, max) {
  if (!(min > 0) || !(max > 0)) return [0.1, 10];
  if (min === max) return [min / 10, max * 10];
  return uPlot.rangeLog(min, max, 10, true);
}

function linearRange(u, min, max) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [Math.min(0, min), max === 0 ? 1 : max * 1.1];
  return [Math.min(0, min), max + 0.05 * (max - min)];
}

// A vertical line across the plot at x = value with a bold label on text row
// `row` beside it (flipped to the left near the right edge). Off-plot values
// draw nothing.
function markX(u, value, text, color, row, { dash = null, width = 2 } = {}) {
  const dpr = devicePixelRatio || 1;
  const ctx = u.ctx;
  const x = u.valToPos(value, 'x', true);
  if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width * dpr;
  ctx.setLineDash(dash ? dash.map((d) => d * dpr) : []);
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.font = `bold ${12 * dpr}px system-ui, sans-serif`;
  const w = ctx.measureText(text).width;
  const right = x + 5 * dpr + w < u.bbox.left + u.bbox.width;
  ctx.textAlign = right ? 'left' : 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(text, right ? x + 5 * dpr : x - 5 * dpr, u.bbox.top + (4 + 16 * row) * dpr);
  ctx.restore();
}

// "✕ run k diverged at step d" in red, one text row per diverged run.
function drawDivergence(host, getRuns) {
  return (u) => {
    let row = 0;
    for (const run of getRuns()) {
      const d = run.result?.divergedAt;
      if (d === null || d === undefined) continue;
      markX(u, d, `✕ run ${run.index + 1} diverged at step ${d}`, cssColor(host, '--lr-danger', '#c62828'), row++, { dash: [4, 3], width: 1.5 });
    }
  };
}

// runs: [{index, slot, data (has validation), result}] — the layout the
// chart is made for; getRuns() returns the current ones for the hooks.
export function lossChart(host, runs, getRuns) {
  const series = [{ label: 'step' }];
  for (const run of runs) {
    const stroke = seriesColor(host, run.slot);
    // For data problems the minibatch loss is noisy: drawn thin and faint so
    // the validation loss (dashed, with points) stands out over it.
    series.push({ label: `run ${run.index + 1}${run.data ? ' train' : ''}`, stroke, width: run.data ? 1 : 2, alpha: run.data ? 0.45 : 1, points: { show: false }, value: (u, v) => formatNumber(v) });
    if (run.data) series.push({ label: `run ${run.index + 1} validation`, stroke, width: 2.5, dash: [7, 3], spanGaps: true, points: { show: true, size: 5, fill: stroke }, value: (u, v) => formatNumber(v) });
  }
  return {
    legend: { show: true },
    cursor: { points: { size: 6 }, drag: { x: true, y: false } },
    scales: { x: { time: false }, y: { distr: 3, range: logRange } },
    axes: [axis(host, { label: 'step' }), logAxis(host, { label: 'loss' })],
    series,
    hooks: { draw: [drawDivergence(host, getRuns)] },
  };
}

// Plateau cuts: a small red triangle at each step where η was cut.
function drawCuts(host, getRuns) {
  return (u) => {
    const dpr = devicePixelRatio || 1;
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = cssColor(host, '--lr-danger', '#c62828');
    for (const run of getRuns()) {
      const cuts = run.result?.plateau?.reducedAt ?? run.result?.plateau?.reduced_at ?? [];
      const lr = run.result?.lr;
      for (const step of cuts) {
        if (!lr || step >= lr.length) continue;
        const x = u.valToPos(step, 'x', true);
        const y = u.valToPos(Math.max(lr[step], u.scales.y.min ?? 0), 'y', true);
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        ctx.beginPath();
        ctx.moveTo(x, y + 2 * dpr);
        ctx.lineTo(x - 5 * dpr, y - 7 * dpr);
        ctx.lineTo(x + 5 * dpr, y - 7 * dpr);
        ctx.closePath();
        ctx.fill();
      }
    }
    ctx.restore();
  };
}

export function lrChart(host, runs, getRuns, log) {
  const series = [{ label: 'step' }];
  for (const run of runs) series.push({ label: `run ${run.index + 1} η`, stroke: seriesColor(host, run.slot), width: 2, points: { show: false }, value: (u, v) => formatNumber(v) });
  return {
    legend: { show: true },
    cursor: { points: { size: 6 }, drag: { x: true, y: false } },
    scales: { x: { time: false }, y: log ? { distr: 3, range: logRange } : { range: linearRange } },
    axes: [axis(host, { label: 'step' }), log ? logAxis(host, { label: 'η' }) : axis(host, { label: 'η', size: 56, values: (u, splits) => splits.map((v) => formatNumber(v)) })],
    series,
    hooks: { draw: [drawCuts(host, getRuns)] },
  };
}

// η values for a log axis: zeros (a schedule's floor) become gaps, not 1e-20.
export function lrForAxis(values, log) {
  if (!log) return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
  return forLogAxis(Array.from(values, (v) => (v > 0 ? v : NaN)));
}

// The range test: raw and smoothed loss against η, the suggested η marked.
export function rangeChart(host, getTest, slot) {
  const stroke = seriesColor(host, slot);
  return {
    legend: { show: true },
    cursor: { points: { size: 6 }, drag: { x: false, y: false } },
    scales: { x: { time: false, distr: 3, range: logRange }, y: { distr: 3, range: logRange } },
    axes: [logAxis(host, { label: 'η (log)', size: 44 }), logAxis(host, { label: 'loss' })],
    series: [
      { label: 'η', value: (u, v) => formatNumber(v) },
      { label: 'loss', stroke: () => cssColor(host, '--lr-muted', '#888'), width: 1, points: { show: false }, value: (u, v) => formatNumber(v) },
      { label: 'smoothed', stroke, width: 2.5, points: { show: false }, value: (u, v) => formatNumber(v) },
    ],
    hooks: {
      draw: [(u) => {
        const test = getTest();
        if (!test) return;
        if (test.min_loss_lr > 0) markX(u, test.min_loss_lr, `lowest loss at η = ${formatNumber(test.min_loss_lr)}`, cssColor(host, '--lr-muted', '#666'), 1, { dash: [6, 4] });
        if (test.suggested_lr > 0) markX(u, test.suggested_lr, `suggested η = ${formatNumber(test.suggested_lr)}`, cssColor(host, '--lr-accent', '#1668b0'), 0);
      }],
    },
  };
}
