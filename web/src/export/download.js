// Saving what a figure shows: text or a Blob as a file, and a PNG of a
// figure's canvases composed into one image (the charts are canvases; their
// titles and a legend line are drawn in as text).
//
//   downloadText('runs.csv', csv, 'text/csv');
//   downloadBlob('lab.png', await figurePng(container, {background, ink, header}));

// Saves `blob` under `filename` through a temporary <a download>.
export function downloadBlob(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the next task; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(filename, text, type = 'text/plain') {
  downloadBlob(filename, new Blob([text], { type: `${type};charset=utf-8` }));
}

// One PNG of everything drawn in `root`: every visible <canvas> at its place
// on screen, the text of `labels` (elements, e.g. panel titles) at theirs,
// and `header` lines above: [{text, color}] or [{parts: [{text, color}]}]
// (a legend). Resolves to a Blob.
export async function figurePng(root, { background = '#ffffff', ink = '#1d1f23', header = [], labels = [], font = '13px system-ui, sans-serif' } = {}) {
  const dpr = Math.max(1, Math.min(3, devicePixelRatio || 1));
  const box = root.getBoundingClientRect();
  const canvases = [...root.querySelectorAll('canvas')].filter((c) => c.offsetParent !== null && c.width > 0 && c.height > 0);
  let top = Infinity, bottom = -Infinity;
  const items = [...canvases, ...labels].map((el) => {
    const r = el.getBoundingClientRect();
    top = Math.min(top, r.top);
    bottom = Math.max(bottom, r.bottom);
    return { el, r };
  });
  if (!items.length) throw new Error('nothing is drawn yet');
  const lineHeight = 18;
  const pad = 10;
  const width = Math.ceil(box.width + 2 * pad);
  // Header lines wrap at word boundaries to the image's width; a line of
  // parts [{text, color}] (a legend) wraps between parts.
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = font;
  const lines = [];
  for (const line of header) {
    const parts = line.parts ?? line.text.split(/(?<= )/).map((text) => ({ text, color: line.color }));
    let current = [];
    let used = 0;
    for (const part of parts) {
      const w = measure.measureText(part.text).width;
      if (current.length && used + w > width - 2 * pad) {
        lines.push(current);
        current = [];
        used = 0;
      }
      current.push({ ...part, x: used });
      used += w;
    }
    if (current.length) lines.push(current);
  }
  const headerHeight = lines.length ? lines.length * lineHeight + pad : 0;
  const height = Math.ceil(bottom - top + headerHeight + 2 * pad);
  const out = document.createElement('canvas');
  out.width = Math.round(width * dpr);
  out.height = Math.round(height * dpr);
  const ctx = out.getContext('2d');
  ctx.scale(dpr, dpr);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = font;
  ctx.textBaseline = 'top';
  lines.forEach((line, i) => {
    for (const part of line) {
      ctx.fillStyle = part.color ?? ink;
      ctx.fillText(part.text, pad + part.x, pad + i * lineHeight);
    }
  });
  const dy = pad + headerHeight - top;
  for (const { el, r } of items) {
    if (el instanceof HTMLCanvasElement) {
      ctx.drawImage(el, r.left - box.left + pad, r.top + dy, r.width, r.height);
    } else {
      ctx.fillStyle = ink;
      ctx.fillText(el.textContent, r.left - box.left + pad, r.top + dy, r.width);
    }
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the image could not be encoded'))), 'image/png'));
}
