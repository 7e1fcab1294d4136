// The article page as a whole: math typeset, contents and anchors, the
// theme toggle, every figure live, no horizontal scrolling on a phone, an
// accessibility audit (axe-core), and screenshots of every figure at 1280
// and 375 px in light and dark (build/screenshots, git-ignored). At both
// widths every figure stays inside the page and every control and chart
// inside its figure, also in a few states other than the default (the
// states the figure tests used to shoot: build/screenshots/<figure>-<state>-…).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  SCREENSHOT_DIR, countFrames, figureReady, openPage, setControl, shootFigure, startBrowser, waitForFrame,
} from './browser.js';
import { fieldAt, inRange } from '../../web/src/model/schema.js';
import { blobs } from '../util/blobs.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

// Scrolls through the page bringing every figure to life, in order.
async function wakeAllFigures(page) {
  const names = await page.$$eval('lrlab-figure', (els) => els.map((el) => el.getAttribute('name')));
  for (const name of names) await figureReady(page, `lrlab-figure[name="${name}"]`, 60000);
  return names;
}

test('the article: sections, contents, math and references', async () => {
  const { page, problems } = await openPage(browser, '/');
  const sections = await page.$$eval('main > section[id]', (els) => els.map((s) => s.id));
  assert.deepEqual(sections, ['introduction', 'gradient-descent', 'role', 'convergence', 'schedules', 'adaptive', 'conclusion', 'references']);
  // Every contents entry and every citation points at an element that exists.
  const broken = await page.$$eval('a[href^="#"]', (links) => links.map((a) => a.getAttribute('href')).filter((h) => !document.getElementById(h.slice(1))));
  assert.deepEqual(broken, []);
  // KaTeX typeset every formula (from this site: no other host was asked).
  await page.waitForFunction(() => document.querySelectorAll('.tex').length > 0 && document.querySelectorAll('.tex:not([data-typeset])').length === 0);
  assert.ok(await page.$$eval('.tex .katex', (els) => els.length) > 30);
  // Each of the twelve figures appears once, and the opening one (#hero),
  // with a caption that says what to try.
  const figures = await page.$$eval('figure', (els) => els.map((f) => ({
    name: f.querySelector('lrlab-figure')?.getAttribute('name') ?? (f.id === 'hero' ? 'hero' : undefined),
    caption: f.querySelector('figcaption')?.textContent ?? '',
  })));
  assert.deepEqual(figures.map((f) => f.name).sort(), ['edge-of-stability', 'hero', 'lab', 'local-minima', 'lr-sweep', 'noisy-gradients', 'one-step', 'optimizer-race', 'per-parameter', 'plateau', 'robustness', 'schedules', 'three-rates']);
  for (const f of figures) assert.match(f.caption, /\b(drag|press|pick|switch|raise|lower|move|scrub|build|open|add)\b/i, `${f.name}: caption says what to try`);
  // A deep link lands on its section.
  await page.goto(new URL('/#schedules', browser.baseUrl).href);
  await page.waitForFunction(() => Math.abs(document.getElementById('schedules').getBoundingClientRect().top) < 200);
  assert.deepEqual(problems, []);
});

test('theme toggle: system, light, dark; remembered; figures redraw', async () => {
  const { page, problems } = await openPage(browser, '/', { colorScheme: 'light' });
  const figure = 'lrlab-figure[name="one-step"]';
  await figureReady(page, figure);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const pixels = () => page.$eval(figure, (el) => el.shadowRoot.querySelector('canvas').toDataURL());
  const light = await bg();
  const lightPixels = await pixels();
  const toggle = page.locator('#theme-toggle');
  await toggle.click();  // system → light
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await toggle.click();  // light → dark
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.notEqual(await bg(), light);
  await page.waitForFunction((args) => document.querySelector(args.sel).shadowRoot.querySelector('canvas').toDataURL() !== args.before, { sel: figure, before: lightPixels });
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the choice survives a reload');
  await page.locator('#theme-toggle').click();  // dark → system
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme ?? 'auto'), 'auto');
  assert.deepEqual(problems, []);
});

test('accessibility: axe-core finds no serious or critical violations', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems } = await openPage(browser, '/', { colorScheme });
    await wakeAllFigures(page);
    // The lab with its data panel shown (a classifier on "your CSV file").
    const lab = 'lrlab-figure[name="lab"]';
    await countFrames(page, lab);
    await setControl(page, lab, '[name="problem.name"]', 'logistic_regression');
    await setControl(page, lab, '[name="problem.data"]', 'local');
    // Audit the share-and-export panels open, with their fields filled.
    await page.$$eval('lrlab-figure', (els) => els.forEach((el) => {
      const d = el.shadowRoot.querySelector('.lr-share');
      d.open = true;
      d.dispatchEvent(new Event('toggle'));
    }));
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    assert.deepEqual(violations, [], `${colorScheme} theme`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

// What of each figure leaves its box: the figure's own box outside the
// viewport, its content wider than its box, any control, label or chart
// (with a size: hidden ones have none) reaching outside the figure, a menu
// or text field too narrow for its text, or a legend of placeholder dashes.
function layoutProblems(page) {
  return page.$$eval('lrlab-figure', (els) => els.flatMap((el) => {
    const name = el.getAttribute('name');
    const box = el.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const out = [];
    if (box.left < -0.5 || box.right > width + 0.5) out.push(`${name}: the figure spans ${box.left}…${box.right} px in a ${width} px page`);
    const c = el.shadowRoot.querySelector('.lr-figure');
    if (c.scrollWidth > c.clientWidth + 1) out.push(`${name}: its content is ${c.scrollWidth} px wide in ${c.clientWidth} px`);
    let measured = 0;
    for (const x of c.querySelectorAll('input, select, button, textarea, summary, label, canvas, .lr-panel, .lr-controls > *')) {
      const r = x.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      measured++;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
        const what = `${x.localName}${x.className ? `.${String(x.className).trim().replace(/\s+/g, '.')}` : ''}${x.name ? `[name=${x.name}]` : ''}`;
        out.push(`${name}: ${what} spans ${r.left.toFixed(0)}…${r.right.toFixed(0)} px, outside the figure's ${box.left.toFixed(0)}…${box.right.toFixed(0)}`);
      }
    }
    if (measured < 10) out.push(`${name}: only ${measured} controls and charts measured`);
    // Text cut by its box: a menu narrower than its chosen option (its arrow
    // takes ~20 px), a text field narrower than its value.
    const shown = (x) => x.getClientRects().length > 0 && !x.closest('details:not([open])');
    const measure = document.createElement('canvas').getContext('2d');
    for (const select of c.querySelectorAll('select')) {
      if (!shown(select)) continue;
      const style = getComputedStyle(select);
      measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = select.selectedOptions[0]?.textContent ?? '';
      const need = measure.measureText(text).width;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
      if (need > room + 1) out.push(`${name}: the menu shows "${text}" cut (${need.toFixed(0)} px of text in ${room.toFixed(0)} px)`);
    }
    for (const input of c.querySelectorAll('input[type=text], input:not([type])')) {
      if (shown(input) && input.scrollWidth > input.clientWidth + 1) out.push(`${name}: the field shows "${input.value}" cut (${input.scrollWidth} px in ${input.clientWidth} px)`);
    }
    // Chart legends are keys until hovered: no placeholder dashes (nothing
    // hovers here).
    for (const cell of c.querySelectorAll('.u-legend th, .u-legend td, .lr-legend li')) {
      if (shown(cell) && getComputedStyle(cell).display !== 'none' && /^[\s:]*—\s*$/.test(cell.textContent)) {
        out.push(`${name}: a legend shows a placeholder: "${cell.closest('tr, li').textContent.trim().replace(/\s+/g, ' ')}"`);
      }
    }
    return out;
  }));
}

// Every figure setting that is a config value (declared with `config:` in
// its number/integer read) offers only values the core's schema accepts:
// its span and its default lie in the field's range.
async function boundsOutsideSchema(page) {
  const figures = await page.$$eval('lrlab-figure', (els) => els.map((el) => [el.getAttribute('name'), el.figure.share.bounds()]));
  const out = [];
  let checked = 0;
  for (const [name, bounds] of figures) {
    for (const { name: setting, config, min, max, fallback } of bounds) {
      const at = fieldAt(config);
      if (!at?.range) {
        out.push(`${name}.${setting}: ${config} is no field of the schema`);
        continue;
      }
      for (const [what, v] of [['min', min], ['max', max], ['default', fallback]]) {
        if (v !== undefined && !inRange(at.range, v)) out.push(`${name}.${setting}: its ${what} ${v} is outside ${config}'s range ${JSON.stringify(at.range)}`);
      }
      checked++;
    }
  }
  return { out, checked, figures: figures.filter(([, b]) => b.length).map(([name]) => name) };
}

// States other than the default, shot and measured too: what a reader gets
// to by one action (the figure tests mounted these before).
const STATES = [
  ['lr-sweep', 'momentum', (page, sel) => setControl(page, sel, 'select[name=optimizer]', 'momentum')],
  // η = 0.2 (log slider over 0.005 … 0.5): the run hops into the deep basin.
  ['local-minima', 'deep', (page, sel) => setControl(page, sel, 'input.lr-lm-lr', 801)],
  ['optimizer-race', 'lion', (page, sel) => setControl(page, sel, 'select[data-race="extra"]', 'lion')],
  ['lab', 'range-test', async (page, sel) => {
    await page.$eval(sel, (el) => {
      el.dataset.waitFrom = el.dataset.frames;
      el.shadowRoot.querySelector('.lab-range-button').click();
    });
    await waitForFrame(page, sel);
  }],
  // The MLP on a CSV file of the reader's own: the data panel, filled.
  ['lab', 'your-data', async (page, sel) => {
    await setControl(page, sel, '[name="problem.name"]', 'mlp');
    await setControl(page, sel, '[name="problem.data"]', 'local');
    await page.$eval(sel, (el) => { el.dataset.waitFrom = el.dataset.frames; });
    await page.locator(`${sel} input[name="data.file"]`).setInputFiles({ name: 'blobs.csv', mimeType: 'text/csv', buffer: Buffer.from(blobs()) });
    await waitForFrame(page, sel);
  }],
];

for (const width of [1280, 375]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`every figure live at ${width} px, ${colorScheme}: no horizontal scroll, nothing outside its figure; screenshots`, async () => {
      const { page, problems } = await openPage(browser, '/', { width, height: 900, colorScheme });
      const names = await wakeAllFigures(page);
      for (const name of names) await shootFigure(page, `lrlab-figure[name="${name}"]`, `${name}-${width}-${colorScheme}.png`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      assert.deepEqual(await layoutProblems(page), []);
      if (width === 1280 && colorScheme === 'light') {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'article.png'), fullPage: true });
        const bounds = await boundsOutsideSchema(page);
        assert.deepEqual(bounds.out, [], 'figure settings offer only values the core accepts');
        // Every figure but the lab (whose state is whole configs, checked by the engine).
        assert.equal(bounds.figures.length, 11, `settings checked in ${bounds.figures.join(', ')}`);
        assert.ok(bounds.checked >= 35, `only ${bounds.checked} settings checked against the schema`);
      }

      for (const [name, label, reach] of STATES) {
        const sel = `lrlab-figure[name="${name}"]`;
        await page.$eval(sel, (el) => el.scrollIntoView());
        await countFrames(page, sel);
        const before = await page.$eval(sel, (el) => el.shadowRoot.querySelector('.lr-status').textContent);
        await reach(page, sel);
        assert.notEqual(await page.$eval(sel, (el) => el.shadowRoot.querySelector('.lr-status').textContent), before, `${name}: ${label} changed the figure`);
        await shootFigure(page, sel, `${name}-${label}-${width}-${colorScheme}.png`);
      }
      const after = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(after <= 0, `with ${STATES.map(([n, l]) => `${n} ${l}`).join(', ')}, the page scrolls sideways by ${after} px`);
      assert.deepEqual(await layoutProblems(page), []);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
}

// The opening figure (src/hero.js): live in the first screen, on a laptop
// and on a phone, answering its slider, without the Worker engine.
for (const [width, height] of [[1280, 800], [375, 740]]) {
  test(`a live figure in the first screen at ${width}×${height}`, async () => {
    const { page, problems, finished } = await openPage(browser, '/', { width, height });
    await page.waitForFunction(() => document.getElementById('hero')?.dataset.state === 'ready', null, { timeout: 15000 });
    const seen = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect();
      const inView = (r) => r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth && r.width > 0 && r.height > 0;
      return { slider: inView(box('#hero input[type=range]')), curve: inView(box('#hero .hero-curve')), loss: box('#hero .hero-loss').top < innerHeight, scrollY };
    });
    assert.deepEqual(seen, { slider: true, curve: true, loss: true, scrollY: 0 });
    const read = () => page.evaluate(() => ({ status: document.querySelector('.hero-status').textContent, lr: document.getElementById('hero').dataset.lr, dots: document.querySelectorAll('#hero .hero-iterate').length }));
    const before = await read();
    assert.match(before.status, /^η = 0\.3: .*after 30 steps the loss is /);
    // Past 2/λ: the run diverges, and the figure says so.
    await page.$eval('#hero input[type=range]', (el) => { el.value = el.max; el.dispatchEvent(new Event('input', { bubbles: true })); });
    const after = await read();
    assert.equal(after.lr, '3');
    assert.match(after.status, /past 2\/λ = 2: .*diverges at step \d+/);
    assert.match(await page.$eval('#hero .hero-curve', (el) => el.textContent), /leaves the plot at step \d+/);
    assert.ok(!finished.some((u) => /\/engine\/worker\.js$|\/wasm\/lrlab\.wasm$/.test(u)), 'the Worker engine is not loaded for it');
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('offline before a figure\'s code came: a clear message, and the figure starts when the connection returns', async () => {
  const FIG = 'lrlab-figure[name="plateau"]';
  const { page, problems } = await openPage(browser, '/');
  await page.waitForLoadState('load');
  await page.context().setOffline(true);
  let message;
  try {
    await page.$eval(FIG, (el) => el.scrollIntoView());
    await page.waitForFunction((sel) => document.querySelector(sel).dataset.state === 'error', FIG, { timeout: 30000 });
    message = await page.$eval(FIG, (el) => el.shadowRoot.querySelector('.lr-error').textContent);
  } finally {
    await page.context().setOffline(false);
  }
  assert.match(message, /^This figure could not start: .*you are offline: it starts when the connection returns/);
  // No scrolling: the connection's return alone starts it, and the message goes.
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('.lr-figure').dataset.state === 'ready', FIG, { timeout: 60000, polling: 250 });
  assert.equal(await page.$eval(FIG, (el) => el.shadowRoot.querySelectorAll('.lr-error').length), 0);
  // The failed fetches were the offline ones; nothing else went wrong.
  assert.ok(problems.every((p) => /ERR_INTERNET_DISCONNECTED/.test(p)), problems.join('\n'));
  await page.close();
});

test('a light first view, then offline once reading: every figure starts after the connection drops', async () => {
  const { page, problems, finished } = await openPage(browser, '/');
  const fetched = (suffix) => finished.some((u) => u.endsWith(suffix));
  // Opened and left alone, the page fetches no figure code (only the list of
  // names, figures/index.js), no engine and no data.
  await page.waitForLoadState('load');
  await page.waitForTimeout(1500);
  const early = finished.filter((u) => /\/src\/figures\/(?!index\.js$)|\/engine\/worker\.js$|\.wasm$|\/data\//.test(u) && !u.endsWith('/wasm/lrlab-hero.wasm'));
  assert.deepEqual(early, [], 'nothing of the figures is fetched before one scrolls near (the opening figure\'s small module aside)');
  // The reader reaches the first figure; once it is live and the page is idle,
  // the other figure modules and the data set are fetched.
  await page.$eval('lrlab-figure', (el) => el.scrollIntoView());
  await figureReady(page, 'lrlab-figure');
  // Every module graph, not only each figure's first file: lab.js's own
  // imports arrive after it (going offline between the two once failed CI).
  await page.waitForFunction(() => document.documentElement.dataset.prefetched, null, { timeout: 30000, polling: 100 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.prefetched), 'done');
  assert.ok(fetched('/src/figures/lab.js') && fetched('/src/figures/lab/data.js') && fetched('/data/digits.bin'), 'the figure modules and the data set were prefetched');
  // Into every Worker of the engine's pool (the later ones start once the
  // first has loaded).
  const pool = await page.evaluate(async () => {
    const { getEngine, poolSize } = await import('/src/engine/engine.js');
    for (let i = 0; i < 600; i++) {
      const { workers, pending } = await getEngine().stats();
      if (workers === poolSize() && pending === 0) return { workers, size: poolSize() };
      await new Promise((r) => setTimeout(r, 50));
    }
    return { workers: (await getEngine().stats()).workers, size: poolSize() };
  });
  assert.equal(pool.workers, pool.size, 'every Worker of the pool started and loaded the data');
  await page.context().setOffline(true);
  try {
    for (const name of ['plateau', 'schedules', 'lab']) await figureReady(page, `lrlab-figure[name="${name}"]`, 60000);
  } finally {
    await page.context().setOffline(false);
  }
  assert.deepEqual(problems, []);
});
