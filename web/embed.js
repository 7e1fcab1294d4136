// embed.html?figure=<id>[&theme=light|dark|auto][&controls=none][&<attribute>=<value>…]
// One figure, alone, for an <iframe>. Every other query parameter becomes an
// attribute of the <lrlab-figure> (the figure validates it and falls back
// with a note). The page posts its height to its parent window:
//   {type: 'lrlab:height', height, figure}
// whenever it changes, and answers {type: 'lrlab:request-height'} from the
// parent; every other message is ignored. embed-resize.js on the host page
// listens for these and sizes the iframe.
import './src/lrlab-figure.js';
import { FIGURES } from './src/figures/index.js';

const params = new URLSearchParams(location.search);
const main = document.getElementById('embed');
main.style.maxWidth = 'none';
main.style.margin = '0';
main.style.padding = '4px 8px';
document.body.style.background = 'transparent';

const theme = params.get('theme');
if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;

const id = params.get('figure') ?? '';
const RESERVED = new Set(['figure', 'theme', 'controls', 'name']);

function message(text) {
  const p = document.createElement('p');
  p.className = 'lrlab-embed-error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  main.append(p);
}

if (!Object.hasOwn(FIGURES, id)) {
  message(id
    ? `Unknown figure "${id}". Known figures: ${Object.keys(FIGURES).join(', ')}.`
    : `No figure chosen: add ?figure=<id> to the address. Known figures: ${Object.keys(FIGURES).join(', ')}.`);
} else {
  document.title = `lrlab · ${id}`;
  const el = document.createElement('lrlab-figure');
  el.setAttribute('name', id);
  const controls = params.get('controls');
  if (controls !== null) el.setAttribute('controls', controls);
  for (const [key, value] of params) {
    if (RESERVED.has(key) || !/^[a-z][a-z0-9_-]{0,40}$/.test(key)) continue;
    el.setAttribute(key, value.slice(0, 4000));
  }
  main.append(el);
}

// --- height to the parent ----------------------------------------------------
const inFrame = window.parent !== window;
let lastHeight = -1;
function postHeight(force = false) {
  if (!inFrame) return;
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
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
    if (!data || typeof data !== 'object' || data.type !== 'lrlab:request-height') return;
    postHeight(true);
  });
}
