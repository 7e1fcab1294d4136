// What a figure exports besides its CSV: the JSON of its plotted series with
// the configs behind them, the share link and embed snippets for its state,
// and the PyTorch script for the runs it shows. Pure functions of plain data
// (no DOM), shared by every figure through the Figure base class.
import { pytorchCode } from './pytorch.js';

// --- URLs and snippets -------------------------------------------------------
// `state`: [[attribute, string value], …] — the figure's non-default settings.

// The article at this figure, with its state: index.html?<id>.<attr>=<v>…#fig-<id>.
export function articleLink(root, id, state) {
  const url = new URL('index.html', root);
  for (const [k, v] of state) url.searchParams.append(`${id}.${k}`, v);
  url.hash = `fig-${id}`;
  return url.href;
}

// embed.html?figure=<id>&<attr>=<v>… (the iframe's page).
export function embedLink(root, id, state) {
  const url = new URL('embed.html', root);
  url.searchParams.set('figure', id);
  for (const [k, v] of state) url.searchParams.append(k, v);
  return url.href;
}

function escapeAttribute(text) {
  return String(text).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

// No inline style: a host page with a strict style-src would refuse it.
// width/height are attributes; embed-resize.js sets the real height and, for
// class="lrlab-embed", removes the border. allow="clipboard-write" lets the
// copy buttons inside the frame work (without it they select the text).
export function iframeSnippet(root, id, state, { title, height = 600 } = {}) {
  const src = escapeAttribute(embedLink(root, id, state));
  return [
    `<iframe class="lrlab-embed" src="${src}" title="${escapeAttribute(title ?? `lrlab figure: ${id}`)}" loading="lazy" width="100%" height="${Math.round(height)}" allow="clipboard-write"></iframe>`,
    `<script src="${escapeAttribute(new URL('embed-resize.js', root).href)}" async></script>`,
  ].join('\n');
}

export function elementSnippet(root, id, state) {
  const attrs = state.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
  return [
    `<script type="module" src="${escapeAttribute(new URL('lrlab.js', root).href)}"></script>`,
    `<lrlab-figure name="${escapeAttribute(id)}"${attrs}></lrlab-figure>`,
  ].join('\n');
}

// --- JSON ------------------------------------------------------------------------
// Typed arrays become lists; non-finite numbers become null (JSON has none).
export function plainData(value) {
  if (ArrayBuffer.isView(value)) return Array.from(value, (x) => (Number.isFinite(x) ? x : null));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(plainData);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainData(v)]));
  return value;
}

// {figure, state, link, table: {caption, columns, rows}, computations: [{key, op, config}]}
export function figureJson({ id, state, link, table, computations }) {
  return {
    figure: id,
    state: Object.fromEntries(state),
    link,
    table: table ? { caption: table.caption ?? null, columns: table.columns, rows: plainData(table.rows) } : null,
    computations: computations.map(({ key, op, config }) => ({ key, op, config })),
  };
}

// --- PyTorch ----------------------------------------------------------------------
// A run's start x₀ as the core reported it (params[0..dim) of a 1-D or 2-D
// problem whose path was recorded), else null.
export function runStart(result) {
  const dim = result?.dim;
  const params = result?.params;
  return dim && dim <= 2 && params?.length >= dim ? Array.from(params.slice(0, dim)) : null;
}

// The runs behind a figure's computations, as engine configs:
//   op "run"   → that run (its x₀ as the core reported it, for the 2-D paths);
//   op "sweep" → the run at the swept η with the lowest final loss, with a
//                note naming the swept range.
// Grids and range tests draw no training run and are left out.
export function runsToExport(computations) {
  const out = [];
  for (const { key, op, config, result } of computations) {
    if (op === 'run') {
      // What a run records is lrlab's business, except the sharpness, which
      // the script computes too.
      const { record, ...cfg } = config;
      if (record?.sharpness) cfg.record = { sharpness: record.sharpness };
      out.push({ label: key, config: cfg, start: runStart(result), note: null });
    } else if (op === 'sweep' && result?.lr?.length) {
      const finals = result.final_loss ?? result.best_loss ?? [];
      let best = -1;
      result.lr.forEach((lr, i) => {
        const v = finals[i];
        if (result.diverged_at?.[i] == null && Number.isFinite(v) && (best < 0 || v < finals[best])) best = i;
      });
      const { sweep, record, ...cfg } = config;
      const lrs = Array.from(result.lr);
      const note = `lrlab swept η over ${lrs.length} values from ${lrs[0]} to ${lrs[lrs.length - 1]}` +
        (best >= 0 ? `; this is the run at the η with the lowest final loss (${finals[best]}).` : '; every one diverged, this is the first.');
      out.push({ label: key, config: { ...cfg, optimizer: { ...cfg.optimizer, lr: lrs[Math.max(best, 0)] } }, start: null, note });
    }
  }
  return out;
}

// One Python file: every run's script in turn, each self-contained.
export function pytorchScript(id, runs) {
  if (!runs.length) return `# The figure "${id}" shows no training run to export yet.\n`;
  const parts = runs.map((run, k) => {
    const head = [`# ===== run ${k + 1} of ${runs.length}: ${run.label} =====`];
    if (run.note) head.push(`# ${run.note}`);
    return `${head.join('\n')}\n${pytorchCode(run.config, { start: run.start })}`;
  });
  return [`# PyTorch 1.13 versions of the runs in lrlab's "${id}" figure. Each part`, '# below is a whole script; run the file to train them one after another.', '', ...parts].join('\n');
}
