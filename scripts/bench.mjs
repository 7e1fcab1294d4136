// npm run bench — one table of speed ratios from one run:
//   * lrlab natively (g++ -O3, plain x86-64 = SSE2 128-bit vectors)
//   * lrlab as WebAssembly under Node (the module the page uses: -O3, SIMD128)
//   * TensorFlow.js 4 (@tensorflow/tfjs) with its cpu and wasm backends, same workloads
// Workloads: one Adam step on n parameters (ns per parameter), one SGD-momentum
// step, and one training step of the digits MLP (64 → H → 10, batch 32,
// forward + backward + Adam), in µs. lrlab computes in float64, TensorFlow.js
// in float32 (half the bytes moved), so the comparison flatters tfjs slightly.
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

function lrlab(command, args) {
  const out = execFileSync(command, args, { cwd: ROOT, maxBuffer: 1 << 24 }).toString();
  const rows = parseLines(out);
  const result = {};
  for (const r of rows) {
    if (r.case === 'mlp_step') result[`mlp_step/${r.hidden}`] = r.us_per_step;
    else result[`${r.case}/${r.params}`] = r.ns_per_param;
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
