// Publishing and embedding: builds dist/, serves it on one loopback origin
// (with CORS, as the README asks of a static host) and a plain "blog" on
// another origin with a strict Content-Security-Policy, then embeds figures
// both ways — <iframe src=".../embed.html?figure=…"> + embed-resize.js, and
// <script type="module" src=".../lrlab.js"> + <lrlab-figure>. Also serves
// dist/ under a sub-path (/blog/lrlab/) and opens the article there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, listen } from '../../scripts/serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.LRLAB_CHROMIUM ?? '/usr/bin/chromium';

// The policies documented in README "Publishing and embedding" (D = the
// origin serving dist/).
export function elementPolicy(D) {
  return [
    "default-src 'none'",
    `script-src ${D} 'wasm-unsafe-eval'`,
    `worker-src ${D} blob:`,
    `connect-src ${D}`,
    `style-src 'self' ${D}`,
    `font-src ${D}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
export function iframePolicy(D) {
  return [
    "default-src 'none'",
    `script-src ${D}`,
    `frame-src ${D}`,
    "style-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

// Host page styles that would break a figure if they leaked in.
const HOSTILE_CSS = `
  * { font-family: monospace; }
  button { color: rgb(255, 0, 0) !important; background: yellow !important; }
  canvas { display: none !important; }
  .lr-status { display: none !important; }
  iframe { width: 100%; border: 0; height: 150px; }
`;

let dist;          // dist/ origin, e.g. http://127.0.0.1:40001
let host;          // the blog's origin
let distServer;
let hostServer;
let context;
let userDataDir;

function blogPage(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/blog.css"></head><body><h1>${title}</h1>
<p>Some prose before the figure.</p>
<div class="lr-controls" id="probe-controls">host element with a figure class name</div>
<p class="lr-status" id="probe-status">host paragraph</p>
${body}
<p>Some prose after the figure.</p></body></html>`;
}

// Pages a test adds at run time (the embed code a figure offers): path → [html, policy].
const extraPages = {};

function startHost() {
  const pages = {
    '/element.html': [blogPage('Element embed', `
<lrlab-figure name="one-step" lr="0.5"></lrlab-figure>
<lrlab-figure name="schedules"></lrlab-figure>
<script type="module" src="${dist}/lrlab.js"></script>`), elementPolicy(dist)],
    '/iframe.html': [blogPage('Iframe embed', `
<iframe id="f1" title="one step" src="${dist}/embed.html?figure=one-step&lr=0.5&controls=none"></iframe>
<iframe id="f2" title="schedules" src="${dist}/embed.html?figure=schedules&theme=dark"></iframe>
<script src="${dist}/embed-resize.js"></script>`), iframePolicy(dist)],
  };
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/blog.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' }).end(HOSTILE_CSS);
      return;
    }
    const page = pages[url.pathname] ?? extraPages[url.pathname];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': page[1] }).end(page[0]);
  });
}

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-dist.mjs')], { cwd: ROOT, stdio: 'inherit' });
  distServer = createServer({ mounts: [['/blog/lrlab/', 'dist'], ['/', 'dist']], cors: true });
  dist = (await listen(distServer, 0)).replace(/\/$/, '');
  hostServer = startHost();
  host = (await listen(hostServer, 0)).replace(/\/$/, '');
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlab-embed-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1000, height: 900 },
  });
  // Records CSP violations in every document (host and frames).
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

after(async () => {
  await context?.close();
  await new Promise((r) => (distServer ? distServer.close(r) : r()));
  await new Promise((r) => (hostServer ? hostServer.close(r) : r()));
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

async function open(url) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('request', (req) => requests.push(req.url()));
  page.on('worker', (worker) => worker.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`worker console error: ${msg.text()}`);
  }));
  await page.goto(url);
  return { page, problems, requests };
}

function offHost(requests, allowed) {
  return requests.filter((u) => !allowed.some((o) => u.startsWith(`${o}/`)) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

// Waits until the figure `sel` inside `frame` (a Page or Frame) is ready.
async function ready(frame, sel) {
  await frame.$eval(sel, (el) => el.scrollIntoView());
  await frame.waitForFunction((s) => {
    const state = document.querySelector(s)?.shadowRoot?.querySelector('.lr-figure')?.dataset.state;
    if (state === 'error') throw new Error(document.querySelector(s).shadowRoot.textContent);
    return state === 'ready';
  }, sel, { timeout: 45000 });
}

function fingerprint(frame, sel) {
  return frame.$eval(sel, (el) => {
    const c = el.shadowRoot.querySelector('.lr-figure');
    let h = 0;
    for (const cv of c.querySelectorAll('canvas')) {
      const s = cv.toDataURL();
      for (let i = 0; i < s.length; i += 7) h = (h * 31 + s.charCodeAt(i)) | 0;
    }
    return `${h} ${c.querySelector('.lr-status')?.textContent ?? ''}`;
  });
}

// Moves the figure's first slider to another value and waits for a change.
async function respond(frame, sel) {
  const before = await fingerprint(frame, sel);
  await frame.$eval(sel, (el) => {
    const input = el.shadowRoot.querySelector('input[type=range]');
    if (!input) throw new Error('no slider');
    const lo = Number(input.min || 0);
    const hi = Number(input.max || 100);
    input.value = String(Number(input.value) > (lo + hi) / 2 ? lo + (hi - lo) * 0.2 : lo + (hi - lo) * 0.8);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (await fingerprint(frame, sel) !== before) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('dist/ layout', () => {
  test('stable public names at the root, relative URLs only', () => {
    for (const f of ['index.html', 'embed.html', 'lrlab.js', 'embed-resize.js']) assert.ok(fs.existsSync(path.join(ROOT, 'dist', f)), f);
    for (const f of ['index.html', 'embed.html']) {
      const html = fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8');
      const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('#'));
      for (const u of urls) assert.ok(!/^(\/|https?:)/.test(u), `${f}: ${u} is not relative`);
    }
    // The article's math is typeset at build time: no TeX source left to flash.
    const article = fs.readFileSync(path.join(ROOT, 'dist/index.html'), 'utf8');
    assert.equal((article.match(/class="tex">/g) ?? []).length, 0, 'every formula prerendered');
    assert.ok((article.match(/class="tex" data-typeset><span class="katex/g) ?? []).length > 30);
    const assets = fs.readdirSync(path.join(ROOT, 'dist/assets'));
    assert.ok(assets.some((f) => f.endsWith('.wasm')));
    assert.ok(fs.existsSync(path.join(ROOT, 'dist/assets/data/digits.bin')));
  });
});

let fontInside = null;
describe('script + element on another origin, strict CSP', () => {
  test('two figures render, respond, share one pool of Workers, styles isolated', async () => {
    const { page, problems, requests } = await open(`${host}/element.html`);
    try {
      await ready(page, 'lrlab-figure[name="one-step"]');
      await ready(page, 'lrlab-figure[name="schedules"]');
      assert.ok(await respond(page, 'lrlab-figure[name="one-step"]'), 'one-step responds to its slider');
      assert.ok(await respond(page, 'lrlab-figure[name="schedules"]'), 'schedules responds to its slider');
      // One pool for the page: at most a Worker per core (engine.js), never
      // one per figure beyond that.
      const cores = await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency || 1));
      const workers = page.workers().length;
      assert.ok(workers >= 1 && workers <= cores, `${workers} Workers for ${cores} cores`);
      // Host styles stay out.
      const inside = await page.$eval('lrlab-figure[name="one-step"]', (el) => {
        const root = el.shadowRoot;
        const b = root.querySelector('button');
        const cv = root.querySelector('canvas');
        return {
          button: b ? getComputedStyle(b).color : null,
          canvas: cv ? getComputedStyle(cv).display : null,
          status: getComputedStyle(root.querySelector('.lr-status')).display,
          font: getComputedStyle(root.querySelector('.lr-status')).fontFamily,
          hostFont: getComputedStyle(el).fontFamily,
        };
      });
      if (inside.button) assert.notEqual(inside.button, 'rgb(255, 0, 0)', 'host button colour leaked in');
      assert.notEqual(inside.canvas, 'none', 'host canvas rule leaked in');
      assert.notEqual(inside.status, 'none', 'host .lr-status rule leaked in');
      fontInside = inside.font;
      // Figure styles stay in.
      const probe = await page.$eval('#probe-controls', (el) => getComputedStyle(el).display);
      assert.equal(probe, 'block', 'figure .lr-controls rule leaked out');
      const csp = await page.evaluate(() => window.__csp);
      assert.deepEqual(csp, [], 'CSP violations');
      assert.deepEqual(offHost(requests, [host, dist]), [], 'requests to other hosts');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
  // The host's `* { font-family: monospace }` matches <lrlab-figure> itself
  // and beats :host { font }; the figure sets its font on .lr-figure too.
  test('host font rules do not reach the figure text', () => {
    assert.ok(fontInside && !/monospace/.test(fontInside), `figure text font: ${fontInside}`);
  });
});

describe('the newest figure and the lab\'s own data on another origin, strict CSP', () => {
  test('edge-of-stability renders and responds; the lab trains on a picked CSV file', async () => {
    extraPages['/newest.html'] = [blogPage('Element embed, newest', `
<lrlab-figure name="edge-of-stability" steps="100"></lrlab-figure>
<lrlab-figure name="lab" config='${JSON.stringify({ problem: { name: 'logistic_regression', data: 'local' }, optimizer: { name: 'sgd', lr: 0.5 }, steps: 50, batch_size: 16 })}'></lrlab-figure>
<script type="module" src="${dist}/lrlab.js"></script>`), elementPolicy(dist)];
    const { page, problems, requests } = await open(`${host}/newest.html`);
    try {
      const eos = 'lrlab-figure[name="edge-of-stability"]';
      await ready(page, eos);
      assert.match(await page.$eval(eos, (el) => el.shadowRoot.querySelector('.lr-status').textContent), /sharpness/);
      assert.ok(await respond(page, eos), 'edge-of-stability responds to its η slider');
      const lab = 'lrlab-figure[name="lab"]';
      await ready(page, lab);
      const rows = ['a,b,label', ...Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'yes' : 'no'}`)];
      await page.locator(`${lab} input[name="data.file"]`).setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
      await page.waitForFunction((sel) => /mine\.csv: 60 rows/.test(document.querySelector(sel).shadowRoot.querySelector('.lab-data-status')?.textContent ?? ''), lab, { timeout: 20000 });
      await page.waitForFunction((sel) => document.querySelector(sel).computations.some((c) => c.key === 'run:0'), lab, { timeout: 20000 });
      assert.match(await page.$eval(lab, (el) => el.shadowRoot.querySelector('.lr-status').textContent), /your data: logistic regression/);
      assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations');
      assert.deepEqual(offHost(requests, [host, dist]), [], 'requests to other hosts (the file stays in the page)');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('iframe on another origin, strict CSP', () => {
  test('two iframes render, resize to their content, respond; controls=none, theme=dark', async () => {
    const { page, problems, requests } = await open(`${host}/iframe.html`);
    try {
      const frames = {};
      for (const id of ['f1', 'f2']) {
        const handle = await page.$(`#${id}`);
        frames[id] = await handle.contentFrame();
        await frames[id].waitForSelector('lrlab-figure');
        await ready(frames[id], 'lrlab-figure');
      }
      // controls=none hid the first figure's controls; lr=0.5 reached it.
      const hidden = await frames.f1.$eval('lrlab-figure', (el) => [getComputedStyle(el.shadowRoot.querySelector('.lr-controls')).display, el.getAttribute('lr')]);
      assert.deepEqual(hidden, ['none', '0.5']);
      assert.equal(await frames.f2.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.ok(await respond(frames.f2, 'lrlab-figure'), 'schedules (iframe) responds to its slider');
      // Heights follow the content.
      for (const id of ['f1', 'f2']) {
        await page.waitForFunction(async (fid) => {
          const f = document.getElementById(fid);
          return f.getBoundingClientRect().height > 200;
        }, id, { timeout: 15000 });
        const docHeight = await frames[id].evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        await page.waitForFunction(([fid, h]) => Math.abs(document.getElementById(fid).getBoundingClientRect().height - h) <= 2, [id, docHeight], { timeout: 10000 })
          .catch(async (err) => {
            const got = await page.$eval(`#${id}`, (f) => f.getBoundingClientRect().height);
            throw new Error(`${id}: iframe ${got}px, document ${docHeight}px (${err.message})`);
          });
      }
      // Messages of the wrong shape, or from the wrong window, change nothing.
      const h0 = await page.$eval('#f1', (f) => f.style.height);
      await page.evaluate(() => {
        window.postMessage({ type: 'lrlab:height', height: 5 }, '*');
        window.postMessage('lrlab:height', '*');
      });
      await frames.f1.evaluate(() => {
        parent.postMessage({ type: 'lrlab:height', height: 'huge' }, '*');
        parent.postMessage({ type: 'lrlab:height', height: 1e9 }, '*');
        window.postMessage({ type: 'lrlab:request-height', junk: true }, '*');
      });
      await page.waitForTimeout(300);
      assert.equal(await page.$eval('#f1', (f) => f.style.height), h0);
      for (const id of ['f1', 'f2']) assert.deepEqual(await frames[id].evaluate(() => window.__csp), [], `CSP violations in ${id}`);
      assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations on the host');
      assert.deepEqual(offHost(requests, [host, dist]), [], 'requests to other hosts');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('unknown figure: a clear message', async () => {
    const { page, problems } = await open(`${dist}/embed.html?figure=no-such-figure`);
    try {
      const text = await page.textContent('main');
      assert.match(text, /Unknown figure "no-such-figure"/);
      assert.match(text, /schedules/);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('sub-path', () => {
  test('dist/index.html works under /blog/lrlab/', async () => {
    const { page, problems, requests } = await open(`${dist}/blog/lrlab/`);
    try {
      await ready(page, 'lrlab-figure[name="one-step"]');
      assert.ok(await page.$eval('.katex', () => true), 'KaTeX rendered');
      assert.deepEqual(requests.filter((u) => u.startsWith(dist) && !u.startsWith(`${dist}/blog/lrlab/`)), [], 'requests outside the sub-path');
      assert.deepEqual(offHost(requests, [dist]), []);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('the embed code a figure offers, on another origin under the strict CSP', () => {
  test('copied from the article: the iframe and element snippets show the same state; exports download', async () => {
    // The article on the dist origin, with state from a share link.
    const article = await open(`${dist}/blog/lrlab/index.html?three-rates.lr-good=0.05&three-rates.steps=60#fig-three-rates`);
    const sel = 'lrlab-figure[name="three-rates"]';
    let snippets;
    let configs;
    try {
      await ready(article.page, sel);
      snippets = await article.page.$eval(sel, (el) => el.figure.share.codes());
      configs = await article.page.$eval(sel, (el) => el.computations.filter((c) => c.op === 'run').map((c) => c.config));
      assert.deepEqual(article.problems, []);
    } finally {
      await article.page.close();
    }
    // Settings come in the order the figure reads them.
    assert.equal(snippets.link, `${dist}/blog/lrlab/index.html?three-rates.steps=60&three-rates.lr-good=0.05#fig-three-rates`);
    assert.match(snippets.iframe, new RegExp(`^<iframe class="lrlab-embed" src="${dist}/blog/lrlab/embed\\.html\\?figure=three-rates&amp;steps=60&amp;lr-good=0\\.05" `));
    assert.match(snippets.iframe, new RegExp(`<script src="${dist}/blog/lrlab/embed-resize\\.js" async></script>$`));
    assert.equal(snippets.element, `<script type="module" src="${dist}/blog/lrlab/lrlab.js"></script>\n<lrlab-figure name="three-rates" steps="60" lr-good="0.05"></lrlab-figure>`);
    assert.ok(configs.some((c) => c.optimizer.lr === 0.05 && c.steps === 60));

    extraPages['/snippet-element.html'] = [blogPage('Pasted element', snippets.element), elementPolicy(dist)];
    extraPages['/snippet-iframe.html'] = [blogPage('Pasted iframe', snippets.iframe), iframePolicy(dist)];

    // The element snippet: same configs; CSV, JSON, PNG and PyTorch download
    // under the host's policy.
    const element = await open(`${host}/snippet-element.html`);
    try {
      await ready(element.page, sel);
      const again = await element.page.$eval(sel, (el) => el.computations.filter((c) => c.op === 'run').map((c) => c.config));
      assert.deepEqual(again, configs);
      await element.page.$eval(sel, (el) => { el.shadowRoot.querySelector('.lr-share').open = true; });
      const files = {};
      for (const kind of ['csv', 'json', 'png', 'py']) {
        const [d] = await Promise.all([
          element.page.waitForEvent('download'),
          element.page.$eval(sel, (el, k) => el.shadowRoot.querySelector(`.lr-export-${k}`).click(), kind),
        ]);
        files[kind] = { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
      }
      assert.equal(files.csv.name, 'lrlab-three-rates.csv');
      assert.ok(files.csv.bytes.toString().split('\n').length > 60);
      assert.equal(JSON.parse(files.json.bytes.toString()).state.steps, '60');
      assert.deepEqual([...files.png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.match(files.py.bytes.toString(), /torch\.optim\.SGD\(\[x\], lr=0\.05/);
      assert.deepEqual(await element.page.evaluate(() => window.__csp), [], 'CSP violations');
      assert.deepEqual(element.problems, []);
    } finally {
      await element.page.close();
    }

    // The iframe snippet: renders the same state and is resized by the helper.
    const framed = await open(`${host}/snippet-iframe.html`);
    try {
      const frame = await (await framed.page.$('iframe')).contentFrame();
      await ready(frame, sel);
      const again = await frame.$eval(sel, (el) => el.computations.filter((c) => c.op === 'run').map((c) => c.config));
      assert.deepEqual(again, configs);
      // The snippet's starting height is a guess; the helper sets the real one.
      const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      await framed.page.waitForFunction((h) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 2, inner, { timeout: 20000 });
      assert.equal(await framed.page.$eval('iframe', (f) => getComputedStyle(f).borderTopWidth), '0px');
      assert.deepEqual(await framed.page.evaluate(() => window.__csp), [], 'CSP violations');
      assert.deepEqual(framed.problems, []);
    } finally {
      await framed.page.close();
    }
  });
});
