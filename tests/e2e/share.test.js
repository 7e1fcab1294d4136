// Share and export, for every figure of the article (Chromium):
//   - on the figure alone (embed.html), change every control the figure tags
//     (selects, sliders, checkboxes, seed buttons), copy its "Link to this
//     state", open the link (the article) on a fresh page: the same figure
//     restores the same settings and computes the same configs with
//     identical series;
//   - the four downloads are valid files: CSV (rectangular, same rows as the
//     table), JSON (the figure, its state, its configs), PNG (a real image)
//     and PyTorch (parses as Python);
//   - bad or unknown state in the address or attributes falls back with a
//     short note; controls="…" shows a subset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { countFrames, figureReady, inFigure, mountFigure, openPage, setControl, startBrowser } from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const FIGURES = [
  'one-step', 'three-rates', 'lr-sweep', 'local-minima', 'noisy-gradients', 'plateau',
  'edge-of-stability', 'schedules', 'optimizer-race', 'per-parameter', 'robustness', 'lab',
];
const sel = (id) => `lrlab-figure[name="${id}"]`;

// Waits until the figure is ready, the engine idle, and neither has changed
// for `quiet` ms (longer than the 200 ms after which a sweep refines).
async function settle(page, id, quiet = 300) {
  await countFrames(page, sel(id));
  await page.evaluate(async ([selector, quiet]) => {
    const { getEngine } = await import('/src/engine/engine.js');
    const el = document.querySelector(selector);
    let last = null;
    let since = performance.now();
    for (;;) {
      const ready = el.shadowRoot.querySelector('.lr-figure').dataset.state === 'ready';
      const { pending } = await getEngine().stats();
      const now = `${el.dataset.frames} ${ready} ${pending}`;
      if (now !== last) {
        last = now;
        since = performance.now();
      } else if (ready && pending === 0 && performance.now() - since >= quiet) {
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }, [sel(id), quiet]);
}

// Every tagged control of the figure, one after another: selects move to
// their next option, range inputs to 37 % (or 63 %) of their range, the first
// checkbox of each group flips, seed buttons are pressed. Returns what was
// changed. The lab has no tags: its run form's optimizer is switched.
async function changeEverything(page, id) {
  const count = await page.$eval(sel(id), (el) => el.shadowRoot.querySelectorAll('[data-control] input, [data-control] select, [data-control="seed"] button').length);
  const changed = [];
  for (const kind of ['SELECT', 'INPUT', 'BUTTON']) {
    for (let i = 0; i < count; i++) {
      const what = await page.$eval(sel(id), (el, [i, kind]) => {
        const list = [...el.shadowRoot.querySelectorAll('[data-control] input, [data-control] select, [data-control="seed"] button')];
        const c = list[i];
        if (!c || c.tagName !== kind || c.disabled || c.closest('[hidden]')) return null;
        const group = c.closest('[data-control]').dataset.control;
        if (c.tagName === 'BUTTON') {
          c.click();
          return `${group}: pressed`;
        }
        if (c.tagName === 'SELECT') {
          const k = (c.selectedIndex + 1) % c.options.length;
          c.value = c.options[k].value;
          c.dispatchEvent(new Event('change', { bubbles: true }));
          return `${group} → ${c.value}`;
        }
        if (c.type === 'checkbox') {
          const first = c.closest('[data-control]').querySelector('input[type="checkbox"]');
          if (first !== c) return null;
          c.checked = !c.checked;
          c.dispatchEvent(new Event('change', { bubbles: true }));
          return `${group} ${c.checked ? 'on' : 'off'}`;
        }
        if (c.type !== 'range') return null;
        const min = Number(c.min), max = Number(c.max), step = Number(c.step) || 1;
        const at = (f) => min + Math.round((f * (max - min)) / step) * step;
        const v = Number(c.value) === at(0.37) ? at(0.63) : at(0.37);
        c.value = String(v);
        c.dispatchEvent(new Event('input', { bubbles: true }));
        c.dispatchEvent(new Event('change', { bubbles: true }));
        return `${group} = ${c.getAttribute('aria-valuetext') ?? c.value}`;
      }, [i, kind]);
      if (what) {
        changed.push(what);
        await page.waitForTimeout(60);
      }
    }
  }
  if (id === 'lab') {
    await page.$eval(sel(id), (el) => {
      const s = el.shadowRoot.querySelector('[name="optimizer.name"]');
      s.value = 'rmsprop';
      s.dispatchEvent(new Event('change', { bubbles: true }));
    });
    changed.push('optimizer.name → rmsprop');
  }
  return changed;
}

// Everything the figure computed, typed arrays as lists and non-finite
// numbers spelled out, so two pages can be compared exactly.
function snapshot(page, id) {
  return page.$eval(sel(id), (el) => {
    const plain = (v) => {
      if (ArrayBuffer.isView(v)) return Array.from(v, (x) => (Number.isFinite(x) ? x : String(x)));
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (Array.isArray(v)) return v.map(plain);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      return v;
    };
    const shareBar = el.shadowRoot.querySelector('.lr-share');
    shareBar.open = true;
    shareBar.dispatchEvent(new Event('toggle'));
    return {
      link: el.shadowRoot.querySelector('.lr-share-link').value,
      state: el.figure.share.current(),
      notes: el.shadowRoot.querySelector('.lr-notes').textContent,
      computations: Object.fromEntries(el.computations.map(({ key, op, config, result }) => [key, { op, config: plain(config), result: plain(result) }])),
    };
  });
}

function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  return rows;
}

// Python's own parser on the scripts (skipped where python3 is missing).
function pythonParses(sources) {
  const driver = 'import ast, json, sys\nfor name, src in json.load(sys.stdin).items():\n    ast.parse(src, name)\nprint("ok")';
  const run = spawnSync('python3', ['-c', driver], { input: JSON.stringify(sources), timeout: 60000 });
  if (run.error?.code === 'ENOENT') return null;
  return { ok: run.status === 0, stderr: run.stderr.toString() };
}

async function download(page, id, button) {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.$eval(sel(id), (el, b) => el.shadowRoot.querySelector(b).click(), button),
  ]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

const pythonSources = {};

for (const id of FIGURES) {
  test(`${id}: a share link restores the same state and identical series; every export is a valid file`, async () => {
    const { page, problems } = await mountFigure(browser, id);
    await settle(page, id);
    const changed = await changeEverything(page, id);
    assert.ok(changed.length >= 1, 'some control was changed');
    await settle(page, id);
    const shown = await snapshot(page, id);
    assert.ok(shown.state.length >= 1, `the changes show in the state (${changed.join('; ')})`);
    const url = new URL(shown.link);
    assert.equal(url.origin, new URL(browser.baseUrl).origin);
    assert.equal(url.pathname, '/index.html');
    assert.equal(url.hash, `#fig-${id}`);
    assert.deepEqual([...url.searchParams.keys()], shown.state.map(([k]) => `${id}.${k}`));

    // The link on a fresh page.
    const fresh = await openPage(browser, shown.link);
    await figureReady(fresh.page, sel(id), 60000);
    await settle(fresh.page, id);
    const restored = await snapshot(fresh.page, id);
    assert.equal(restored.notes, '', 'no fallback notes');
    assert.deepEqual(restored.state, shown.state);
    assert.equal(restored.link, shown.link);
    const keys = Object.keys(restored.computations);
    assert.ok(keys.length >= 1);
    for (const key of keys) {
      // A run switched off stays in the first page's record; everything the
      // restored figure computed must be there, identical.
      assert.ok(shown.computations[key], `${key} is computed on both pages`);
      assert.deepEqual(restored.computations[key].config, shown.computations[key].config, `${key}: same config`);
      assert.deepEqual(restored.computations[key].result, shown.computations[key].result, `${key}: identical series`);
    }
    await fresh.page.close();

    // Downloads.
    const table = await page.$eval(sel(id), (el) => el.figure.share.table() && { columns: el.figure.share.table().columns, rows: el.figure.share.table().rows.length });
    const csv = await download(page, id, '.lr-export-csv');
    assert.equal(csv.name, `lrlab-${id}.csv`);
    const rows = parseCsv(csv.bytes.toString());
    assert.deepEqual(rows[0], table.columns);
    assert.equal(rows.length - 1, table.rows);
    for (const r of rows) assert.equal(r.length, table.columns.length, 'every CSV row has every column');

    const json = JSON.parse((await download(page, id, '.lr-export-json')).bytes.toString());
    assert.equal(json.figure, id);
    assert.equal(json.link, shown.link);
    if (id === 'lab') {
      assert.equal(json.runs.length, 2);
      assert.equal(json.runs[0].config.optimizer.name, 'rmsprop');
      assert.ok(json.runs[0].result.loss.length > 10);
    } else {
      assert.deepEqual(json.state, Object.fromEntries(shown.state));
      assert.deepEqual(json.table.columns, table.columns);
      assert.equal(json.table.rows.length, table.rows);
      assert.deepEqual(json.computations.map((c) => c.key).sort(), Object.keys(shown.computations).sort());
    }

    const png = await download(page, id, '.lr-export-png');
    assert.equal(png.name, `lrlab-${id}.png`);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.bytes.readUInt32BE(16) >= 300 && png.bytes.readUInt32BE(20) >= 150, 'the PNG is figure-sized');
    fs.writeFileSync(new URL(`../../build/screenshots/export-${id}.png`, import.meta.url), png.bytes);

    const py = (await download(page, id, '.lr-export-py')).bytes.toString();
    const runs = (py.match(/^# ===== run \d+ of \d+/gm) ?? []).length;
    assert.ok(runs >= 1, 'the script has at least one run');
    assert.match(py, /torch\.optim\.\w+\(/);
    pythonSources[id] = py;
    assert.deepEqual([...problems, ...fresh.problems], []);
    await page.close();
  });
}

test('every PyTorch export parses as Python', (t) => {
  assert.equal(Object.keys(pythonSources).length, FIGURES.length, 'every figure exported its script');
  const result = pythonParses(pythonSources);
  if (result === null) {
    t.skip('python3 is not installed: the syntax check was skipped');
    return;
  }
  assert.ok(result.ok, result.stderr);
});

test('bad and unknown state in the address falls back with a note; unknown figures are ignored', async () => {
  const { page, problems } = await openPage(browser, '/?three-rates.lr-small=abc&three-rates.colour=red&three-rates.steps=60&nope.lr=1&lr-sweep.problem=nope#fig-three-rates');
  await figureReady(page, sel('three-rates'));
  const notes = await inFigure(page, sel('three-rates'), (c) => c.querySelector('.lr-notes').textContent);
  assert.match(notes, /lr-small="abc" is not a number in \[0\.001, 1\]; using 0\.01/);
  assert.match(notes, /"colour" is not a setting of this figure; it was ignored/);
  const state = await page.$eval(sel('three-rates'), (el) => el.figure.share.current());
  assert.deepEqual(state, [['steps', '60']], 'what could be read is kept');
  await figureReady(page, sel('lr-sweep'));
  assert.match(await inFigure(page, sel('lr-sweep'), (c) => c.querySelector('.lr-notes').textContent), /problem="nope" is not one of/);
  assert.deepEqual(problems, []);
});

test('controls="…" shows a subset; unknown names get a note; "none" hides controls and the share panel', async () => {
  const visible = (page, id) => inFigure(page, sel(id), (c) => ({
    controls: [...c.querySelectorAll('[data-control]')].filter((e) => e.offsetParent !== null).map((e) => e.dataset.control),
    share: c.querySelector('.lr-share').offsetParent !== null,
    notes: c.querySelector('.lr-notes').textContent,
  }));
  const subset = await mountFigure(browser, 'schedules', { controls: 'lr, steps,wobble' });
  const seen = await visible(subset.page, 'schedules');
  assert.deepEqual([...new Set(seen.controls)], ['lr', 'steps']);
  assert.equal(seen.share, false);
  assert.match(seen.notes, /controls: this figure has no control "wobble" \(it has share, schedule, lr, steps, log-lr, options\)/);
  const none = await mountFigure(browser, 'three-rates', { controls: 'none' });
  assert.deepEqual(await visible(none.page, 'three-rates'), { controls: [], share: false, notes: '' });
  const share = await mountFigure(browser, 'plateau', { controls: 'share,inspect' });
  const p = await visible(share.page, 'plateau');
  assert.deepEqual(p.controls, ['inspect']);
  assert.equal(p.share, true);
  // A control rebuilt later (plateau remakes its inspect slider when the
  // steps change) stays hidden.
  const rebuilt = await mountFigure(browser, 'plateau', { controls: 'steps' });
  await setControl(rebuilt.page, sel('plateau'), '[data-control="steps"] input', 1200);
  assert.deepEqual((await visible(rebuilt.page, 'plateau')).controls, ['steps']);
  assert.deepEqual([...subset.problems, ...none.problems, ...share.problems, ...rebuilt.problems], []);
});
