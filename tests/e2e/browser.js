// Shared set-up for the browser tests: the project's static server on a free
// loopback port and Debian's Chromium driven by playwright-core. Every page
// records console errors, page errors and failed or off-host requests so a
// test can assert there were none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createServer, listen } from '../../scripts/serve.mjs';

export const SCREENSHOT_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../build/screenshots');

const CHROMIUM = process.env.LRLAB_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function startBrowser() {
  const server = createServer();
  const baseUrl = await listen(server, 0);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    baseUrl,
    context,
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Opens a page that collects everything that went wrong while it was used.
// `init` (a function, with `initArg`) runs in the page before any of its
// scripts, as page.addInitScript does.
// `workers` sets the engine's pool size (globalThis.LRLAB_WORKERS, engine.js)
// before the page's scripts run; by default the page picks it.
export async function openPage(browser, urlPath, { width = 1280, height = 900, colorScheme = 'light', init, initArg, workers } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
  if (workers !== undefined) await page.addInitScript((n) => { globalThis.LRLAB_WORKERS = n; }, workers);
  if (init) await page.addInitScript(init, initArg);
  const problems = [];
  const origin = new URL(browser.baseUrl).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`off-host request: ${url}`);
  });
  const finished = [];  // every URL fetched, the Worker's included
  page.on('requestfinished', (req) => finished.push(req.url()));
  await page.goto(new URL(urlPath, browser.baseUrl).href);
  return { page, problems, finished };
}

// --- figures -------------------------------------------------------------------
// Figures render into shadow roots; these helpers reach inside.

// Every figure of the article (web/src/figures/index.js) and its main
// control: the slider a reader drags most, each input of which recomputes
// (the "removed while computing" test and the bench's input → frame times).
export const MAIN_CONTROLS = {
  'one-step': 'input[type=range]',
  'three-rates': 'input[data-run="good"]',
  'lr-sweep': 'input[name=steps]',
  'local-minima': 'input.lr-lm-lr',
  'noisy-gradients': 'input.lr-ng-lr',
  plateau: '[data-control="lr"] input',
  'edge-of-stability': '[data-control="lr"] input',
  schedules: '[data-control="lr"] input',
  'optimizer-race': 'input[data-opt="adam"][data-param="lr"]',
  'per-parameter': 'input.lr-pp-lr',
  robustness: 'input[name=steps]',
  lab: '[name="optimizer.lr"]',
};
export const FIGURE_NAMES = Object.keys(MAIN_CONTROLS);

// What web/embed.js copies from the query string onto the element: keys it
// accepts (lower case, digits, "-" and "_"; "figure", "theme" and "name" are its own)
// and values of at most 4000 characters.
const EMBED_KEY = /^[a-z][a-z0-9_-]{0,40}$/;
const EMBED_OWN = new Set(['figure', 'theme', 'name']);
const carried = (key, text) => EMBED_KEY.test(key) && !EMBED_OWN.has(key) && text.length <= 4000;

// The address of embed.html showing figure `name` with attributes `attrs`
// ({attribute: value}): `url`, the attributes it carries (`carried`) and
// those it cannot (`rest`).
export function embedUrl(name, attrs = {}) {
  const params = new URLSearchParams({ figure: name });
  const rest = {};
  const sent = {};
  for (const [key, value] of Object.entries(attrs)) {
    const text = String(value);
    if (carried(key, text)) {
      params.append(key, text);
      sent[key] = text;
    } else {
      rest[key] = text;
    }
  }
  return { url: `/embed.html?${params}`, carried: sent, rest };
}

// In the page, before its scripts: when embed.js adds the <lrlab-figure>,
// check that it got the attributes the address carried, give it those the
// address could not carry, and count its drawn frames in data-frames (for
// waitForFrame). All before the figure is built: it reads its attributes
// once it is on screen, a task later.
function watchFigure({ carried, rest }) {
  new MutationObserver((records, observer) => {
    for (const r of records) {
      for (const el of r.addedNodes) {
        if (el.localName !== 'lrlab-figure') continue;
        observer.disconnect();
        if (el.figure) throw new Error('the figure was built before the test could watch it');
        for (const [k, v] of Object.entries(carried)) {
          if (el.getAttribute(k) !== v) throw new Error(`embed.html gave the figure ${k}=${JSON.stringify(el.getAttribute(k))}, not ${JSON.stringify(v)}`);
        }
        for (const [k, v] of Object.entries(rest)) el.setAttribute(k, v);
        el.dataset.frames = '0';
        el.addEventListener('lrlab-drawn', () => { el.dataset.frames = String(Number(el.dataset.frames) + 1); });
        return;
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

// Opens one figure alone, built from `attrs`, on embed.html (the page an
// iframe embed shows: no article, no KaTeX typesetting, no other figures),
// and waits until it has drawn. The element is lrlab-figure[name="<name>"];
// its data-frames counts its "lrlab-drawn" events from the first.
export async function mountFigure(browser, name, attrs = {}, options = {}) {
  const { url, carried: sent, rest } = embedUrl(name, attrs);
  const opened = await openPage(browser, url, { ...options, init: watchFigure, initArg: { carried: sent, rest } });
  await figureReady(opened.page, `lrlab-figure[name="${name}"]`);
  return opened;
}

// Scrolls a figure into view (figures start only when visible) and waits
// until it has drawn its first results.
export async function figureReady(page, selector, timeout = 30000) {
  await page.$eval(selector, (el) => el.scrollIntoView());
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    const state = el?.shadowRoot?.querySelector('.lr-figure')?.dataset.state;
    // The figure's own error, or its code that could not load (<lrlab-figure data-state="error">).
    if (state === 'error' || el?.dataset.state === 'error') throw new Error(el.shadowRoot.textContent);
    // Figures above may still be growing as they start: keep this one in view.
    if (state !== 'ready' && el && !el.figure) {
      const r = el.getBoundingClientRect();
      if (r.bottom < 0 || r.top > innerHeight) el.scrollIntoView();
    }
    return state === 'ready';
  }, selector, { timeout, polling: 250 });
}

// Runs `fn(container)` in the page on the figure's shadow-root container.
export function inFigure(page, selector, fn, arg) {
  return page.$eval(selector, (el, [source, a]) => {
    // eslint-disable-next-line no-new-func
    const f = new Function(`return (${source})`)();
    return f(el.shadowRoot.querySelector('.lr-figure'), a);
  }, [fn.toString(), arg]);
}

// What a figure shows, as its tests compare it: its data-* attributes, the
// status sentence, the notes and the number of canvases; `more(c)` (run in
// the page on the .lr-figure element) adds figure-specific fields.
export async function figureState(page, selector, more = () => ({})) {
  const base = await inFigure(page, selector, (c) => ({
    ...c.dataset,
    status: c.querySelector('.lr-status').textContent,
    notes: [...c.querySelectorAll('.lr-note')].map((n) => n.textContent),
    canvases: c.querySelectorAll('canvas').length,
  }));
  return { ...base, ...(await inFigure(page, selector, more)) };
}

// A fingerprint of everything the figure drew: its canvases' pixels and its
// status text. Two different states give different fingerprints.
export function figureFingerprint(page, selector) {
  return page.$eval(selector, (el) => {
    const c = el.shadowRoot.querySelector('.lr-figure');
    const canvases = [...c.querySelectorAll('canvas')].map((cv) => cv.toDataURL());
    let h = 0;
    for (const s of canvases) for (let i = 0; i < s.length; i += 7) h = (h * 31 + s.charCodeAt(i)) | 0;
    return { hash: h, canvases: canvases.length, status: c.querySelector('.lr-status')?.textContent ?? '' };
  });
}

// Sets a control inside the figure and fires the event a reader's action
// would: `input` for range inputs, `change` for selects and checkboxes. Then
// waits until the figure reports a new drawn frame (the element must count
// its frames: mountFigure does, countFrames does on any page).
export async function setControl(page, selector, controlSelector, value) {
  await page.$eval(selector, (el, [cs, v]) => {
    const input = el.shadowRoot.querySelector(cs);
    if (!input) throw new Error(`no control ${cs}`);
    if (el.dataset.frames === undefined) throw new Error('this figure does not count its frames (countFrames)');
    el.dataset.waitFrom = el.dataset.frames;
    if (input.type === 'checkbox') {
      input.checked = Boolean(v);
      input.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (input.tagName === 'SELECT') {
      input.value = String(v);
      input.dispatchEvent(new Event('change', { bubbles: true }));
    } else {
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, [controlSelector, value]);
  await waitForFrame(page, selector);
}

// Waits for a "lrlab-drawn" after the last setControl/markFrame.
export async function waitForFrame(page, selector, timeout = 30000) {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return Number(el.dataset.frames ?? 0) > Number(el.dataset.waitFrom ?? 0);
  }, selector, { timeout });
}

// Counts drawn frames on the host element (data-frames), for waitForFrame.
export async function countFrames(page, selector) {
  await page.$eval(selector, (el) => {
    if (el.dataset.frames) return;
    el.dataset.frames = '0';
    el.addEventListener('lrlab-drawn', () => { el.dataset.frames = String(Number(el.dataset.frames) + 1); });
  });
}

// Saves a screenshot of one figure under build/screenshots. The figure's box
// is cut from the whole page, where it is: no scrolling (an element
// screenshot scrolls a tall figure into view, retrying for a second or two).
export async function shootFigure(page, selector, file) {
  const clip = await page.$eval(selector, (el) => {
    // The article's sticky header would be stitched over tall figures.
    if (!document.getElementById('lrlab-test-static-masthead')) {
      const style = document.createElement('style');
      style.id = 'lrlab-test-static-masthead';
      style.textContent = '.masthead { position: static !important; }';
      document.head.append(style);
    }
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage: true, clip });
}
