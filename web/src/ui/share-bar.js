// The "Share and export" panel under every figure, as a widget: the link and
// embed codes with copy buttons, and a row of download buttons. What they
// hold and save is given by the figure's share controller
// (figures/share.js); the panel only shows and copies.
//
//   createShareBar({
//     links: () => ({link, iframe, element}),          read when opened and on update()
//     downloads: [{label, className, save: async () => 'note'}],
//     caveat: () => 'what the link leaves out' | null,  optional; read with links
//   })
import { copyText } from './clipboard.js';
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

export function createShareBar({ links, downloads, caveat = () => null }) {
  const details = element('details', 'lr-share');
  details.append(element('summary', '', 'Share and export'));
  const note = element('p', 'lr-hint lr-share-note');
  note.setAttribute('aria-live', 'polite');
  const link = field('Link to this state', 'lr-share-link', false);
  const iframe = field('Embed in a page (iframe)', 'lr-share-iframe', true);
  const custom = field('…or as an element (one script for all figures)', 'lr-share-element', true);
  const say = (text) => { note.textContent = text; };
  const leftOut = element('p', 'lr-hint lr-share-caveat');
  leftOut.hidden = true;

  async function copy(what, input) {
    refresh();
    const copied = await copyText(input.value, input);
    say(copied ? `${what} copied.` : `${what} selected: press Ctrl+C (⌘C) to copy.`);
  }
  const copyRow = element('div', 'lr-share-row');
  copyRow.append(
    button('Copy link', () => copy('Link', link.input), 'lr-copy-link'),
    button('Copy iframe code', () => copy('Iframe code', iframe.input), 'lr-copy-iframe'),
    button('Copy element code', () => copy('Element code', custom.input), 'lr-copy-element'),
  );
  const downloadRow = element('div', 'lr-share-row');
  downloadRow.append(element('span', 'lr-share-label', 'Download'));
  for (const { label, className, save } of downloads) {
    downloadRow.append(button(label, async () => {
      try {
        say(await save());
      } catch (err) {
        say(`No ${label}: ${err.message}`);
      }
    }, className));
  }
  details.append(leftOut, copyRow, link.root, iframe.root, custom.root, downloadRow, note);

  function refresh() {
    const codes = links();
    link.input.value = codes.link;
    iframe.input.value = codes.iframe;
    custom.input.value = codes.element;
    const text = caveat();
    leftOut.textContent = text ?? '';
    leftOut.hidden = !text;
  }
  details.addEventListener('toggle', () => { if (details.open) refresh(); });
  return {
    element: details,
    // Called after every drawn frame; cheap when closed.
    update() { if (details.open) refresh(); },
  };
}
