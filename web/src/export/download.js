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

// Copies `text` to the clipboard; where the Clipboard API is missing or
// refused (insecure page, no permission), selects `fallback` (an input,
// textarea or any element) so the reader can press Ctrl/⌘+C. Resolves to
// true when the text was copied.
export async function copyText(text, fallback) {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to selecting the text
  }
  if (fallback) {
    if (typeof fallback.select === 'function') {
      fallback.focus();
      fallback.select();
    } else {
      const range = document.createRange();
      range.selectNodeContents(fallback);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }
  return false;
}

// One PNG of everything drawn in `root`: every visible <canvas> at its place
// on screen, the text of `labels` (elements, e.g. panel titles) at theirs,
// and `header` lines ([{text, color}]) above. Resolves to a Blob.
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
  const headerHeight = header.length ? header.length * lineHeight + pad : 0;
  const width = Math.ceil(box.width + 2 * pad);
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
  header.forEach((line, i) => {
    ctx.fillStyle = line.color ?? ink;
    ctx.fillText(line.text, pad, pad + i * lineHeight, width - 2 * pad);
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
