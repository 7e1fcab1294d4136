// The article page's own behaviour (figures live in lrlab-figure.js):
//   - starts the opening figure (hero.js), live in the first screen;
//   - typesets the math: every element with class "tex" holds TeX source and
//     is rendered by KaTeX (served from this site, never a CDN); <div> and
//     <p> elements are set as display math. The built site (dist/) has it
//     typeset ahead of time, so KaTeX's code is fetched only when some
//     element still holds TeX (the development server);
//   - the theme toggle: follows the system unless the reader picks light or
//     dark, remembered in localStorage;
//   - marks the table of contents entry of the section being read;
//   - restores figure state from the address: ?<figure>.<attribute>=<value>
//     (the "Link to this state" every figure offers) sets that attribute on
//     the article's <lrlab-figure name="<figure>"> before it starts; the
//     figure validates it like any attribute (a bad value falls back to the
//     default with a note). Only the figure's own settings, a few dozen per
//     figure and a few thousand characters each (ui/attributes.js,
//     attributesFromAddress); what is refused gets a note in the figure.
import { FIGURES } from './figures/index.js';
import { startHero } from './hero.js';
import { getEngine } from './engine/engine.js';
import { attributesFromAddress, queueAddressNotes } from './ui/attributes.js';

function applyLinkState(search) {
  const wanted = new Map();  // figure id → [[attribute, value], …]
  for (const [key, value] of new URLSearchParams(search)) {
    const dot = key.indexOf('.');
    const id = key.slice(0, dot);
    // Parameters that name no figure of the article are someone else's.
    if (dot < 1 || !Object.hasOwn(FIGURES, id)) continue;
    if (!wanted.has(id)) wanted.set(id, []);
    wanted.get(id).push([key.slice(dot + 1), value]);
  }
  for (const [id, pairs] of wanted) {
    const figure = document.querySelector(`lrlab-figure[name="${id}"]`);
    if (!figure || figure.figure) continue;
    const { set, notes } = attributesFromAddress(pairs);
    for (const [name, value] of set) figure.setAttribute(name, value);
    queueAddressNotes(figure, notes);
  }
}
applyLinkState(location.search);

async function typeset(root = document) {
  const pending = root.querySelectorAll('.tex:not([data-typeset])');
  if (!pending.length) return;
  const { default: katex } = await import('../vendor/katex/katex.mjs');
  for (const el of pending) {
    const source = el.textContent;
    try {
      katex.render(source, el, { displayMode: el.tagName !== 'SPAN', throwOnError: false, output: 'htmlAndMathml' });
      el.dataset.typeset = '';
    } catch {
      // KaTeX could not parse it: leave the TeX source readable as it is.
    }
  }
}

const THEMES = ['auto', 'light', 'dark'];
const THEME_LABEL = { auto: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

function storedTheme() {
  try {
    const t = localStorage.getItem('lrlab-theme');
    return THEMES.includes(t) ? t : 'auto';
  } catch {
    return 'auto';  // storage blocked: follow the system
  }
}

function applyTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  const toggle = document.getElementById('theme-toggle');
  if (toggle) {
    toggle.textContent = THEME_LABEL[theme];
    toggle.dataset.theme = theme;
  }
}

function setUpThemeToggle() {
  const toggle = document.getElementById('theme-toggle');
  applyTheme(storedTheme());
  toggle?.addEventListener('click', () => {
    const next = THEMES[(THEMES.indexOf(toggle.dataset.theme ?? 'auto') + 1) % THEMES.length];
    try {
      localStorage.setItem('lrlab-theme', next);
    } catch {
      // not remembered across visits; still applied now
    }
    applyTheme(next);
  });
}

function setUpContents() {
  const links = new Map([...document.querySelectorAll('nav.toc a[href^="#"]')].map((a) => [a.getAttribute('href').slice(1), a]));
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      for (const a of links.values()) a.removeAttribute('aria-current');
      links.get(entry.target.id)?.setAttribute('aria-current', 'true');
    }
  }, { rootMargin: '-20% 0px -70% 0px' });
  for (const id of links.keys()) {
    const section = document.getElementById(id);
    if (section) observer.observe(section);
  }
}

// Figures grow when they start, which would push a deep-linked section
// (#schedules) out of view. For a few seconds after arriving at an anchor,
// keep it at the top while the layout settles, unless the reader scrolls.
function keepAnchorInView() {
  let id = location.hash.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch {
    // a malformed escape (#%%): look the raw text up instead
  }
  const target = id ? document.getElementById(id) : null;
  if (!target) return;
  let active = true;
  const stop = () => { active = false; observer.disconnect(); };
  const observer = new ResizeObserver(() => {
    if (active) target.scrollIntoView({ block: 'start', behavior: 'instant' });
  });
  observer.observe(document.querySelector('main'));
  for (const type of ['wheel', 'touchstart', 'keydown', 'mousedown']) addEventListener(type, stop, { once: true, passive: true });
  setTimeout(stop, 4000);
}

// Figure modules, the engine and the data set load when a figure scrolls near
// (lrlab-figure.js), so a reader who only opens the page fetches none of them.
// Once the first figure is live, the reader is reading: when the page is
// next idle, fetch the other figures' modules and the digits data set, so
// the article keeps working if the connection drops from then on.
function prefetchOnceReading() {
  const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 1500));
  // <html data-prefetched="done"> once every module graph and the data set
  // are in ("failed" if one was not): from then on the connection may drop.
  document.addEventListener('lrlab-drawn', () => idle(() => {
    const loads = Object.values(FIGURES).map((load) => load());
    loads.push(getEngine().prefetch('mlp'));
    Promise.allSettled(loads).then((results) => {
      document.documentElement.dataset.prefetched = results.every((r) => r.status === 'fulfilled') ? 'done' : 'failed';
    });
  }), { capture: true, once: true });
}

const hero = document.getElementById('hero');
if (hero) startHero(hero);
setUpThemeToggle();
typeset().catch(() => {});
prefetchOnceReading();
setUpContents();
keepAnchorInView();
addEventListener('hashchange', keepAnchorInView);
