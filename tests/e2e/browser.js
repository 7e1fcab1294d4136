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
export async function openPage(browser, urlPath, { width = 1280, height = 900, colorScheme = 'light' } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
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

// Opens the article, then replaces its content with one figure built from
// `attrs`, so a figure's test does not depend on the article around it.
export async function mountFigure(browser, name, attrs = {}, options = {}) {
  const opened = await openPage(browser, '/', options);
  await opened.page.evaluate(({ name, attrs }) => {
    const el = document.createElement('lrlab-figure');
    el.setAttribute('name', name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    el.dataset.frames = '0';
    el.addEventListener('lrlab-drawn', () => { el.dataset.frames = String(Number(el.dataset.frames) + 1); });
    document.querySelector('main').replaceChildren(el);
  }, { name, attrs });
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
    if (state === 'error') throw new Error(el.shadowRoot.textContent);
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
// waits until the figure reports a new drawn frame, and returns the time from
// the event to that frame (total) and the figure's own compute/draw split
// (data-compute-ms/data-draw-ms, for the figures that report it).
export async function setControl(page, selector, controlSelector, value) {
  await page.$eval(selector, (el, [cs, v]) => {
    const input = el.shadowRoot.querySelector(cs);
    if (!input) throw new Error(`no control ${cs}`);
    const before = el.dataset.frames ?? '0';
    el.dataset.waitFrom = before;
    const start = performance.now();
    el.addEventListener('lrlab-drawn', (e) => { el.dataset.latency = String(e.detail.time - start); }, { once: true });
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
  return page.$eval(selector, (el) => {
    const c = el.shadowRoot.querySelector('.lr-figure');
    return { total: Number(el.dataset.latency), compute: Number(c.dataset.computeMs), draw: Number(c.dataset.drawMs) };
  });
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

// Saves a screenshot of one figure under build/screenshots.
export async function shootFigure(page, selector, file) {
  // The article's sticky header would be stitched over tall figures.
  await page.addStyleTag({ content: '.masthead { position: static !important; }' });
  const handle = await page.$(selector);
  await handle.screenshot({ path: path.join(SCREENSHOT_DIR, file) });
}
