// embed.html?figure=<id>[&theme=light|dark|auto][&controls=none][&<attribute>=<value>…]
// One figure, alone, for an <iframe>. Every other query parameter becomes an
// attribute of the <lrlab-figure> (the figure validates it and falls back
// with a note) — only the figure's own settings, a few dozen at most, each of
// a few thousand characters at most (src/ui/attributes.js,
// attributesFromAddress); what is refused gets a note in the figure. The
// page posts its height (at most MAX_HEIGHT) to its parent window:
//   {type: 'lrlab:height', height, figure}
// whenever it changes, and answers exactly {type: 'lrlab:request-height'}
// from its parent window; every other message is ignored. embed-resize.js on
// the host page listens for these and sizes the iframe.
import './src/lrlab-figure.js';
import { FIGURES } from './src/figures/index.js';
import { attributesFromAddress, queueAddressNotes } from './src/ui/attributes.js';
import { clipText } from './src/model/format.js';

const MAX_HEIGHT = 50000;  // what embed-resize.js accepts

const params = new URLSearchParams(location.search);
const main = document.getElementById('embed');
main.style.maxWidth = 'none';
main.style.margin = '0';
main.style.padding = '4px 8px';
document.body.style.background = 'transparent';

const theme = params.get('theme');
if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;

const id = params.get('figure') ?? '';
// embed.html's own parameters (name is the figure's id: figure=).
const RESERVED = new Set(['figure', 'theme', 'name']);

function message(text) {
  const p = document.createElement('p');
  p.className = 'lrlab-embed-error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  main.append(p);
}

if (!Object.hasOwn(FIGURES, id)) {
  message(id
    ? `Unknown figure "${clipText(id)}". Known figures: ${Object.keys(FIGURES).join(', ')}.`
    : `No figure chosen: add ?figure=<id> to the address. Known figures: ${Object.keys(FIGURES).join(', ')}.`);
} else {
  document.title = `lrlab · ${id}`;
  const el = document.createElement('lrlab-figure');
  el.setAttribute('name', id);
  const { set, notes } = attributesFromAddress([...params].filter(([key]) => !RESERVED.has(key)));
  for (const [name, value] of set) el.setAttribute(name, value);
  queueAddressNotes(el, notes);
  main.append(el);
}

// --- height to the parent ----------------------------------------------------
const inFrame = window.parent !== window;
let lastHeight = -1;
function postHeight(force = false) {
  if (!inFrame) return;
  const height = Math.min(MAX_HEIGHT, Math.ceil(document.documentElement.getBoundingClientRect().height));
  if (height === lastHeight && !force) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'lrlab:height', height, figure: id }, '*');
}
if (inFrame) {
  new ResizeObserver(() => postHeight()).observe(document.documentElement);
  addEventListener('load', () => postHeight(true));
  addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || Object.getPrototypeOf(data) !== Object.prototype) return;
    if (data.type !== 'lrlab:request-height' || Object.keys(data).length !== 1) return;
    postHeight(true);
  });
}
