// What the two η-sweep figures ("lr-sweep" and "robustness") share besides
// their data (model/sweeps.js: problems, optimizers, configs): a cache of
// sweep results, a cost model that picks how many η values a sweep can
// afford while the reader drags, and the canvas marks drawn on a
// loss-against-η chart.
//
// A sweep of ~100 runs costs ~1–3 ms on the 2-D problems but ~35 ms on the
// digits (100 steps of a 32-sample minibatch per η), five times that for the
// robustness figure's five optimizers. So while a control moves, a sweep
// uses as many η values as fit a frame budget (measured, per problem), and
// the full resolution follows once the control rests.
import { axis, cssColor, decadeRange, logTickLabel } from '../ui/chart.js';
import { createLogSlider } from '../ui/controls.js';
import { formatNumber } from '../model/format.js';

// --- sweep cache and cost model --------------------------------------------------------
// Results by config text, shared by every sweep figure on the page (the
// robustness figure's SGD sweep is the lr-sweep figure's when the settings
// agree). Promises are stored so concurrent requests share one computation.
const CACHE_SIZE = 150;
const cache = new Map();
// Measured milliseconds per optimizer step of a sweep, by problem.
const costs = new Map();

export const FULL_NUM = 101;
const LEVELS = [101, 51, 26, 11];
const FRAME_BUDGET_MS = 10;
const MIN_MEASURED_WORK = 2000;  // optimizer steps

// How many η values a sweep of `sweeps` × `steps` steps can have while the
// reader drags, to stay within a frame; the full resolution before anything
// has been measured.
export function quickNum(problemId, steps, sweeps) {
  const cost = costs.get(problemId);
  if (!cost) return FULL_NUM;
  for (const n of LEVELS) if (n * steps * sweeps * cost <= FRAME_BUDGET_MS) return n;
  return LEVELS[LEVELS.length - 1];
}

// Sweeps every config (in one batch, so the Worker never waits for the page
// between them); results come from the cache where possible. Every config
// must be for the same problem (the cost model is per problem).
export async function fetchSweeps(engine, problemId, configs) {
  const start = performance.now();
  let work = 0;
  const promises = configs.map((config) => {
    const key = JSON.stringify(config);
    let promise = cache.get(key);
    if (promise) {
      cache.delete(key);  // most recently used last
    } else {
      work += config.steps * config.sweep.num;
      promise = engine.sweep(config);
      promise.catch(() => cache.delete(key));
    }
    cache.set(key, promise);
    return promise;
  });
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  // A cached sweep another figure started is cancelled when that figure is
  // removed: then this one asks for it again (with its own lifetime).
  const results = await Promise.all(promises.map((p, i) => p.catch((err) => {
    if (err?.name !== 'AbortError') throw err;
    const again = engine.sweep(configs[i]);
    cache.set(JSON.stringify(configs[i]), again);
    again.catch(() => cache.delete(JSON.stringify(configs[i])));
    return again;
  })));
  // Small sweeps are mostly Worker round trip, not steps: measuring on them
  // would overrate the cost per step and keep the resolution low for good.
  if (work >= MIN_MEASURED_WORK) {
    const perStep = (performance.now() - start) / work;
    const old = costs.get(problemId);
    // A slow measurement (the first sweep pays for starting the engine; the
    // machine may be busy) counts half; a fast one is believed at once.
    costs.set(problemId, old === undefined ? perStep : Math.min(perStep, 0.5 * old + 0.5 * perStep));
  }
  return results;
}

// --- axes and scales ----------------------------------------------------------------------
const log10 = Math.log10;

// The η axis: log scale, ticks at powers of ten.
export function lrAxis(el, extra = {}) {
  return axis(el, {
    label: 'learning rate η',
    labelSize: 20,
    size: 36,
    splits: (u, i, min, max) => {
      const out = [];
      for (let e = Math.ceil(log10(min) - 1e-9); e <= Math.floor(log10(max) + 1e-9); e++) out.push(10 ** e);
      return out;
    },
    values: (u, splits) => splits.map(logTickLabel),
    ...extra,
  });
}

// A log y range that holds every positive finite value, widened to whole
// decades (a value on a power of ten gets the decade beyond it too).
export function logRange(values, fallback = [1e-6, 10]) {
  return decadeRange(values, { margin: 1e-9, fallback });
}

// --- reading a sweep ------------------------------------------------------------------------
// The η intervals (contiguous, in η) covered by runs that diverged; each edge
// halfway (in log η) between a diverged run and its neighbour.
export function divergedSpans(lr, divergedAt) {
  const spans = [];
  const n = lr.length;
  const mid = (i, j) => Math.sqrt(lr[i] * lr[j]);
  for (let i = 0; i < n; i++) {
    if (divergedAt[i] === null) continue;
    let j = i;
    while (j + 1 < n && divergedAt[j + 1] !== null) j++;
    spans.push([i === 0 ? lr[0] : mid(i - 1, i), j === n - 1 ? lr[n - 1] : mid(j, j + 1), i]);
    i = j;
  }
  return spans;
}

// --- canvas marks on a loss-against-η chart ---------------------------------------------------
export function pixelRatio() {
  return devicePixelRatio || 1;
}

// Shades [lo, hi] η spans across the plot (drawn under the series).
export function shadeSpans(u, spans, color, label) {
  const ctx = u.ctx;
  const dpr = pixelRatio();
  const { top, height, left, width } = u.bbox;
  ctx.save();
  for (const [lo, hi] of spans) {
    const x0 = Math.max(left, u.valToPos(lo, 'x', true));
    const x1 = Math.min(left + width, u.valToPos(hi, 'x', true));
    if (x1 <= x0) continue;
    ctx.globalAlpha = 0.13;
    ctx.fillStyle = color;
    ctx.fillRect(x0, top, x1 - x0, height);
    ctx.globalAlpha = 1;
    if (label && x1 - x0 > 40 * dpr) {
      ctx.fillStyle = color;
      ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(label, (x0 + x1) / 2, top + height / 2);
    }
  }
  ctx.restore();
}

// A vertical dashed line at η = x with a label beside it (on the right
// where it fits, unless side = 'left').
export function verticalMark(u, x, color, label, { dash = [5, 4], row = 0, width = 1.5, side = 'auto' } = {}) {
  const px = u.valToPos(x, 'x', true);
  const { top, height, left } = u.bbox;
  if (px < left || px > left + u.bbox.width) return;
  const ctx = u.ctx;
  const dpr = pixelRatio();
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = width * dpr;
  ctx.setLineDash(dash.map((d) => d * dpr));
  ctx.beginPath();
  ctx.moveTo(px, top);
  ctx.lineTo(px, top + height);
  ctx.stroke();
  if (label) {
    ctx.setLineDash([]);
    ctx.font = `${12 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    const w = ctx.measureText(label).width;
    const right = side !== 'left' && px + 4 * dpr + w <= left + u.bbox.width;
    ctx.textAlign = right ? 'left' : 'right';
    const y = top + height - (4 + row * 16) * dpr;
    ctx.fillStyle = cssColor(u.root, '--lr-panel', '#f6f7f9');
    ctx.globalAlpha = 0.85;
    ctx.fillRect(right ? px + 2 * dpr : px - 6 * dpr - w, y - 14 * dpr, w + 4 * dpr, 14 * dpr);
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    ctx.fillText(label, right ? px + 4 * dpr : px - 4 * dpr, y);
  }
  ctx.restore();
}

// A horizontal dashed line at loss y with a label at one end.
export function horizontalMark(u, y, color, label, { dash = [6, 4], width = 1.5, above = true, align = 'right' } = {}) {
  const py = u.valToPos(y, 'y', true);
  const { top, height, left, width: w } = u.bbox;
  if (py < top || py > top + height) return;
  const ctx = u.ctx;
  const dpr = pixelRatio();
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = width * dpr;
  ctx.setLineDash(dash.map((d) => d * dpr));
  ctx.beginPath();
  ctx.moveTo(left, py);
  ctx.lineTo(left + w, py);
  ctx.stroke();
  if (label) {
    ctx.font = `${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = align;
    const flip = above && py - top < 18 * dpr;
    ctx.textBaseline = above && !flip ? 'bottom' : 'top';
    ctx.setLineDash([]);
    const tx = align === 'left' ? left + 4 * dpr : left + w - 4 * dpr;
    const ty = py + (above && !flip ? -3 : 3) * dpr;
    const tw = ctx.measureText(label).width;
    ctx.fillStyle = cssColor(u.root, '--lr-panel', '#f6f7f9');
    ctx.globalAlpha = 0.85;
    ctx.fillRect(align === 'left' ? tx - 2 * dpr : tx - tw - 2 * dpr, ctx.textBaseline === 'bottom' ? ty - 14 * dpr : ty, tw + 4 * dpr, 14 * dpr);
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    ctx.fillText(label, tx, ty);
  }
  ctx.restore();
}

// An ✕ at canvas position (x, y).
export function cross(ctx, x, y, size, color) {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * pixelRatio();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(x - size, y - size);
  ctx.lineTo(x + size, y + size);
  ctx.moveTo(x + size, y - size);
  ctx.lineTo(x - size, y + size);
  ctx.stroke();
  ctx.restore();
}

// --- controls ---------------------------------------------------------------------------------
// A log slider whose range depends on the problem: replaced when the
// problem changes (the old element's place in the controls is kept).
export function swapLogSlider(old, options) {
  const slider = createLogSlider(options);
  slider.element.classList.add(...(old?.element.classList ?? []));
  old?.element.replaceWith(slider.element);
  return slider;
}

export function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}

// Three significant digits, as the η slider gives.
export function tidy(v) {
  return Number(v.toPrecision(3));
}

// "1.2e-3 (η = 0.05)"-style helpers for status sentences.
export const f = (v) => formatNumber(v);

// The index of the lowest non-null value, or -1.
export function argMin(values) {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (values[i] !== null && (best < 0 || values[i] < values[best])) best = i;
  return best;
}
