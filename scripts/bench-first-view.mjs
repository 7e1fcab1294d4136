// The first view, measured on the built site (dist/) in headless Chromium:
// a cold cache, a 1280×800 window, loopback, gzip as a real host would send.
//
//   node scripts/bench-first-view.mjs [--runs N]   (also run by `npm run bench`)
//
// Reports, for the article opened and left alone (no scroll, no input):
//   - bytes on the wire (gzip, as Chromium counts them) and requests, by kind,
//     until the network has been quiet for 1 s;
//   - ms from navigation to the opening figure being live in the first
//     screen (its `lrlab-hero-drawn` event), to the first figure's first
//     drawn frame (its `lrlab-drawn` event), and to the first contentful paint.
// Medians over N cold loads (default 5), each in a fresh browser profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, listen } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.LRLAB_CHROMIUM ?? '/usr/bin/chromium';

function kindOf(url, type) {
  if (/\.wasm$/.test(url)) return 'wasm';
  if (/\.(woff2?|ttf)$/.test(url)) return 'fonts';
  if (/\/data\//.test(url)) return 'data';
  if (/\.css$/.test(url)) return 'css';
  if (/\.m?js$/.test(url)) return 'js';
  if (type === 'Document' || /\.html$/.test(url) || url.endsWith('/')) return 'html';
  return 'other';
}

// One cold load. Resolves with bytes and requests by kind and the times.
async function coldLoad(baseUrl, { scroll = false } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlab-first-view-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    // Playwright reports the page's and its Workers' requests; sizes() gives
    // the encoded (on the wire) body size.
    const requests = new Map();
    const pending = [];
    page.on('request', (req) => requests.set(req, { url: req.url(), type: req.resourceType(), bytes: 0, at: Date.now() }));
    page.on('requestfinished', (req) => pending.push(req.sizes().then((s) => {
      const r = requests.get(req);
      if (r) r.bytes = s.responseBodySize + s.responseHeadersSize;
    })));
    await page.addInitScript((toFirstFigure) => {
      // A reader who goes straight to the first figure, as soon as the page is there.
      if (toFirstFigure) document.addEventListener('DOMContentLoaded', () => document.querySelector('lrlab-figure')?.scrollIntoView());
      window.__lrlabFirstDrawn = new Promise((resolve) => {
        document.addEventListener('lrlab-drawn', () => resolve(performance.now()), { capture: true, once: true });
      });
      // The opening figure, in the first screen (src/hero.js).
      window.__lrlabHeroLive = new Promise((resolve) => {
        document.addEventListener('lrlab-hero-drawn', () => resolve(performance.now()), { capture: true, once: true });
      });
    }, scroll);
    await page.goto(new URL("index.html", baseUrl).href, { waitUntil: "load" });
    const drawn = await page.evaluate((wait) => Promise.race([
      window.__lrlabFirstDrawn,
      new Promise((resolve) => setTimeout(() => resolve(NaN), wait)),
    ]), scroll ? 20000 : 3000);
    const drawnAt = await page.evaluate((t) => performance.timeOrigin + t, drawn);
    const hero = await page.evaluate(() => Promise.race([window.__lrlabHeroLive, new Promise((resolve) => setTimeout(() => resolve(NaN), 3000))]));
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    // Quiet network for 1 s: everything the first view asks for has arrived.
    let last = requests.size;
    let quiet = 0;
    while (quiet < 1000) {
      await new Promise((r) => setTimeout(r, 100));
      if (requests.size !== last) {
        last = requests.size;
        quiet = 0;
      } else quiet += 100;
    }
    await Promise.all(pending);
    const byKind = {};
    let beforeDrawn = 0;
    for (const r of requests.values()) {
      if (!r.url.startsWith(baseUrl)) continue;
      if (r.at <= drawnAt) beforeDrawn += r.bytes;
      const k = kindOf(r.url, r.type);
      byKind[k] ??= { bytes: 0, requests: 0, files: [] };
      byKind[k].bytes += r.bytes;
      byKind[k].requests += 1;
      byKind[k].files.push(`${r.url.slice(baseUrl.length)} ${r.bytes}`);
    }
    return { byKind, drawn, fcp, beforeDrawn, hero };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

export async function firstView({ runs = 5 } = {}) {
  if (!fs.existsSync(path.join(ROOT, 'dist/index.html'))) throw new Error('dist/ is missing: run `node scripts/build-dist.mjs`');
  const server = createServer({ mounts: [['/', path.join(ROOT, 'dist')]], hashed: true });
  const baseUrl = await listen(server, 0);
  try {
    const loads = [];
    const reads = [];
    for (let i = 0; i < runs; i++) {
      loads.push(await coldLoad(baseUrl));
      reads.push(await coldLoad(baseUrl, { scroll: true }));
    }
    const total = (l) => Object.values(l.byKind).reduce((a, k) => a + k.bytes, 0);
    const count = (l) => Object.values(l.byKind).reduce((a, k) => a + k.requests, 0);
    return {
      runs,
      view: { byKind: loads.at(-1).byKind, bytes: median(loads.map(total)), requests: median(loads.map(count)), fcp: median(loads.map((l) => l.fcp)), drawn: median(loads.map((l) => l.drawn)), hero: median(loads.map((l) => l.hero)) },
      read: { beforeDrawn: median(reads.map((l) => l.beforeDrawn)), byKind: reads.at(-1).byKind, bytes: median(reads.map(total)), requests: median(reads.map(count)), fcp: median(reads.map((l) => l.fcp)), drawn: median(reads.map((l) => l.drawn)), hero: median(reads.map((l) => l.hero)) },
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

// The section `npm run bench` prints (Markdown).
export function firstViewTable(r) {
  const kinds = [...new Set([...Object.keys(r.view.byKind), ...Object.keys(r.read.byKind)])];
  const cell = (s, k) => (s.byKind[k] ? `${kb(s.byKind[k].bytes)} (${s.byKind[k].requests})` : '—');
  const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'none drawn');
  return [
    `First view of dist/ in headless Chromium, cold cache, 1280×800, loopback, gzip (medians of ${r.runs} loads each)`,
    '',
    '| | opened, left alone | straight to the first figure (and the idle prefetch after it) |',
    '|---|---:|---:|',
    ...kinds.map((k) => `| ${k} (gzip, requests) | ${cell(r.view, k)} | ${cell(r.read, k)} |`),
    `| **total** | **${kb(r.view.bytes)} in ${r.view.requests}** | **${kb(r.read.bytes)} in ${r.read.requests}** |`,
    `| of which asked for before the first figure was drawn | — | ${kb(r.read.beforeDrawn)} |`,
    `| first contentful paint | ${ms(r.view.fcp)} | ${ms(r.read.fcp)} |`,
    `| opening figure live, in the first screen (from navigation) | ${ms(r.view.hero)} | ${ms(r.read.hero)} |`,
    `| first figure drawn (from navigation) | ${ms(r.view.drawn)} | ${ms(r.read.drawn)} |`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  const result = await firstView({ runs: i > 0 ? Number(process.argv[i + 1]) : 5 });
  if (process.argv.includes('--files')) {
    for (const [label, s] of [['opened', result.view], ['read', result.read]]) {
      for (const [k, v] of Object.entries(s.byKind)) console.log(`${label} ${k}: ${v.files.join(', ')}`);
    }
  }
  console.log(firstViewTable(result));
}
