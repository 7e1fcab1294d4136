// Every figure, removed from the page while it computes, leaves nothing
// behind: the engine drains (no request still waiting for the Worker, no
// session open in it) and the figure sends no more work once it is gone —
// neither at once nor later (a refinement timer, an animation, the next run
// of a sequence). Each figure is removed twice: while it computes its first
// frame (at its first engine request), and right after its main control
// moved (browser.js MAIN_CONTROLS), again at the first request that caused.
//
// Requests are counted where every one of them passes: the Worker's
// postMessage, wrapped before the page's scripts run. The engine's own
// requests (engine.stats(), and the warm-up of the pool's later Workers)
// are not counted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIGURE_NAMES, MAIN_CONTROLS, figureReady, openPage, startBrowser } from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

// Longer than any timer a figure keeps after an input (a sweep's refinement
// follows 200 ms after the last input, model/tasks.js progressive).
const LINGER_MS = 300;

// Once removed, a figure sends nothing more: every figure checks whether it
// was disposed before each engine request of a sequence (local-minima: grid,
// then its two runs; the lab: one run after another), and requests sent
// together (local-minima's two runs, noisy-gradients' run and full-batch
// reference, schedules' run and baseline) are cancelled together by the
// figure's lifetime signal.

// In the page, before its scripts: counts engine requests, and removes the
// figure `window.__removeOnRequest` names as soon as it sends one.
function countRequests() {
  // The engine's own requests, not a figure's: stats (below), and the
  // warm-up of a Worker it starts in idle time.
  const ENGINE_OWN = new Set(['stats', 'warmUp']);
  window.__requests = [];
  window.__removeOnRequest = null;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function postMessage(message, ...rest) {
    const result = post.call(this, message, ...rest);
    if (message && typeof message.op === 'string' && !ENGINE_OWN.has(message.op)) {
      window.__requests.push(message.op);
      const el = window.__removeOnRequest;
      if (el) {
        window.__removeOnRequest = null;
        // Right after the request is on its way (before any reply can come).
        queueMicrotask(() => {
          window.__removedAfter = window.__requests.length;
          el.remove();
        });
      }
    }
    return result;
  };
}

// In the page: waits until the figure was removed and the engine is idle,
// then lingers; returns the engine's stats and the requests sent after the
// removal (and after the engine went idle).
async function drain(linger) {
  const { getEngine } = await import('/src/engine/engine.js');
  const engine = getEngine();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; window.__removedAfter === undefined; i++) {
    if (i > 1000) throw new Error('the figure sent no engine request');
    await sleep(10);
  }
  let stats;
  for (let i = 0; ; i++) {
    stats = await engine.stats();
    // Drained: nothing waiting, and the Worker done with the cancelled work
    // (it stops at its next piece, or once a data set it awaits has loaded).
    if (stats.pending === 0 && stats.active === 0) break;
    if (i > 3000) throw new Error(`the engine never went idle: ${JSON.stringify(stats)}`);
    await sleep(10);
  }
  const idle = window.__requests.length;
  await sleep(linger);
  return {
    idle: stats,
    later: await engine.stats(),
    afterRemoval: window.__requests.slice(window.__removedAfter),
    afterIdle: window.__requests.slice(idle),
    attached: document.querySelectorAll('lrlab-figure').length,
  };
}

// The counts that must be zero when nothing is left (pieces and workers only
// ever grow).
const leftOver = ({ pending, sessions, active }) => ({ pending, sessions, active });

function assertClean(where, result) {
  const idle = leftOver(result.idle);
  const later = leftOver(result.later);
  assert.deepEqual(idle, { pending: 0, sessions: 0, active: 0 }, `${where}: the engine drained`);
  assert.deepEqual(later, { pending: 0, sessions: 0, active: 0 }, `${where}: and stayed idle`);
  assert.deepEqual(result.afterIdle, [], `${where}: no request once the engine was idle`);
  assert.deepEqual(result.afterRemoval, [], `${where}: requests after the figure was removed`);
  assert.equal(result.attached, 0, `${where}: the figure is off the page`);
}

test('every figure, removed while computing, leaves no request, session or timer behind', async (t) => {
  const { page, problems } = await openPage(browser, '/embed.html', { init: countRequests });
  const registered = await page.evaluate(async () => Object.keys((await import('/src/figures/index.js')).FIGURES));
  assert.deepEqual([...FIGURE_NAMES].sort(), [...registered].sort(), 'every figure has a main control in browser.js MAIN_CONTROLS');
  const report = [];
  for (const name of FIGURE_NAMES) {
    const selector = `lrlab-figure[name="${name}"]`;
    // 1. While it computes its first frame.
    await page.evaluate((name) => {
      window.__removedAfter = undefined;
      const el = document.createElement('lrlab-figure');
      el.setAttribute('name', name);
      window.__removeOnRequest = el;
      document.getElementById('embed').replaceChildren(el);
    }, name);
    const start = await page.evaluate(drain, LINGER_MS);
    assertClean(`${name}, removed while starting`, start);

    // 2. Drawn and idle, then its main control moves and it is removed.
    await page.evaluate((name) => {
      window.__removedAfter = undefined;
      const el = document.createElement('lrlab-figure');
      el.setAttribute('name', name);
      document.getElementById('embed').replaceChildren(el);
    }, name);
    await figureReady(page, selector);
    await page.evaluate(async () => {
      const { getEngine } = await import('/src/engine/engine.js');
      while ((await getEngine().stats()).pending > 0) await new Promise((r) => setTimeout(r, 10));
    });
    const moved = await page.$eval(selector, (el, control) => {
      const input = el.shadowRoot.querySelector(control);
      if (!input) return false;
      const [min, max] = [Number(input.min), Number(input.max)];
      window.__removeOnRequest = el;
      input.value = String(Number(input.value) > (min + max) / 2 ? min + 0.3 * (max - min) : min + 0.7 * (max - min));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    }, MAIN_CONTROLS[name]);
    assert.ok(moved, `${name}: no control ${MAIN_CONTROLS[name]}`);
    const input = await page.evaluate(drain, LINGER_MS);
    assertClean(`${name}, removed after an input`, input);
    report.push(`${name}: after removal ${start.afterRemoval.length} (starting) / ${input.afterRemoval.length} (after an input)`);
  }
  t.diagnostic(`requests sent after removal: ${report.join('; ')}`);
  assert.deepEqual(problems, []);
});

test('a long computation stops in the Worker, between two pieces, when its figure is removed', async () => {
  // A lab run of seconds (an MLP of 128 hidden units, 3000 steps), removed
  // while the Worker computes it.
  const run = { problem: { name: 'mlp', hidden: 128 }, optimizer: { name: 'sgd', lr: 0.05 }, steps: 3000, batch_size: 64, seed: 0 };
  const { page, problems } = await openPage(browser, `/embed.html?figure=lab&config=${encodeURIComponent(JSON.stringify(run))}`);
  const seen = await page.evaluate(async () => {
    const { getEngine } = await import('/src/engine/engine.js');
    const engine = getEngine();
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    let stats = await engine.stats();
    for (let i = 0; stats.active < 1 || stats.pieces < 3; i++) {
      if (i > 2000) throw new Error(`the run never started: ${JSON.stringify(stats)}`);
      await sleep(10);
      stats = await engine.stats();
    }
    const atRemoval = stats.pieces;
    document.querySelector('lrlab-figure').remove();
    for (let i = 0; stats.active > 0; i++) {
      if (i > 2000) throw new Error(`the run went on: ${JSON.stringify(stats)}`);
      await sleep(5);
      stats = await engine.stats();
    }
    return { atRemoval, afterwards: stats.pieces - atRemoval, stats };
  });
  // Uncancelled, the run would go on for hundreds of pieces; it stopped at the next check.
  assert.ok(seen.afterwards <= 3, `${seen.afterwards} pieces after the figure was removed`);
  assert.ok(seen.stats.workers >= 1, `${seen.stats.workers} Workers`);
  assert.deepEqual(leftOver(seen.stats), { pending: 0, sessions: 0, active: 0 });
  assert.deepEqual(problems, []);
});

