// The numbers behind a chart, for readers who cannot see it or want them:
// a collapsible table (thinned to at most MAX_ROWS rows) and a CSV download
// of every row.
import { element } from './dom.js';
import { formatNumber } from '../model/format.js';

const MAX_ROWS = 60;

function csvCell(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(columns, rows) {
  return [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

export function createDataPanel({ summary = 'Show the numbers', filename = 'lrlab-data.csv' } = {}) {
  const details = element('details', 'lr-data');
  details.append(element('summary', '', summary));
  const note = element('p', 'lr-data-note');
  const scroller = element('div', 'lr-data-scroll');
  scroller.tabIndex = 0;  // scrollable regions must be reachable by keyboard
  const table = element('table');
  scroller.append(table);
  const link = element('a', 'lr-download', 'Download all rows as CSV');
  link.download = filename;
  details.append(note, scroller, link);
  let url = null;
  let pending = null;

  function render() {
    if (!pending) return;
    const { columns, rows, caption } = pending;
    pending = null;
    table.replaceChildren();
    if (caption) table.append(element('caption', '', caption));
    const head = element('tr');
    for (const c of columns) {
      const th = element('th', '', c);
      th.scope = 'col';
      head.append(th);
    }
    table.append(element('thead'), element('tbody'));
    table.tHead.append(head);
    const every = Math.max(1, Math.ceil(rows.length / MAX_ROWS));
    for (let i = 0; i < rows.length; i += every) {
      const tr = element('tr');
      for (const v of rows[i]) tr.append(element('td', '', typeof v === 'number' ? formatNumber(v, 4) : String(v ?? '—')));
      table.tBodies[0].append(tr);
    }
    note.textContent = every > 1 ? `Every ${every}th of ${rows.length} rows; the CSV has them all.` : `${rows.length} rows.`;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv' }));
    link.href = url;
  }
  // Building a table is wasted work while it is closed: do it on opening.
  details.addEventListener('toggle', () => { if (details.open) render(); });

  return {
    element: details,
    // columns: header strings; rows: arrays of numbers/strings.
    update(columns, rows, caption) {
      pending = { columns, rows, caption };
      if (details.open) render();
    },
    dispose() {
      if (url) URL.revokeObjectURL(url);
    },
  };
}
