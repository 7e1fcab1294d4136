// The page under attack (Chromium). Hostile values in every place a reader's
// browser takes input from: the article's address (?<figure>.<attribute>=…),
// embed.html's query, attributes of <lrlab-figure> (the lab's config
// included) and postMessage. Every figure must still draw its defaults and
// say what it ignored, in short notes; no script of the attacker runs
// (window.__pwned stays undefined), and there is no console error, page
// error, failed request or request to another host.
//
// Pages are batched: one article with every attribute of every figure
// hostile at once, one host page with every figure in an iframe of
// embed.html, one page of labs, one host page for messages. The servers: the
// project's static server (web/ as `npm start` serves it, on origin S, with
// room for very long addresses), and a host server on two more origins (H,
// the page that embeds, and T, a third frame that is neither the parent nor
// the lrlab iframe).
// The same attacks without a browser, case by case: tests/js/hostile-input.test.js.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createServer, listen } from '../../scripts/serve.mjs';

const CHROMIUM = process.env.LRLAB_CHROMIUM ?? '/usr/bin/chromium';

// Every figure's attributes, in the order it reads them (checked against
// the figure: a new setting must be added here, and so attacked too).
const ATTRIBUTES = {
  'one-step': ['curvature', 'x0', 'steps', 'lr', 't'],
  'three-rates': ['lambda-max', 'steps', 'lr-small', 'lr-good', 'lr-large'],
  'lr-sweep': ['problem', 'optimizer', 'steps', 'lr'],
  'local-minima': ['lr', 'lr2', 'x0', 'noise', 'seed', 'steps'],
  'noisy-gradients': ['lr', 'batch', 'steps', 'seed', 'reference'],
  plateau: ['lr', 'factor', 'patience', 'cooldown', 'threshold', 'eval_every', 'steps', 'inspect'],
  'edge-of-stability': ['problem', 'lr', 'raise', 'lr2', 'optimizer', 'steps'],
  schedules: [
    'schedule', 'lr', 'steps', 'warmup_steps', 'warmup_start_factor', 'eta_min', 'factor', 'total_iters', 'step_size',
    'gamma', 'milestones', 't_max', 't_0', 't_mult', 'max_lr', 'pct_start', 'div_factor', 'final_div_factor',
    'anneal_strategy', 'base_lr', 'step_size_up', 'mode', 'power', 'log-lr',
  ],
  'optimizer-race': ['surface', 'steps', 'optimizers', 'options'],
  'per-parameter': ['optimizer', 'lr-sgd', 'lr-adagrad', 'lr-rmsprop', 'lr-adam', 'steps', 't', 'dim', 'rare-prob', 'batch', 'seed'],
  robustness: ['problem', 'steps', 'threshold', 'optimizers'],
  lab: ['config'],
};
const FIGURES = Object.keys(ATTRIBUTES);
// Options of the schedules the figure does not show at first are settings
// (links carry them once the reader switches) but are not read: no note.
const UNREAD = { schedules: new Set(ATTRIBUTES.schedules.slice(6).filter((n) => n !== 'log-lr')) };
// Every figure's share state with every setting at its default: only
// settings whose default depends on another one are written.
const DEFAULT_STATE = { 'lr-sweep': [['lr', '0.05']], 'optimizer-race': [['steps', '400']], robustness: [['threshold', '0.0001']] };

const HUGE = 'x'.repeat(100000);
const PWN = 'window.__pwned=1';
// Values no attribute can use. Empty and white space mean "not given" (the
// default, no note).
const VALUES = [
  `<img src=x onerror=${PWN}>`, 'javascript:alert(1)', '1e309', '-1e309', 'NaN', 'Infinity', '0x10', '1e-400',
  HUGE, '', '   ', `"><script>${PWN}</script>`, '__proto__', 'constructor', `{"__proto__": {"polluted": 1}}`, '-0x1,1e999',
];
const blank = (v) => v.trim() === '';
// HTML attributes a link must never set on a figure, with what they would do.
const INJECTED = [
  ['onfocus', PWN], ['onmouseover', PWN], ['onclick', PWN], ['onanimationstart', PWN], ['autofocus', ''], ['tabindex', '0'],
  ['style', 'position:fixed;inset:0;z-index:99999;background:red'], ['hidden', ''], ['class', 'x'], ['id', 'x'],
  ['data-state', 'ready'], ['aria-hidden', 'true'], ['inert', ''],
];
const CONTROLS = `<img src=x onerror=${PWN}>,__proto__,constructor,${'y'.repeat(1000)}`;

// The value attribute `k` of figure `i` gets on a page (`turn` rotates them).
const valueFor = (i, k, turn) => VALUES[(i * 7 + k + turn) % VALUES.length];

let site;        // S: web/ (the static server of scripts/serve.mjs)
let host;        // H: host pages
let third;       // T: the third frame
const servers = [];
let context;
let userDataDir;
const pages = {};  // path → html, served by H and T

function hostServer() {
  return http.createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
    if (!page) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  });
}

async function serve(server) {
  servers.push(server);
  return (await listen(server, 0)).replace(/\/$/, '');
}

before(async () => {
  // The project's server, with room for addresses of a few megabytes (Node's
  // default is 16 KB of headers; the page must cope with what Chromium sends).
  const [handler] = createServer().listeners('request');
  site = await serve(http.createServer({ maxHeaderSize: 8 * 1024 * 1024 }, handler));
  host = await serve(hostServer());
  third = await serve(hostServer());
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlab-hostile-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  for (const s of servers) await new Promise((r) => s.close(r));
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

// Opens `url`, recording everything that went wrong in any of its frames.
async function open(url, { width = 1280, height = 900 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const problems = [];
  const allowed = [site, host, third];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text().slice(0, 300)}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message.slice(0, 300)}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url().slice(0, 200)} (${req.failure()?.errorText})`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url().slice(0, 200)}`); });
  page.on('request', (req) => {
    const u = req.url();
    if (!allowed.some((o) => u.startsWith(`${o}/`)) && !/^(data|blob|about):/.test(u)) problems.push(`off-host request: ${u.slice(0, 200)}`);
  });
  page.on('worker', (worker) => worker.on('console', (msg) => { if (msg.type() === 'error') problems.push(`worker console error: ${msg.text().slice(0, 300)}`); }));
  await page.goto(url);
  return { page, problems };
}

// Waits until the figure `sel` in `frame` has drawn (scrolling it into view:
// figures start when visible).
async function ready(frame, sel, timeout = 45000) {
  await frame.waitForSelector(sel, { state: 'attached' });
  await frame.$eval(sel, (el) => el.scrollIntoView());
  await frame.waitForFunction((s) => {
    const el = document.querySelector(s);
    const state = el?.shadowRoot?.querySelector('.lr-figure')?.dataset.state;
    if (state === 'error' || el?.dataset.state === 'error') throw new Error(`${s}: ${el.shadowRoot.textContent.slice(0, 500)}`);
    if (state !== 'ready' && el && !el.figure) el.scrollIntoView();
    return state === 'ready';
  }, sel, { timeout, polling: 100 });
}

// What a figure shows and holds after the attack, read in its frame.
function inspect(frame, sel) {
  return frame.$eval(sel, (el) => {
    const root = el.shadowRoot;
    // Whatever a reader might do to the element: handlers set by an
    // attribute would run now.
    el.focus?.();
    for (const type of ['focus', 'mouseover', 'click', 'pointerdown', 'keydown', 'animationstart']) el.dispatchEvent(new Event(type));
    const handlers = [el, ...root.querySelectorAll('*')].flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith('on')).map((n) => `${e.localName}[${n}]`));
    return {
      state: root.querySelector('.lr-figure').dataset.state,
      notes: [...root.querySelectorAll('.lr-note')].map((n) => n.textContent),
      current: el.figure.share.current(),
      settings: [...el.figure.share.settings.keys()],
      attributes: el.getAttributeNames(),
      hostState: el.getAttribute('data-state'),
      hidden: el.hidden,
      inert: el.inert,
      style: el.getAttribute('style'),
      handlers,
      images: root.querySelectorAll('img, script, iframe').length,
      box: (() => { const r = el.getBoundingClientRect(); return { width: r.width, docWidth: document.documentElement.scrollWidth, view: innerWidth }; })(),
    };
  });
}

// What is wrong with an attacked figure (nothing: []). `attacked`:
// [[attribute, value]] set on it through the address.
function faultsOf(name, seen, attacked) {
  const faults = [];
  const check = (ok, text) => { if (!ok) faults.push(`${name}: ${text}`); };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  check(seen.state === 'ready', `did not draw (${seen.state})`);
  check(same(seen.settings, ATTRIBUTES[name]), `its settings are ${seen.settings.join(', ')} (add new ones to ATTRIBUTES)`);
  check(same(seen.current, DEFAULT_STATE[name] ?? []), `not at its defaults: ${JSON.stringify(seen.current).slice(0, 200)}`);
  check(seen.handlers.length === 0, `event handler attributes: ${seen.handlers.join(', ')}`);
  check(seen.images === 0, 'markup from a value');
  check(seen.style === null, `style from the address: ${seen.style}`);
  check(!seen.hidden && !seen.inert, 'hidden or inert from the address');
  check(seen.hostState === 'live', `data-state="${seen.hostState}"`);
  for (const n of ['id', 'class', 'tabindex', 'autofocus', 'aria-hidden']) check(!seen.attributes.includes(n), `${n} was set`);
  check(seen.box.docWidth <= seen.box.view, `the page scrolls sideways (${seen.box.docWidth} > ${seen.box.view})`);
  for (const note of seen.notes) check(note.length <= 300, `a ${note.length}-character note: ${note.slice(0, 80)}…`);
  check(seen.notes.length <= 70, `${seen.notes.length} notes`);
  for (const [attr, value] of attacked) {
    if (blank(value) || UNREAD[name]?.has(attr)) continue;
    const said = seen.notes.some((n) => n.startsWith(`${attr}=`) || n.startsWith(`${attr}:`) || n.includes(`"${attr}"`) || (attr === 'config' && /config attribute/.test(n)));
    check(said, `no note about ${attr}=${JSON.stringify(value.slice(0, 40))}`);
  }
  return faults;
}

// The attack on one figure: every attribute hostile, the HTML attributes,
// controls with hostile names. [[attribute, value]].
function attack(name, turn) {
  const i = FIGURES.indexOf(name);
  const own = ATTRIBUTES[name].map((a, k) => [a, valueFor(i, k, turn)]);
  return [...own, ...INJECTED, ['controls', CONTROLS]];
}

describe('the article\'s address', () => {
  test('every attribute of every figure hostile at once, injected HTML attributes, thousands of parameters: defaults, notes, nothing runs', async () => {
    const params = new URLSearchParams();
    const attacked = {};
    for (const name of FIGURES) {
      attacked[name] = attack(name, 0);
      if (name === 'lab') attacked[name][0] = ['config', '['.repeat(100000)];
      // Names of Object's own properties where the race looks optimizers up.
      if (name === 'optimizer-race') attacked[name][3] = ['options', 'constructor.x:1,constructor.lr:0.1,toString.lr:0.1,adam.__proto__:1,adam.lr:0x10'];
      for (const [a, v] of attacked[name]) params.append(`${name}.${a}`, v);
    }
    params.append('one-step.name', 'lab');
    for (const key of ['nope.lr', '__proto__.lr', 'constructor.lr', `<img src=x onerror=${PWN}>.lr`, 'one-step', '.lr', 'one-step.']) params.append(key, '1');
    for (let i = 0; i < 3000; i++) {
      params.append(`one-step.p${i}`, '1');
      params.append(`nope${i}.lr`, '1');
      params.append(`junk${i}`, '1');
    }
    const url = `${site}/index.html?${params}`;
    assert.ok(url.length > 5e5 && url.length < 2e6, `an address of ${url.length} characters`);
    // Tall enough for every figure to be in view, so that all start at once.
    const { page, problems } = await open(url, { height: 16000 });
    try {
      for (const name of FIGURES) await ready(page, `lrlab-figure[name="${name}"]`);
      const faults = [];
      for (const name of FIGURES) {
        faults.push(...faultsOf(name, await inspect(page, `lrlab-figure[name="${name}"]`), attacked[name]));
      }
      assert.deepEqual(faults, [], `${faults.length} faults:\n${faults.join("\n")}`);
      // The thousands of parameters for one figure: at most a few dozen read, and said.
      const notes = await page.$eval('lrlab-figure[name="one-step"]', (el) => [...el.shadowRoot.querySelectorAll('.lr-note')].map((n) => n.textContent));
      assert.ok(notes.some((n) => /only the first \d+ were read/.test(n)), notes.join(' | ').slice(0, 400));
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script from the address ran');
      assert.deepEqual(await page.evaluate(() => [({}).polluted, Object.lr, Object.prototype.toString.lr].filter((v) => v !== undefined)), [], 'Object untouched');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('embed.html\'s query', () => {
  test('every figure in an iframe with every attribute hostile; unknown and marked-up figure names; thousands of parameters', async () => {
    const frames = [];
    for (const name of FIGURES) {
      const attacked = attack(name, 5);
      if (name === 'lab') attacked[0] = ['config', Buffer.from('{"__proto__": {"polluted": 1}, "problem": {"name": "constructor"}}').toString('base64url')];
      const params = new URLSearchParams({ figure: name });
      for (const [a, v] of attacked) params.append(a, v);
      params.append('name', 'lab');
      params.append('theme', `<img src=x onerror=${PWN}>`);
      for (const key of ['LR', '<b>x</b>', '__proto__', 'a'.repeat(60)]) params.append(key, '1');
      if (name === 'three-rates') for (let i = 0; i < 3000; i++) params.append(`p${i}`, '1');
      frames.push({ name, attacked, src: `${site}/embed.html?${params}` });
    }
    const unknown = [`<img src=x onerror=parent.${PWN}>`, '__proto__', 'constructor', 'toString', 'z'.repeat(100000), ''];
    const others = unknown.map((id, k) => ({ id, src: `${site}/embed.html?${new URLSearchParams({ figure: id })}`, k }));
    pages['/frames.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>frames</title><link rel="icon" href="data:,">
<style>body { margin: 0; display: grid; grid-template-columns: repeat(4, 390px); gap: 4px; } iframe { width: 390px; height: 290px; border: 0; }</style></head><body>
${frames.map((f) => `<iframe title="${f.name}" name="${f.name}" src="${f.src.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"></iframe>`).join('\n')}
${others.map((f) => `<iframe title="unknown ${f.k}" name="unknown-${f.k}" src="${f.src.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"></iframe>`).join('\n')}
</body></html>`;
    const { page, problems } = await open(`${host}/frames.html`, { width: 1600, height: 1600 });
    try {
      const frameOf = async (title) => (await page.$(`iframe[title="${title}"]`)).contentFrame();
      for (const f of frames) await ready(await frameOf(f.name), 'lrlab-figure');
      const faults = [];
      for (const f of frames) {
        const frame = await frameOf(f.name);
        const seen = await inspect(frame, 'lrlab-figure');
        faults.push(...faultsOf(f.name, seen, f.attacked));
        const ran = await frame.evaluate(() => [window.__pwned, ({}).polluted, document.documentElement.dataset.theme]).then(JSON.stringify);
        if (ran !== '[null,null,null]') faults.push(`${f.name}: something ran or the theme changed: ${ran}`);
        const names = await frame.$$eval('lrlab-figure', (els) => els.map((e) => e.getAttribute('name')).join());
        if (names !== f.name) faults.push(`${f.name}: the page shows ${names}`);
        // Parameters that are not attribute names: said, not set.
        if (!seen.notes.some((n) => n.includes('"LR"'))) faults.push(`${f.name}: no note for LR`);
        if (f.name === 'three-rates' && !seen.notes.some((n) => /only the first \d+ were read/.test(n))) faults.push(`${f.name}: no note for the thousands of parameters`);
      }
      assert.deepEqual(faults, [], `${faults.length} faults:\n${faults.join("\n")}`);
      for (const f of others) {
        const frame = await frameOf(`unknown ${f.k}`);
        await frame.waitForSelector('.lrlab-embed-error');
        const shown = await frame.evaluate(() => ({
          text: document.querySelector('main').textContent,
          markup: document.querySelectorAll('main *:not(p)').length,
          figures: document.querySelectorAll('lrlab-figure').length,
          pwned: window.__pwned,
        }));
        assert.equal(shown.figures, 0, f.id.slice(0, 40));
        assert.equal(shown.markup, 0, 'the name is text, not markup');
        assert.equal(shown.pwned, undefined);
        assert.ok(shown.text.length < 600, `a ${shown.text.length}-character message`);
        assert.match(shown.text, f.id ? /^Unknown figure "/ : /^No figure chosen/);
        assert.match(shown.text, /Known figures: one-step, three-rates/);
      }
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('the lab\'s config and the element\'s name', () => {
  test('deep JSON, 5 MB of base64, __proto__ keys, huge steps, many runs, wrong types, a long #lab= link: default runs and a note', async () => {
    const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const run = (extra = {}) => ({ problem: { name: 'quadratic' }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 40, ...extra });
    const configs = [
      ['5 MB of base64url', 'FIVE_MEGABYTES', /longer than \d+ characters/],
      ['__proto__ keys', '{"__proto__": {"polluted": 1}, "problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 0.1}}', /\(__proto__\)/],
      ['a constructor problem', JSON.stringify({ problem: { name: 'constructor' }, optimizer: { name: 'sgd', lr: 0.1 } }), /problem\.name "constructor" is not one the lab knows/],
      ['deep JSON in a list', `{"problem": {"name": "quadratic", "diag": ${'['.repeat(50000)}1${']'.repeat(50000)}}, "optimizer": {"name": "sgd", "lr": 0.1}}`, /nested too deeply/],
      ['η = 1e400', '{"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 1e400}}', /not a finite number/],
      ['η as markup', JSON.stringify(run({ optimizer: { name: 'sgd', lr: `<img src=x onerror=${PWN}>` } })), /optimizer\.lr is not a number/],
      ['milestones as text', JSON.stringify(run({ schedule: { name: 'multistep', milestones: 'x' } })), /schedule\.milestones is not a list of numbers/],
      ['huge steps', JSON.stringify(run({ steps: 1e308 })), /asked for 1e\+308 steps; the lab runs at most 5000/, { steps: 5000 }],
      ['2000 runs', JSON.stringify({ runs: Array.from({ length: 2000 }, () => run()) }), /Only the first 4 of 2000 runs are shown/, { runs: 4 }],
    ];
    // The figure on the page reads an old #lab= link longer than the limit.
    const hash = b64({ runs: [run({ colour: 'y'.repeat(160000) })] });
    const { page, problems } = await open(`${site}/embed.html?figure=lab&config=${b64({ runs: [run()] })}#lab=${hash}`, { height: 16000 });
    try {
      await ready(page, 'lrlab-figure');
      const faults = [];
      const main = await inspect(page, 'lrlab-figure');
      if (main.current.length) faults.push(`the linked lab is not at its default: ${JSON.stringify(main.current).slice(0, 100)}`);
      if (!main.notes.some((n) => /^The link's lab state could not be used \(it is longer than \d+ characters\)/.test(n))) faults.push(`#lab= of ${hash.length} characters: ${main.notes.join(' | ').slice(0, 200)}`);
      // The element way: each config on its own lab (without the #lab= link,
      // which every lab on the page would read).
      await page.evaluate((list) => {
        history.replaceState(null, '', location.pathname + location.search);
        list.forEach((config, k) => {
          const el = document.createElement('lrlab-figure');
          el.setAttribute('name', 'lab');
          // (Made here: five megabytes of base64url need not cross from the test.)
          el.setAttribute('config', config === 'FIVE_MEGABYTES' ? `eyJydW5zIjpb${'eyJ4Ijox'.repeat(5 * 1024 * 1024 / 8)}` : config);
          el.id = `lab-${k}`;
          document.getElementById('embed').append(el);
        });
        // Names that are Object's own, and markup, are no figures.
        for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', `<img src=x onerror=${'window.__pwned=1'}>`]) {
          const el = document.createElement('lrlab-figure');
          el.setAttribute('name', name);
          el.className = 'odd-name';
          document.getElementById('embed').prepend(el);
        }
      }, configs.map(([, config]) => config));
      for (let k = 0; k < configs.length; k++) {
        const [label, , why, expect = {}] = configs[k];
        const t0 = Date.now();
        await ready(page, `#lab-${k}`);
        const seen = await page.$eval(`#lab-${k}`, (el) => ({
          notes: [...el.shadowRoot.querySelectorAll('.lr-note')].map((n) => n.textContent),
          runs: el.figure.list.configs(),
          status: el.shadowRoot.querySelector('.lr-status').textContent,
        }));
        const fault = (text) => faults.push(`${label}: ${text}`);
        if (!seen.notes.some((n) => why.test(n))) fault(`no note ${why}; notes: ${seen.notes.join(' | ').slice(0, 200)}`);
        for (const n of seen.notes) if (n.length > 300) fault(`a ${n.length}-character note`);
        if (expect.steps) {
          if (seen.runs[0].steps !== expect.steps) fault(`steps ${seen.runs[0].steps}`);
        } else if (expect.runs) {
          if (seen.runs.length !== expect.runs) fault(`${seen.runs.length} runs`);
        } else if (seen.runs.map((r) => r.problem.name).join() !== 'rosenbrock,rosenbrock') {
          fault(`not the default runs: ${JSON.stringify(seen.runs).slice(0, 150)}`);
        }
        if (/config error/.test(seen.status)) fault(`the engine refused it: ${seen.status.slice(0, 150)}`);
      }
      // The lab's code view still works on what was read.
      await page.$eval('#lab-7', (el) => { el.shadowRoot.querySelector('.lab-code').open = true; });
      if (!/5000/.test(await page.$eval('#lab-7', (el) => el.shadowRoot.querySelector('.lab-pre').textContent))) faults.push('the code view of the capped run');
      await page.evaluate(() => scrollTo(0, 0));
      await page.waitForFunction(() => [...document.querySelectorAll('lrlab-figure.odd-name')].every((el) => el.shadowRoot?.querySelector('.lr-error')), null, { timeout: 5000 }).catch(() => {});
      const odd = await page.$$eval('lrlab-figure.odd-name', (els) => els.map((el) => ({ name: el.getAttribute('name'), text: el.shadowRoot?.textContent ?? '', state: el.dataset.state ?? null })));
      for (const o of odd) if (!/^Unknown figure "/.test(o.text) || o.state !== null) faults.push(`name="${o.name.slice(0, 30)}": ${o.state} ${o.text.slice(0, 100)}`);
      const leaked = await page.evaluate(() => [window.__pwned, ({}).polluted, Object.lr, Object.prototype.toString.lr]);
      if (leaked.some((v) => v !== undefined && v !== null)) faults.push(`something ran or was polluted: ${JSON.stringify(leaked)}`);
      assert.deepEqual(faults, [], `${faults.length} faults:\n${faults.join('\n')}`);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('postMessage', () => {
  test('forged messages from a third-origin frame, the host itself and the wrong shapes change no height and get no answer', async () => {
    const src = `${site}/embed.html?figure=one-step&controls=none`;
    pages['/resize.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>resize</title><link rel="icon" href="data:,"></head><body>
<iframe id="lrlab" title="lrlab" src="${src.replaceAll('&', '&amp;')}" width="600" height="150"></iframe>
<iframe id="third" title="third" src="${third}/third.html" width="300" height="100"></iframe>
<iframe id="decoy" title="decoy" class="lrlab-embed" src="${third}/embed.html" width="300" height="100"></iframe>
<script>
  // Counts what the lrlab iframe posts (its height messages).
  window.__fromLrlab = 0;
  addEventListener('message', (e) => {
    if (e.source === document.getElementById('lrlab').contentWindow) window.__fromLrlab++;
  });
</script>
<script src="${site}/embed-resize.js"></script>
</body></html>`;
    pages['/third.html'] = '<!doctype html><title>third</title><link rel="icon" href="data:,"><p>a frame of another origin</p>';
    pages['/embed.html'] = '<!doctype html><title>decoy</title><link rel="icon" href="data:,"><p>not lrlab, on the third origin</p>';
    const { page, problems } = await open(`${host}/resize.html`);
    try {
      const lrlab = await (await page.$('#lrlab')).contentFrame();
      const thirdFrame = await (await page.$('#third')).contentFrame();
      const decoy = await (await page.$('#decoy')).contentFrame();
      await ready(lrlab, 'lrlab-figure');
      // The helper sized the iframe to its content; wait until it is still.
      const docHeight = () => lrlab.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      await page.waitForFunction(async () => document.getElementById('lrlab').style.height !== '', null, { timeout: 10000 });
      let quiet = '';
      for (let i = 0; i < 50; i++) {
        const now = await page.evaluate(() => `${window.__fromLrlab} ${document.getElementById('lrlab').style.height}`);
        if (now === quiet) break;
        quiet = now;
        await page.waitForTimeout(150);
      }
      const height = () => page.$eval('#lrlab', (f) => f.style.height);
      const answers = () => page.evaluate(() => window.__fromLrlab);
      const h0 = await height();
      assert.equal(h0, `${await docHeight()}px`, 'sized to its content');
      const n0 = await answers();
      // Messages no window may size an iframe with (out of range, not
      // numbers, not the documented shape), and two that only the lrlab
      // iframe's own window may send.
      const badShapes = (figure) => [
        { type: 'lrlab:height', height: 1e9, figure }, { type: 'lrlab:height', height: -100, figure }, { type: 'lrlab:height', height: NaN, figure },
        { type: 'lrlab:height', height: Infinity, figure }, { type: 'lrlab:height', height: '300', figure }, { type: 'lrlab:height', height: null, figure },
        { type: 'lrlab:height', height: { valueOf: 777 }, figure }, { type: 'lrlab:height', height: [777], figure },
        { type: 'lrlab:height', height: 777 }, { type: 'lrlab:height', height: 777, figure: 'lab' }, { type: 'lrlab:height', height: 777, figure: ['one-step'] },
        { type: 'lrlab:height', height: 777, figure, extra: true }, { type: 'lrlab:height ', height: 777, figure }, ['lrlab:height', 777], 'lrlab:height', null, 777,
      ];
      const wellFormed = (figure) => [{ type: 'lrlab:height', height: 5, figure }, { type: 'lrlab:height', height: 777, figure }];
      const forged = (figure) => [...badShapes(figure), ...wellFormed(figure)];
      // 1. A frame of a third origin, neither the parent nor the iframe:
      // heights to the host page, and height requests to the lrlab iframe.
      await thirdFrame.evaluate((list) => {
        for (const m of list) parent.postMessage(m, '*');
        for (const m of [{ type: 'lrlab:request-height' }, { type: 'lrlab:request-height', figure: 'one-step' }, 'lrlab:request-height']) parent.frames[0].postMessage(m, '*');
      }, forged('one-step'));
      // 2. The host's own window, and an "embed.html" frame on the third origin.
      await page.evaluate((list) => { for (const m of list) window.postMessage(m, '*'); }, forged('one-step'));
      await decoy.evaluate((list) => { for (const m of list) parent.postMessage(m, '*'); }, forged('one-step'));
      await page.waitForTimeout(400);
      assert.equal(await height(), h0, 'forged heights from other windows are ignored');
      assert.equal(await answers(), n0, 'height requests from a third frame get no answer');
      // 3. The lrlab iframe's own window, with messages of the wrong shape:
      // out of range, not numbers, another figure, extra fields.
      await lrlab.evaluate((list) => { for (const m of list) parent.postMessage(m, '*'); }, badShapes('one-step'));
      await page.waitForTimeout(300);
      assert.equal(await height(), h0, 'messages of the wrong shape change nothing');
      // The right shape from the right window does (the checks above are not vacuous).
      // (Taller than the content: no scroll bar appears, the content keeps its height.)
      const taller = parseInt(h0, 10) + 40;
      await lrlab.evaluate((h) => parent.postMessage({ type: 'lrlab:height', height: h - 0.8, figure: 'one-step' }, '*'), taller);
      await page.waitForFunction((h) => document.getElementById('lrlab').style.height === `${h}px`, taller, { timeout: 5000 });
      // 4. Height requests: only the parent's, of the documented shape, are answered.
      const n1 = await answers();
      await page.evaluate(() => document.getElementById('lrlab').contentWindow.postMessage({ type: 'lrlab:request-height', extra: 1 }, '*'));
      await page.waitForTimeout(300);
      assert.equal(await answers(), n1, 'a request of the wrong shape is ignored');
      await page.evaluate((origin) => document.getElementById('lrlab').contentWindow.postMessage({ type: 'lrlab:request-height' }, origin), site);
      await page.waitForFunction((h) => document.getElementById('lrlab').style.height === h, h0, { timeout: 5000 });
      assert.equal(await answers(), n1 + 1, 'the parent\'s request is answered once');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
