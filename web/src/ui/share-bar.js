// "Share and export", under every figure: a link to the article showing this
// figure in its current state, the embed code (iframe and element), and
// downloads of what it shows — CSV and JSON of the plotted series, a PNG, and
// the runs as a PyTorch script. Built on first opening, refreshed while open
// whenever the figure draws.
//
// `source` is the figure (Figure base class): it provides
//   shareLinks() → {link, iframe, element}, exportTable(), exportJson(),
//   exportPng() → Promise<Blob>, exportPytorch() → text, and `id`.
import { copyText, downloadBlob, downloadText } from '../export/download.js';
import { toCsv } from './data-table.js';
import { button, element } from './dom.js';

function field(label, className, multiline) {
  const root = element('label', 'lr-share-field');
  const input = element(multiline ? 'textarea' : 'input', className);
  if (multiline) input.rows = 4;
  else input.type = 'text';
  input.readOnly = true;
  input.spellcheck = false;
  root.append(element('span', 'lr-share-label', label), input);
  return { root, input };
}

export function createShareBar(source) {
  const details = element('details', 'lr-share');
  details.append(element('summary', '', 'Share and export'));
  const note = element('p', 'lr-hint lr-share-note');
  note.setAttribute('aria-live', 'polite');
  const link = field('Link to this state', 'lr-share-link', false);
  const iframe = field('Embed in a page (iframe)', 'lr-share-iframe', true);
  const custom = field('…or as an element (one script for all figures)', 'lr-share-element', true);
  const say = (text) => { note.textContent = text; };

  async function copy(what, input) {
    refresh();
    const copied = await copyText(input.value, input);
    say(copied ? `${what} copied.` : `${what} selected: press Ctrl+C (⌘C) to copy.`);
  }
  const name = (ext) => `lrlab-${source.id}.${ext}`;
  function save(ext, make, type) {
    try {
      const content = make();
      if (content === null) return say('Nothing is drawn yet.');
      downloadText(name(ext), content, type);
      say(`${name(ext)} saved.`);
    } catch (err) {
      say(`No ${ext.toUpperCase()}: ${err.message}`);
    }
  }
  const copyRow = element('div', 'lr-share-row');
  copyRow.append(
    button('Copy link', () => copy('Link', link.input), 'lr-copy-link'),
    button('Copy iframe code', () => copy('Iframe code', iframe.input), 'lr-copy-iframe'),
    button('Copy element code', () => copy('Element code', custom.input), 'lr-copy-element'),
  );
  const downloadRow = element('div', 'lr-share-row');
  downloadRow.append(
    element('span', 'lr-share-label', 'Download'),
    button('CSV', () => save('csv', () => {
      const t = source.exportTable();
      return t ? toCsv(t.columns, t.rows) : null;
    }, 'text/csv'), 'lr-export-csv'),
    button('JSON', () => save('json', () => JSON.stringify(source.exportJson(), null, 1), 'application/json'), 'lr-export-json'),
    button('PNG', async () => {
      try {
        downloadBlob(name('png'), await source.exportPng());
        say(`${name('png')} saved.`);
      } catch (err) {
        say(`No PNG: ${err.message}`);
      }
    }, 'lr-export-png'),
    button('PyTorch', () => save('py', () => source.exportPytorch(), 'text/x-python'), 'lr-export-py'),
  );
  details.append(copyRow, link.root, iframe.root, custom.root, downloadRow, note);

  function refresh() {
    const { link: href, iframe: frameCode, element: elementCode } = source.shareLinks();
    link.input.value = href;
    iframe.input.value = frameCode;
    custom.input.value = elementCode;
  }
  details.addEventListener('toggle', () => { if (details.open) refresh(); });
  return {
    element: details,
    // Called after every drawn frame; cheap when closed.
    update() { if (details.open) refresh(); },
  };
}
