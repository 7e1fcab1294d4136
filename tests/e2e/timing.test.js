// Input-to-frame timing of the sweep figures (~100 engine runs per sweep) in
// headless Chromium. A drag is simulated as 20 `input` events on the steps
// slider, one per animation frame; for every event we measure the time to
// the next `lrlab-drawn` event, to the next animation frame after it (when
// the browser can paint it), and to the first frame showing that value or a
// later one (with latestOnly some values are skipped). Medians and 90th
// percentiles are printed: these are measurements on a shared machine, not
// pass/fail thresholds. The only assertion is that every drag ends with its
// final value drawn at full resolution.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mountFigure, startBrowser } from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const INPUTS = 20;

// In the page: drags `control` through `values`, one input per frame, then
// waits until the figure shows the last value (`prop`, read from the figure
// and its data-* attributes) with the full 101-point sweep.
async function drag(page, name, control, prop, values) {
  return page.evaluate(async ({ name, control, prop, values }) => {
    const host = document.querySelector(`lrlab-figure[name="${name}"]`);
    const c = host.shadowRoot.querySelector('.lr-figure');
    const input = c.querySelector(control);
    const drawn = [];
    const frames = [];
    const inputs = [];
    const onDrawn = () => drawn.push({
      t: performance.now(), value: Number(c.dataset[prop]), num: Number(c.dataset.num),
      computeMs: Number(c.dataset.computeMs), drawMs: Number(c.dataset.drawMs),
    });
    host.addEventListener('lrlab-drawn', onDrawn);
    let running = true;
    const loop = () => {
      frames.push(performance.now());
      if (running) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    for (const v of values) {
      await new Promise((resolve) => requestAnimationFrame(() => {
        input.value = String(v);
        const t = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        inputs.push({ t, value: Number(host.figure[prop]) });
        resolve();
      }));
    }
    const want = inputs[inputs.length - 1].value;
    const start = performance.now();
    await new Promise((resolve, reject) => {
      const check = () => {
        if (Number(c.dataset[prop]) === want && c.dataset.num === '101' && drawn.length) resolve();
        else if (performance.now() - start > 60000) reject(new Error(`did not settle: ${JSON.stringify(c.dataset)}`));
        else setTimeout(check, 10);
      };
      check();
    });
    await new Promise((r) => requestAnimationFrame(r));
    running = false;
    host.removeEventListener('lrlab-drawn', onDrawn);
    return { inputs, drawn, frames, want, dataset: { ...c.dataset } };
  }, { name, control, prop, values });
}

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// Per input event: ms to the next drawn event, to the frame after it, and
// to the first drawn event reflecting that input (or a later one).
function measure({ inputs, drawn, frames }, sweepDrag = true) {
  const toDrawn = [];
  const toFrame = [];
  const toValue = [];
  inputs.forEach(({ t }, i) => {
    const next = drawn.find((d) => d.t > t);
    if (!next) return;
    toDrawn.push(next.t - t);
    const frame = frames.find((ft) => ft > next.t);
    if (frame !== undefined) toFrame.push(frame - t);
    const own = drawn.find((d) => d.t > t && inputs.findIndex((x) => x.value === d.value) >= i);
    if (own) toValue.push(own.t - t);
  });
  const duringDrag = drawn.filter((d) => d.t <= inputs[inputs.length - 1].t + 1000 && d.num !== undefined);
  const stat = (a) => `${percentile(a, 0.5).toFixed(1)} / ${percentile(a, 0.9).toFixed(1)}`;
  return {
    'input→drawn ms (median / p90)': stat(toDrawn),
    'input→next frame ms': stat(toFrame),
    'input→its value drawn ms': stat(toValue),
    'frames drawn / inputs': `${drawn.length} / ${inputs.length}`,
    'η values while dragging': [...new Set(duringDrag.map((d) => d.num))].join(','),
    'compute ms (median)': percentile(drawn.map((d) => d.computeMs), 0.5).toFixed(1),
    'draw ms (median)': percentile(drawn.map((d) => d.drawMs), 0.5).toFixed(2),
    'full sweep compute ms': sweepDrag ? drawn.filter((d) => d.num === 101).map((d) => d.computeMs.toFixed(1)).pop() ?? '—' : '— (run only)',
  };
}

const CASES = [
  ['lr-sweep', 'quadratic'],
  ['lr-sweep', 'rosenbrock'],
  ['lr-sweep', 'logistic_regression'],
  ['robustness', 'quadratic'],
  ['robustness', 'logistic_regression'],
];

const rows = [];
after(() => {
  console.log('\nInput-to-frame timing (20 inputs, one per frame; ms):');
  console.table(Object.fromEntries(rows));
});

for (const [name, problem] of CASES) {
  test(`timing: ${name} on ${problem}, dragging the steps slider`, async (t) => {
    const { page } = await mountFigure(browser, name, { problem });
    const values = Array.from({ length: INPUTS }, (_, i) => 110 + 10 * i);
    const result = await drag(page, name, 'input[name=steps]', 'steps', values);
    assert.equal(result.want, values[values.length - 1]);
    assert.equal(result.dataset.steps, String(values[values.length - 1]), 'the drag ends with its final value drawn');
    assert.equal(result.dataset.num, '101', 'at full resolution');
    const m = measure(result);
    rows.push([`${name} ${problem} (N)`, m]);
    t.diagnostic(JSON.stringify(m));
  });
}

// η in lr-sweep recomputes only the run.
for (const problem of ['quadratic', 'logistic_regression']) {
  test(`timing: lr-sweep on ${problem}, dragging the η slider`, async (t) => {
    const { page } = await mountFigure(browser, 'lr-sweep', { problem });
    const values = Array.from({ length: INPUTS }, (_, i) => 300 + 20 * i);
    const result = await drag(page, 'lr-sweep', 'input[name=lr]', 'lr', values);
    assert.equal(result.dataset.lr, String(result.want), 'the drag ends with its final value drawn');
    const m = measure(result, false);
    rows.push([`lr-sweep ${problem} (η)`, m]);
    t.diagnostic(JSON.stringify(m));
  });
}

// What the environment costs on its own: the median round trip of a trivial
// engine call (page → Worker → page) and of one full 101-η sweep per problem,
// called back to back from the page, without any drawing.
test('timing: engine round trip and sweep compute alone', async (t) => {
  const { page } = await mountFigure(browser, 'lr-sweep');
  const result = await page.evaluate(async () => {
    const { getEngine } = await import('/src/engine/engine.js');
    const { sweepConfig, OPTIMIZER_IDS } = await import('/src/model/sweeps.js');
    const engine = getEngine();
    const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const time = async (fn, n) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await fn(i);
        out.push(performance.now() - t0);
      }
      return median(out).toFixed(1);
    };
    const rows = { 'engine round trip (2-point grid)': await time(() => engine.grid({ problem: { name: 'quadratic', diag: [1], x0: [1] }, grid: { x: [-1, 1], nx: 2 } }), 20) };
    for (const p of ['quadratic', 'rosenbrock', 'logistic_regression']) {
      // A different N each time, so that no result comes from a cache.
      rows[`${p}: one sweep, 101 η × 100 steps`] = await time((i) => engine.sweep(sweepConfig(p, 'sgd', 100 + i, 101)), 7);
      rows[`${p}: five sweeps (robustness)`] = await time((i) => Promise.all(OPTIMIZER_IDS.map((o) => engine.sweep(sweepConfig(p, o, 200 + i, 101)))), 3);
      rows[`${p}: one sweep, 11 η × 100 steps`] = await time((i) => engine.sweep(sweepConfig(p, 'sgd', 300 + i, 11)), 7);
    }
    return rows;
  });
  console.log('\nEngine alone (median ms):');
  console.table(result);
  t.diagnostic(JSON.stringify(result));
});
