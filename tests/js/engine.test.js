// The JS engine API over the WASM module, in Node: results, errors, sessions,
// and agreement with the native CLI on the same config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import createLrlabModule from '../../build/wasm/web/lrlab.mjs';
import { ConfigError, createCore } from '../../web/src/engine/core.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'build/native/lrlab');
const module = await createLrlabModule({ wasmBinary: fs.readFileSync(path.join(ROOT, 'build/wasm/web/lrlab.wasm')) });
const core = createCore(module, {
  loadDataset: async (name) => new Uint8Array(fs.readFileSync(path.join(ROOT, 'web/data', `${name}.bin`))),
});

function runCli(config, command = 'run') {
  return JSON.parse(execFileSync(CLI, [command, '-'], { input: JSON.stringify(config) }).toString());
}

// Native (glibc) and WASM (musl) differ in the last bit of some libm results
// (cos, exp, tanh, pow), so runs through those agree to rounding, not bit for
// bit; runs that need no libm (the quadratic) are compared exactly.
const EXACT = new Set(['gradient descent, 2-D diagonal quadratic', 'nesterov momentum with weight decay, dense quadratic', 'a run that diverges']);

// Deep comparison with a relative tolerance for non-integers; integers,
// nulls, strings and shapes must match exactly.
function assertClose(actual, expected, tolerance, where = 'result') {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected) && Number.isInteger(actual)) {
      if (Math.abs(expected) < 2 ** 31) assert.equal(actual, expected, where);
    }
    const scale = Math.max(Math.abs(expected), Math.abs(actual), 1e-300);
    assert.ok(Math.abs(actual - expected) <= tolerance * scale, `${where}: ${actual} vs ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: length`);
    expected.forEach((e, i) => assertClose(actual[i], e, tolerance, `${where}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: keys`);
    for (const k of Object.keys(expected)) assertClose(actual[k], expected[k], tolerance, `${where}.${k}`);
    return;
  }
  assert.equal(actual, expected, where);
}

const CONFIGS = {
  'gradient descent, 2-D diagonal quadratic': {
    problem: { name: 'quadratic', diag: [1, 10], x0: [1, -2] },
    optimizer: { name: 'sgd', lr: 0.15 },
    steps: 60,
  },
  'nesterov momentum with weight decay, dense quadratic': {
    problem: { name: 'quadratic', A: [[3, 1, 0], [1, 2, 0.5], [0, 0.5, 1]], b: [1, -1, 2] },
    optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 },
    steps: 200, eval_every: 7,
  },
  'a run that diverges': {
    problem: { name: 'quadratic', diag: [1, 10] },
    optimizer: { name: 'sgd', lr: 0.5 },
    steps: 100,
  },
  'adam with a cosine schedule on rosenbrock': {
    problem: { name: 'rosenbrock', x0: [-1.5, 2] },
    optimizer: { name: 'adam', lr: 0.05, amsgrad: true },
    schedule: { name: 'cosine', T_max: 300 },
    steps: 300,
  },
  'digits MLP, minibatches, one-cycle, plateau': {
    problem: { name: 'mlp', hidden: 16, activation: 'tanh' },
    optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
    schedule: { name: 'one_cycle', max_lr: 0.5, total_steps: 120 },
    plateau: { patience: 1, factor: 0.5 },
    steps: 120, batch_size: 32, eval_every: 20, seed: 3,
  },
  'logistic regression on digits with rmsprop': {
    problem: { name: 'logistic_regression', l2: 0.001 },
    optimizer: { name: 'rmsprop', lr: 0.01, centered: true },
    steps: 150, batch_size: 16, seed: 7,
  },
};

for (const [name, config] of Object.entries(CONFIGS)) {
  test(`WASM result equals the native CLI's: ${name}`, async () => {
    await core.prepare(config);
    const native = runCli(config);
    const wasm = core.runJson(config);
    if (EXACT.has(name)) assert.deepEqual(wasm, native);
    else assertClose(wasm, native, 1e-9);
    // The typed-array path carries the same numbers as the JSON one.
    const typed = core.run(config);
    assert.deepEqual(Array.from(typed.loss, (v) => (Number.isFinite(v) ? v : null)), wasm.loss);
    assert.deepEqual(Array.from(typed.lr), wasm.lr);
      assert.equal(typed.divergedAt, native.diverged_at);
    assert.deepEqual(Array.from(typed.valSteps), native.val_steps);
  });
}

test('sweeps and range tests equal the native CLI\'s', async () => {
  const sweep = {
    problem: { name: 'beale' }, optimizer: { name: 'sgd', momentum: 0.9 }, steps: 200,
    sweep: { lr_min: 1e-5, lr_max: 0.1, num: 25 },
  };
  assertClose(core.sweep(sweep), runCli(sweep, 'sweep'), 1e-9);
  const range = {
    problem: { name: 'mlp' }, optimizer: { name: 'adam' }, batch_size: 64,
    range_test: { lr_min: 1e-5, lr_max: 10, steps: 150 },
  };
  await core.prepare(range);
  const wasm = core.rangeTest(range);
  assertClose(wasm, runCli(range, 'range-test'), 1e-9);
  assert.ok(wasm.suggested_lr > 1e-5 && wasm.suggested_lr < 10);
});

test('grids equal the native CLI\'s', () => {
  const grid = { problem: { name: 'rosenbrock' }, grid: { x: [-2, 2], y: [-1, 3], nx: 40, ny: 30 } };
  assertClose(core.grid(grid), runCli(grid, 'grid'), 1e-12);
});

test('the diverging config really diverges', () => {
  const result = core.run(CONFIGS['a run that diverges']);
  assert.ok(result.divergedAt > 0 && result.divergedAt < 100);
  assert.equal(result.loss.length, result.divergedAt + 1);
});

test('result shape: loss has steps+1 entries, lr has steps, params dim per step', () => {
  const r = core.run({ problem: { name: 'quadratic', diag: [1, 10] }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 12, eval_every: 5 });
  assert.equal(r.steps, 12);
  assert.equal(r.dim, 2);
  assert.equal(r.loss.length, 13);
  assert.equal(r.lr.length, 12);
  assert.equal(r.gradNorm.length, 13);
  assert.equal(r.params.length, 26);
  assert.deepEqual(Array.from(r.valSteps), [0, 5, 10]);
  assert.equal(r.problem.lambda_max, 10);
  assert.ok(r.loss instanceof Float64Array);
});

test('invalid configs reject with every message, by path', () => {
  assert.throws(
    () => core.run({ optimizer: { name: 'sgd', lr: -1, momentum: 3 }, steps: -5 }),
    (err) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.messages, [
        'optimizer.lr: must be >= 0, got -1',
        'optimizer.momentum: must be in [0, 1), got 3',
        'steps: must be an integer in [0, 1000000], got -5',
      ]);
      return true;
    },
  );
  assert.throws(() => core.run('{"optimizer": '), (err) => err instanceof ConfigError && err.messages[0] === 'config: not valid JSON');
  assert.throws(() => core.run(null), ConfigError);
});

test('the CLI rejects the same invalid config with exit code 2 and the same messages', () => {
  const out = spawnSync(CLI, ['run', '-'], { input: JSON.stringify({ optimizer: { name: 'sgd', lr: -1, momentum: 3 }, steps: -5 }) });
  assert.equal(out.status, 2);
  assert.deepEqual(out.stderr.toString().trim().split('\n'), [
    'optimizer.lr: must be >= 0, got -1',
    'optimizer.momentum: must be in [0, 1), got 3',
    'steps: must be an integer in [0, 1000000], got -5',
  ]);
});

test('sessions resume: two advances equal one run, and closing frees the handle', () => {
  const config = { problem: { name: 'quadratic', diag: [2, 3] }, optimizer: { name: 'sgd', lr: 0.2, momentum: 0.5 }, steps: 40 };
  const whole = core.run(config);
  const id = core.openSession(config);
  core.advance(id, 15);
  const resumed = core.advance(id, 25);
  assert.deepEqual(resumed.loss, whole.loss);
  assert.deepEqual(resumed.params, whole.params);
  assert.equal(core.openSessions(), 1);
  core.closeSession(id);
  assert.equal(core.openSessions(), 0);
  assert.throws(() => core.advance(id, 1), /no open session/);
});

test('many runs do not leak WASM memory', () => {
  const config = { problem: { name: 'quadratic', diag: [1, 10] }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 500 };
  core.run(config);
  const before = module.HEAPU8.length;
  for (let i = 0; i < 2000; i++) core.run(config);
  assert.equal(module.HEAPU8.length, before);
});
