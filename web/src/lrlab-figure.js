// <lrlab-figure name="one-step" lr="0.3"> — the one element behind every
// figure, in the article and in other people's pages. It renders into a
// shadow root (host styles stay out, ours stay in), starts computing only
// when scrolled into view, pauses off-screen, and frees its WASM handles
// when removed. Initial state comes from attributes; see each figure module.
import { FIGURES } from './figures/index.js';
import { getEngine } from './engine/engine.js';
import { takeAddressNotes } from './ui/attributes.js';
import { clipText } from './model/format.js';

// KaTeX's stylesheet is linked into every figure up front (not when a figure
// first typesets): then it is fetched once, while the page loads, and a
// figure that starts after the connection dropped still finds it.
const STYLE_URLS = [
  new URL('./figure.css', import.meta.url),
  new URL('../vendor/uplot/uPlot.min.css', import.meta.url),
];

// Live figures, told when the page's theme changes (a toggle sets
// <html data-theme>, or the system preference flips) so they redraw with the
// new colours.
const live = new Set();
function redrawAll() {
  for (const el of live) el.figure?.redraw?.();
}
new MutationObserver(redrawAll).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);

class LrlabFigure extends HTMLElement {
  // What the figure last computed, by key: [{key, op, config, result}]. Tests
  // re-run these configs through the native CLI and compare.
  get computations() {
    return this.figure?.computationList() ?? [];
  }

  connectedCallback() {
    if (this.shadowRoot) {
      this.observe();
      return;
    }
    const root = this.attachShadow({ mode: 'open' });
    for (const url of STYLE_URLS) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = url.href;
      root.append(link);
    }
    this.container = document.createElement('div');
    this.container.className = 'lr-figure';
    this.container.setAttribute('role', 'group');
    // Own ids only: name="constructor" or "__proto__" is no figure.
    const name = this.getAttribute('name') ?? '';
    const loader = Object.hasOwn(FIGURES, name) ? FIGURES[name] : null;
    if (!loader) {
      this.container.innerHTML = '';
      const p = document.createElement('p');
      p.className = 'lr-error';
      p.textContent = `Unknown figure "${clipText(name)}". Known figures: ${Object.keys(FIGURES).join(', ')}.`;
      this.container.append(p);
      root.append(this.container);
      return;
    }
    this.loader = loader;
    root.append(this.container);
    this.observe();
  }

  observe() {
    if (!this.loader || this.observer) return;
    this.observer = new IntersectionObserver((entries) => {
      const visible = entries.some((e) => e.isIntersecting);
      this.visible = visible;
      if (visible) this.show();
      else this.figure?.pause();
    }, { rootMargin: '200px 0px' });
    this.observer.observe(this);
  }

  async show() {
    if (this.figure) {
      this.figure.resume();
      return;
    }
    if (this.loading) return;
    this.loading = true;
    try {
      let Figure;
      try {
        ({ default: Figure } = await this.loader());
      } catch (err) {
        // Its code did not load (most often: the connection dropped before it
        // was fetched): try again when it is next in view, or at once when the
        // connection returns while it is.
        this.showError(err, ' (you are offline: it starts when the connection returns)');
        addEventListener('online', () => { if (this.visible && this.isConnected) this.show(); }, { once: true });
        return;
      }
      if (!this.isConnected) return;
      this.errorLine?.remove();
      this.errorLine = null;
      this.figure = new Figure(this.container, this, getEngine());
      this.figure.finishSetup();
      // What the page's address tried to set and could not (article.js, embed.js).
      for (const note of takeAddressNotes(this)) this.figure.addNote(note);
      live.add(this);
      this.setAttribute('data-state', 'live');
    } catch (err) {
      this.showError(err);
    } finally {
      this.loading = false;
    }
  }

  // "This figure could not start: …", in place of an earlier such line;
  // `offlineHint` is added when the browser says it is offline.
  showError(err, offlineHint = '') {
    this.errorLine?.remove();
    const p = document.createElement('p');
    p.className = 'lr-error';
    const offline = globalThis.navigator?.onLine === false;
    p.textContent = `This figure could not start: ${err.message}${offline ? offlineHint : ''}`;
    this.errorLine = p;
    this.container.append(p);
    this.setAttribute('data-state', 'error');
  }

  disconnectedCallback() {
    live.delete(this);
    this.observer?.disconnect();
    this.observer = null;
    this.figure?.dispose();
    this.figure = null;
  }
}

if (!customElements.get('lrlab-figure')) customElements.define('lrlab-figure', LrlabFigure);
