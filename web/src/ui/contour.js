// A contour plot of a 2-D problem's loss, with optimizer paths drawn over it.
// The loss values come from the core (engine.grid); this module only turns
// them into pictures: a shaded background (log of the loss above its
// minimum), contour lines by marching squares, and the paths.
//
//   const chart = createContourChart(box, host, engine, {problem, x: [-2, 2], y: [-1, 3]});
//   await chart.ready;
//   chart.setPaths([{xy: Float64Array [x0, y0, x1, y1, …], color, label, diverged}]);
import { element } from './dom.js';
import { axis, createChart, cssColor } from './chart.js';
import { formatNumber } from '../model/format.js';

const LEVELS = 14;

// Contour levels: geometric between a small and a large height above the
// minimum, so the valley floor gets as many lines as the walls. `sorted`
// holds the grid's finite values in increasing order (sorted[0] = minimum).
function chooseLevels(sorted) {
  const min = sorted[0];
  const heights = sorted.map((v) => v - min).filter((h) => h > 0);
  if (heights.length === 0) return [];
  const hi = heights[Math.floor(0.85 * (heights.length - 1))];
  const lo = Math.max(hi * 1e-4, heights[Math.floor(0.002 * (heights.length - 1))]);
  if (!(hi > lo)) return [min + hi];
  const levels = [];
  for (let k = 0; k < LEVELS; k++) levels.push(min + lo * (hi / lo) ** (k / (LEVELS - 1)));
  return levels;
}

// Marching squares: line segments (x0, y0, x1, y1 in data units) where the
// grid crosses `level`. Values are row by row: values[j * nx + i] = f(x_i, y_j).
export function contourSegments(xs, ys, values, level) {
  const nx = xs.length;
  const out = [];
  const cross = (xa, ya, va, xb, yb, vb) => {
    const t = (level - va) / (vb - va);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const v00 = values[j * nx + i];
      const v10 = values[j * nx + i + 1];
      const v01 = values[(j + 1) * nx + i];
      const v11 = values[(j + 1) * nx + i + 1];
      if (!(Number.isFinite(v00) && Number.isFinite(v10) && Number.isFinite(v01) && Number.isFinite(v11))) continue;
      const x0 = xs[i], x1 = xs[i + 1], y0 = ys[j], y1 = ys[j + 1];
      // Edge crossings: bottom, right, top, left.
      const points = [];
      if ((v00 < level) !== (v10 < level)) points.push(cross(x0, y0, v00, x1, y0, v10));
      if ((v10 < level) !== (v11 < level)) points.push(cross(x1, y0, v10, x1, y1, v11));
      if ((v01 < level) !== (v11 < level)) points.push(cross(x0, y1, v01, x1, y1, v11));
      if ((v00 < level) !== (v01 < level)) points.push(cross(x0, y0, v00, x0, y1, v01));
      // Two or four crossings; with four (a saddle cell) pair them in order.
      for (let k = 0; k + 1 < points.length; k += 2) out.push(...points[k], ...points[k + 1]);
    }
  }
  return out;
}

function parseColor(css) {
  const ctx = parseColor.ctx ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  return ctx.getImageData(0, 0, 1, 1).data;
}

// Bilinear interpolation of the grid at (x, y), for the hover readout.
function sample(grid, x, y) {
  const { x: xs, y: ys, values, nx } = grid;
  const fi = ((x - xs[0]) / (xs[nx - 1] - xs[0])) * (nx - 1);
  const fj = ((y - ys[0]) / (ys[ys.length - 1] - ys[0])) * (ys.length - 1);
  if (!(fi >= 0 && fj >= 0 && fi <= nx - 1 && fj <= ys.length - 1)) return NaN;
  const i = Math.min(nx - 2, Math.floor(fi)), j = Math.min(ys.length - 2, Math.floor(fj));
  const a = fi - i, b = fj - j;
  const v = (ii, jj) => values[jj * nx + ii];
  return (1 - a) * (1 - b) * v(i, j) + a * (1 - b) * v(i + 1, j) + (1 - a) * b * v(i, j + 1) + a * b * v(i + 1, j + 1);
}

// Draws a path: a line through the iterates, a ring at the start, a dot at
// the end, a cross where a diverged run left the finite world.
function drawPath(u, ctx, path, dpr) {
  const color = typeof path.color === 'function' ? path.color() : path.color;
  const xy = path.xy;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = (path.width ?? 2) * dpr;
  ctx.setLineDash(path.dashed ? [5 * dpr, 4 * dpr] : []);
  ctx.beginPath();
  let open = false;
  let last = null;
  const points = [];
  for (let k = 0; k + 1 < xy.length; k += 2) {
    if (!(Number.isFinite(xy[k]) && Number.isFinite(xy[k + 1]))) {
      open = false;
      continue;
    }
    // Far-away iterates are clamped so the canvas never sees huge numbers.
    const px = Math.max(-1e5, Math.min(1e5, u.valToPos(xy[k], 'x', true)));
    const py = Math.max(-1e5, Math.min(1e5, u.valToPos(xy[k + 1], 'y', true)));
    if (open) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    open = true;
    last = [px, py];
    points.push(last);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  if (path.dots !== false && points.length <= 400) {
    for (const [px, py] of points) {
      ctx.beginPath();
      ctx.arc(px, py, 1.8 * dpr, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  if (points.length) {
    const [sx, sy] = points[0];
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.arc(sx, sy, 5 * dpr, 0, 2 * Math.PI);
    ctx.stroke();
    const [ex, ey] = last;
    if (path.diverged) {
      const r = 6 * dpr;
      ctx.lineWidth = 3 * dpr;
      ctx.beginPath();
      ctx.moveTo(ex - r, ey - r); ctx.lineTo(ex + r, ey + r);
      ctx.moveTo(ex - r, ey + r); ctx.lineTo(ex + r, ey - r);
      ctx.stroke();
    } else {
      ctx.beginPath();
      ctx.arc(ex, ey, 5 * dpr, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

// `host` is the element whose CSS custom properties colour the chart.
// Options: problem (config), x, y ([min, max]), n (grid points per side),
// markers ([{x, y, label}] e.g. minimizers), labels ({x, y} axis titles).
export function createContourChart(box, host, engine, { problem, x, y, n = 121, markers = [], labels = { x: 'x₁', y: 'x₂' } }, sizing = { aspect: 0.8, minHeight: 260, maxHeight: 460 }) {
  let grid = null;
  let levels = [];
  let segments = [];
  let paths = [];
  let shade = null;  // {key, canvas}
  const readout = element('p', 'lr-readout');
  readout.setAttribute('aria-hidden', 'true');  // pointer-only detail; the figure's summary speaks for it

  function background(u, ctx) {
    const low = cssColor(host, '--lr-contour-low', '#ffffff');
    const high = cssColor(host, '--lr-contour-high', '#dbe7f3');
    const key = low + high;
    if (!shade || shade.key !== key) {
      const { nx, ny, values } = grid;
      const min = grid.min;
      const top = grid.top - min;
      const canvas = new OffscreenCanvas(nx, ny);
      const c = canvas.getContext('2d');
      const image = c.createImageData(nx, ny);
      const a = parseColor(low), b = parseColor(high);
      const floor = Math.max(top * 1e-6, 1e-12);
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const h = values[j * nx + i] - min;
          const t = Number.isFinite(h) ? Math.min(1, Math.max(0, Math.log(Math.max(h, floor) / floor) / Math.log(Math.max(top, floor * 10) / floor))) : 1;
          const o = ((ny - 1 - j) * nx + i) * 4;  // image rows run top-down, y up
          for (let k = 0; k < 3; k++) image.data[o + k] = Math.round(a[k] + t * (b[k] - a[k]));
          image.data[o + 3] = 255;
        }
      }
      c.putImageData(image, 0, 0);
      shade = { key, canvas };
    }
    const x0 = u.valToPos(grid.x[0], 'x', true), x1 = u.valToPos(grid.x[grid.nx - 1], 'x', true);
    const y0 = u.valToPos(grid.y[grid.ny - 1], 'y', true), y1 = u.valToPos(grid.y[0], 'y', true);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shade.canvas, x0, y0, x1 - x0, y1 - y0);
  }

  function draw(u) {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    if (grid) {
      background(u, ctx);
      ctx.strokeStyle = cssColor(host, '--lr-contour', '#8a94a3');
      ctx.lineWidth = 1 * dpr;
      segments.forEach((seg, k) => {
        ctx.globalAlpha = 0.35 + 0.5 * (1 - k / Math.max(1, segments.length - 1));
        ctx.beginPath();
        for (let s = 0; s < seg.length; s += 4) {
          ctx.moveTo(u.valToPos(seg[s], 'x', true), u.valToPos(seg[s + 1], 'y', true));
          ctx.lineTo(u.valToPos(seg[s + 2], 'x', true), u.valToPos(seg[s + 3], 'y', true));
        }
        ctx.stroke();
      });
      ctx.globalAlpha = 1;
    }
    for (const m of markers) {
      const px = u.valToPos(m.x, 'x', true), py = u.valToPos(m.y, 'y', true);
      ctx.fillStyle = cssColor(host, '--lr-ink', '#222');
      ctx.font = `${16 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('★', px, py);
      if (m.label) {
        ctx.font = `${11 * dpr}px system-ui, sans-serif`;
        ctx.fillText(m.label, px, py + 14 * dpr);
      }
    }
    for (const path of paths) drawPath(u, ctx, path, dpr);
    ctx.restore();
  }

  const chart = createChart(box, {
    legend: { show: false },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: { x: { time: false, range: x }, y: { range: y } },
    axes: [axis(host, { label: labels.x }), axis(host, { label: labels.y, size: 50 })],
    series: [{}, { show: false }],
    hooks: {
      draw: [draw],
      setCursor: [(u) => {
        const { left, top } = u.cursor;
        if (!(left >= 0) || !grid) {
          readout.textContent = '\u00a0';
          return;
        }
        const px = u.posToVal(left, 'x'), py = u.posToVal(top, 'y');
        readout.textContent = `x₁ = ${formatNumber(px)}, x₂ = ${formatNumber(py)}, f ≈ ${formatNumber(sample(grid, px, py))}`;
      }],
    },
  }, [x, [null, null]], sizing);
  readout.textContent = '\u00a0';
  box.after(readout);

  const ready = engine.grid({ problem, grid: { x, y, nx: n, ny: n } }).then((g) => {
    // One sort serves the minimum, the contour levels and the shading's top.
    const finite = Array.from(g.values).filter(Number.isFinite).sort((a, b) => a - b);
    const min = finite.length ? finite[0] : Infinity;
    levels = chooseLevels(finite);
    grid = { ...g, min, top: finite[Math.floor(0.95 * (finite.length - 1))] };
    segments = levels.map((level) => contourSegments(g.x, g.y, g.values, level));
    chart.plot.redraw(false, false);
    return g;  // the core's result as it came (figures track it as computed)
  });
  // A figure that awaits `ready` sees its failure; one removed before it
  // could (its grid cancelled) leaves nothing unhandled.
  ready.catch(() => {});

  return {
    plot: chart.plot,
    ready,
    readout,
    get levels() { return levels; },
    setPaths(next) {
      paths = next;
      chart.plot.redraw(false, false);
    },
    redraw() {
      chart.plot.redraw(false, false);
    },
    destroy() {
      chart.destroy();
      readout.remove();
    },
  };
}
