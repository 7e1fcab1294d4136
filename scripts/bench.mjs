// npm run bench — one table of speed ratios from one run:
//   * lrlab natively (g++ -O3, plain x86-64 = SSE2 128-bit vectors)
//   * lrlab as WebAssembly under Node (the module the page uses: -O3, SIMD128)
//   * TensorFlow.js 4 (@tensorflow/tfjs) with its cpu and wasm backends, same workloads
// Workloads: one Adam step on n parameters (ns per parameter), one SGD-momentum
// step, and one training step of the digits MLP (64 → H → 10, batch 32,
// forward + backward + Adam), in µs. lrlab computes in float64, TensorFlow.js
// in float32 (half the bytes moved), so the comparison flatters tfjs slightly.
// Under it, lrlab's own yardsticks (lrlab_bench): its steps against the same
// updates written by hand in SSE2 intrinsics, and their GB/s against memcpy's.
//
// Then a second table, from the page in headless Chromium (started as the
// browser tests start it, tests/e2e/browser.js): for every figure alone on
// embed.html, a drag of its main control (browser.js MAIN_CONTROLS) — 20
// `input` events, 10 with --quick, one per animation frame — and the time
// from each event to the figure's next drawn frame ("lrlab-drawn", or
// "lrlab-partial" for a run still computing), to its next finished result,
// and to the animation frame after the next drawn one (when the browser can
// paint it), median and 95th percentile; each drag with the page's pool of
// Workers and with another size. Without --quick also the sweep figures on
// their other problems, an η drag, and the engine alone (page → Worker →
// page, no drawing).
//
// Last, the first view of the built site (scripts/bench-first-view.mjs): bytes
// and requests of a cold load, and the times to the opening figure live and
// to the first figure drawn.
//
//   node scripts/bench.mjs [--quick]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const MIN_SECONDS = QUICK ? 0.02 : 0.25;
const DIGITS = path.join(ROOT, 'web/data/digits.bin');
const SIZES = [1e3, 1e4, 1e5, 1e6];
const HIDDEN = [32, 64];
const BATCH = 32;

function parseLines(text) {
  return text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

// Timings by key ("adam_step/1000", "mlp_step/32"), plus bytesPerParam by
// step name and copyGBs (copy bandwidth by bytes per array) when lrlab_bench
// printed them.
function lrlab(command, args) {
  const out = execFileSync(command, args, { cwd: ROOT, maxBuffer: 1 << 24 }).toString();
  const rows = parseLines(out);
  const result = { bytesPerParam: {} };
  for (const r of rows) {
    if (r.case === 'mlp_step') result[`mlp_step/${r.hidden}`] = r.us_per_step;
    else if (r.case === 'copy') result.copyGBs = { ...result.copyGBs, [r.bytes]: r.gb_per_s };
    else {
      result[`${r.case}/${r.params}`] = r.ns_per_param;
      if (r.bytes_per_param) result.bytesPerParam[r.case] = r.bytes_per_param;
    }
  }
  return result;
}

// Seconds per call, best of three batches after a warm-up (as lrlab_bench).
async function timePerCall(work) {
  for (let i = 0; i < 3; i++) await work();
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await work();
    if ((performance.now() - start) / 1000 >= MIN_SECONDS) break;
    calls *= 2;
  }
  let best = Infinity;
  for (let b = 0; b < 3; b++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await work();
    best = Math.min(best, (performance.now() - start) / 1000 / calls);
  }
  return best;
}

async function tfjs(backend) {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  }
  await tf.setBackend(backend);
  await tf.ready();
  const result = {};
  for (const n of SIZES) {
    for (const [name, make] of [['adam_step', () => tf.train.adam(1e-9)], ['sgd_momentum_step', () => tf.train.momentum(1e-9, 0.9)]]) {
      const opt = make();
      const v = tf.variable(tf.randomNormal([n]), true, `v${name}${n}`);
      const g = tf.mul(tf.randomNormal([n]), 1e-3);
      const seconds = await timePerCall(() => {
        opt.applyGradients({ [v.name]: g });
        v.dataSync();  // make sure the step has really run
      });
      result[`${name}/${n}`] = (seconds * 1e9) / n;
      opt.dispose();
      v.dispose();
      g.dispose();
    }
  }
  for (const hidden of HIDDEN) {
    const w1 = tf.variable(tf.randomUniform([64, hidden], -0.125, 0.125));
    const b1 = tf.variable(tf.zeros([hidden]));
    const w2 = tf.variable(tf.randomUniform([hidden, 10], -0.1, 0.1));
    const b2 = tf.variable(tf.zeros([10]));
    const x = tf.randomUniform([BATCH, 64]);
    const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10);
    const opt = tf.train.adam(1e-3);
    const seconds = await timePerCall(() => {
      const loss = opt.minimize(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
        return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h, w2), b2));
      }, true);
      loss.dataSync();
      loss.dispose();
    });
    result[`mlp_step/${hidden}`] = seconds * 1e6;
    for (const t of [w1, b1, w2, b2, x, y]) t.dispose();
    opt.dispose();
  }
  return result;
}

const quick = QUICK ? ['--quick'] : [];
console.error('timing lrlab natively …');
const native = lrlab(path.join(ROOT, 'build/native/lrlab_bench'), [DIGITS, ...quick]);
console.error('timing lrlab WebAssembly under Node …');
const wasm = lrlab(process.execPath, [path.join(ROOT, 'build/wasm/lrlab_bench.cjs'), DIGITS, ...quick]);
console.error('timing TensorFlow.js (cpu backend) …');
const tfCpu = await tfjs('cpu');
console.error('timing TensorFlow.js (wasm backend) …');
const tfWasm = await tfjs('wasm');

const rows = [];
for (const n of SIZES) {
  rows.push([`Adam step, ${n.toExponential(0).replace('+', '')} params`, 'ns/param', `adam_step/${n}`]);
}
for (const n of SIZES) {
  rows.push([`SGD-momentum step, ${n.toExponential(0).replace('+', '')} params`, 'ns/param', `sgd_momentum_step/${n}`]);
}
for (const h of HIDDEN) rows.push([`digits MLP step, H=${h}, batch ${BATCH}`, 'µs/step', `mlp_step/${h}`]);

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const header = '| workload | unit | native | WASM | tfjs cpu | tfjs wasm | WASM / native | tfjs wasm / WASM | tfjs cpu / WASM |';
console.log(header);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [label, unit, key] of rows) {
  console.log(`| ${label} | ${unit} | ${fmt(native[key])} | ${fmt(wasm[key])} | ${fmt(tfCpu[key])} | ${fmt(tfWasm[key])} | ${ratio(wasm[key], native[key])} | ${ratio(tfWasm[key], wasm[key])} | ${ratio(tfCpu[key], wasm[key])} |`);
}

// --- lrlab against the machine: the hand-written SSE2 loops and the copy bandwidth ----
// A build without SSE2 prints no hand_* lines; their cells are then "—".
const cell = (v) => (Number.isFinite(v) ? fmt(v) : '—');
const cellRatio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? ratio(a, b) : '—');
const STEPS = [['Adam', 'adam_step'], ['SGD-momentum', 'sgd_momentum_step']];
console.log('\nlrlab\'s step against the same update written by hand in SSE2 intrinsics (ns/param; WASM runs the hand loop through Emscripten\'s emmintrin.h)\n');
console.log('| step | params | native | hand SSE2 | native / hand | WASM | WASM hand | WASM / WASM hand | WASM / native hand |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [label, name] of STEPS) {
  for (const n of SIZES) {
    const [a, h, w, wh] = [native[`${name}/${n}`], native[`hand_${name}/${n}`], wasm[`${name}/${n}`], wasm[`hand_${name}/${n}`]];
    console.log(`| ${label} | ${n.toExponential(0).replace('+', '')} | ${cell(a)} | ${cell(h)} | ${cellRatio(a, h)} | ${cell(w)} | ${cell(wh)} | ${cellRatio(w, wh)} | ${cellRatio(w, h)} |`);
  }
}
// Bytes per ns is GB/s. A step's "/ bound" is its time over the time its
// bytes take at a copy's bandwidth (the copy's GB/s over the step's): below
// 1× it moved its bytes faster than memcpy moves a copy's.
const mem = native.copyGBs?.[256 * 2 ** 20];
const llc = native.copyGBs?.[16 * 2 ** 20];
console.log(`\nAgainst memory bandwidth. memcpy, counted as 16 bytes per element: ${cell(mem)} GB/s natively (${cell(wasm.copyGBs?.[256 * 2 ** 20])} in WASM) with two 256 MiB arrays, main memory; ${cell(llc)} GB/s (${cell(wasm.copyGBs?.[16 * 2 ** 20])}) with two 16 MiB arrays, about Adam's footprint at 1e6 params. A step's bytes/param: each array it reads (x, g, its state) and each it writes, once.\n`);
console.log('| step | params | bytes/param | bound: copy of | native GB/s | native / bound | hand SSE2 GB/s | hand / bound | WASM GB/s | WASM / bound |');
console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|');
for (const [label, name] of STEPS) {
  const bytes = native.bytesPerParam[name];
  for (const [n, copy, copyLabel] of [[1e6, mem, '2 × 256 MiB'], [1e6, llc, '2 × 16 MiB'], [1e7, mem, '2 × 256 MiB']]) {
    const [a, h, w] = [native[`${name}/${n}`], native[`hand_${name}/${n}`], wasm[`${name}/${n}`]].map((t) => bytes / t);
    console.log(`| ${label} | ${n.toExponential(0).replace('+', '')} | ${bytes} | ${copyLabel} | ${cell(a)} | ${cellRatio(copy, a)} | ${cell(h)} | ${cellRatio(copy, h)} | ${cell(w)} | ${cellRatio(copy, w)} |`);
  }
}

// --- the page: input → frame in headless Chromium ------------------------------------
const INPUTS = QUICK ? 10 : 20;

// In the page: drags `control` of the figure `name` by 1 % of its range per
// animation frame, `inputs` times, away from the nearer end (once the pool of
// Workers is warm); then waits until the engine is idle and nothing was drawn
// for 300 ms. Returns, per input,
// the ms to the next drawn frame and to the animation frame after that.
async function dragInPage({ name, control, inputs }) {
  const host = document.querySelector(`lrlab-figure[name="${name}"]`);
  const input = host.shadowRoot.querySelector(control);
  if (!input) throw new Error(`${name}: no control ${control}`);
  const { getEngine, poolSize } = await import('/src/engine/engine.js');
  // A reader's drag starts after the pool has warmed up (its Workers start,
  // with the figure's data, in idle time after the first draw).
  for (let s = await getEngine().stats(); s.workers < poolSize() || s.pending > 0; s = await getEngine().stats()) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const [min, max, from] = [Number(input.min), Number(input.max), Number(input.value)];
  const step = Number(input.step) || 1;
  const delta = Math.max(step, Math.round((0.01 * (max - min)) / step) * step) * (from < (min + max) / 2 ? 1 : -1);
  // Frames of settled results ("lrlab-drawn"), and any frame at all: those
  // and the frames of runs still computing ("lrlab-partial").
  const drawn = [];
  const any = [];
  const frames = [];
  const onDrawn = (e) => { drawn.push(e.detail.time); any.push(e.detail.time); };
  const onPartial = (e) => any.push(e.detail.time);
  host.addEventListener('lrlab-drawn', onDrawn);
  host.addEventListener('lrlab-partial', onPartial);
  let looping = true;
  const loop = (t) => {
    frames.push(t);
    if (looping) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  const sent = [];
  for (let i = 1; i <= inputs; i++) {
    await new Promise((resolve) => requestAnimationFrame(() => {
      input.value = String(from + delta * i);
      sent.push(performance.now());
      input.dispatchEvent(new Event('input', { bubbles: true }));
      resolve();
    }));
  }
  let quietSince = performance.now();
  let seen = any.length;
  for (;;) {
    const { pending } = await getEngine().stats();
    if (pending > 0 || any.length !== seen) {
      seen = any.length;
      quietSince = performance.now();
    } else if (performance.now() - quietSince > 300) {
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  looping = false;
  host.removeEventListener('lrlab-drawn', onDrawn);
  host.removeEventListener('lrlab-partial', onPartial);
  const toDrawn = [];
  const toComplete = [];
  const toPaint = [];
  for (const t of sent) {
    const d = any.find((x) => x >= t);
    if (d === undefined) continue;
    toDrawn.push(d - t);
    const c = drawn.find((x) => x >= t);
    if (c !== undefined) toComplete.push(c - t);
    const f = frames.find((x) => x > d);
    if (f !== undefined) toPaint.push(f - t);
  }
  return { toDrawn, toComplete, toPaint, frames: drawn.length, partials: any.length - drawn.length, inputs };
}

// In the page: the engine alone, called back to back (median ms).
async function engineInPage() {
  const { getEngine } = await import('/src/engine/engine.js');
  const { OPTIMIZER_IDS, sweepConfig } = await import('/src/model/sweeps.js');
  const engine = getEngine();
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const time = async (n, work) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await work(i);
      out.push(performance.now() - t0);
    }
    return median(out);
  };
  const rows = [['engine round trip (a 2-point grid)', await time(20, () => engine.grid({ problem: { name: 'quadratic', diag: [1], x0: [1] }, grid: { x: [-1, 1], nx: 2 } }))]];
  for (const p of ['quadratic', 'rosenbrock', 'logistic_regression']) {
    // A different N each time: no result can come from a cache.
    rows.push([`${p}: one sweep, 101 η × 100 steps`, await time(7, (i) => engine.sweep(sweepConfig(p, 'sgd', 100 + i, 101)))]);
    rows.push([`${p}: the five sweeps of robustness`, await time(3, (i) => Promise.all(OPTIMIZER_IDS.map((o) => engine.sweep(sweepConfig(p, o, 200 + i, 101)))))]);
  }
  return rows;
}

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function browserTimes() {
  const { MAIN_CONTROLS, mountFigure, startBrowser } = await import('../tests/e2e/browser.js');
  const cases = Object.entries(MAIN_CONTROLS).map(([name, control]) => ({ name, control, attrs: {}, label: name }));
  if (!QUICK) {
    for (const problem of ['rosenbrock', 'logistic_regression']) cases.push({ name: 'lr-sweep', control: MAIN_CONTROLS['lr-sweep'], attrs: { problem }, label: `lr-sweep, ${problem}` });
    cases.push({ name: 'robustness', control: MAIN_CONTROLS.robustness, attrs: { problem: 'logistic_regression' }, label: 'robustness, logistic_regression' });
    for (const problem of ['quadratic', 'logistic_regression']) cases.push({ name: 'lr-sweep', control: 'input[name=lr]', attrs: { problem }, label: `lr-sweep, ${problem}, η (the run only)` });
  }
  const browser = await startBrowser();
  const rows = [];
  let engine = null;
  let pool = null;
  // Each drag twice: with the engine's pool of Workers as the page sizes it,
  // and with another size (LRLAB_WORKERS): one Worker, or two where the
  // page's pool has one (a 2-core machine).
  const drag = async (c, workers) => {
    const { page, problems } = await mountFigure(browser, c.name, c.attrs, { workers });
    const r = await page.evaluate(dragInPage, { name: c.name, control: c.control, inputs: INPUTS });
    if (problems.length) throw new Error(`${c.label}: ${problems.join('; ')}`);
    if (workers === undefined) pool ??= await page.evaluate(async () => (await import('/src/engine/engine.js')).poolSize());
    await page.close();
    return r;
  };
  try {
    for (const c of cases) {
      const own = await drag(c);
      rows.push({ ...c, ...own, other: await drag(c, pool === 1 ? 2 : 1) });
    }
    if (!QUICK) {
      const { page } = await mountFigure(browser, 'one-step');
      engine = await page.evaluate(engineInPage);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { rows, engine, pool, other: pool === 1 ? 2 : 1 };
}

console.error('timing input → frame in headless Chromium …');
let chromium = null;
try {
  chromium = await browserTimes();
} catch (err) {
  console.error(`the browser section could not run: ${err.message}`);
}
if (chromium) {
  const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : '—');
  const stat = (a) => `${ms(percentile(a, 0.5))} / ${ms(percentile(a, 0.95))}`;
  const workers = (n) => `${n} Worker${n === 1 ? '' : 's'}`;
  console.log(`\nInput → frame in headless Chromium: a drag of ${INPUTS} inputs, one per animation frame (ms, median / p95), with the page's pool (${workers(chromium.pool)}) and with ${workers(chromium.other)}; "drawn" is the next frame (of a run still computing, or complete), "complete" the next frame of a finished result\n`);
  const head = (w) => `→ drawn, ${w} | → complete, ${w} | → painted, ${w} | frames (+ partial) / inputs, ${w}`;
  console.log(`| figure | control | ${head(`${workers(chromium.pool)} (the pool)`)} | ${head(workers(chromium.other))} |`);
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cells = (r) => `${stat(r.toDrawn)} | ${stat(r.toComplete)} | ${stat(r.toPaint)} | ${r.frames}${r.partials ? ` (+ ${r.partials})` : ''} / ${r.inputs}`;
  for (const r of chromium.rows) console.log(`| ${r.label} | \`${r.control}\` | ${cells(r)} | ${cells(r.other)} |`);
  if (chromium.engine) {
    console.log('\nThe engine alone, from the page, back to back (median ms)\n');
    console.log('| call | ms |');
    console.log('|---|---:|');
    for (const [label, v] of chromium.engine) console.log(`| ${label} | ${ms(v)} |`);
  }
}

console.error('building dist/ and measuring the first view …');
try {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-dist.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const { firstView, firstViewTable } = await import('./bench-first-view.mjs');
  console.log(`\n${firstViewTable(await firstView({ runs: QUICK ? 1 : 5 }))}`);
} catch (err) {
  console.error(`the first-view section could not run: ${err.message}`);
}
