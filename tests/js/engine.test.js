// The JS engine API over the WASM module, in Node: results, errors, sessions,
// and agreement with the native CLI on the same config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../web/src/engine/core.js';
import { assertClose } from '../util/compare.js';
import { ROOT, loadCore } from '../util/core.js';

const CLI = path.join(ROOT, 'build/native/lrlab');
const { module, core } = await loadCore();

function runCli(config, command = 'run') {
  return JSON.parse(execFileSync(CLI, [command, '-'], { input: JSON.stringify(config) }).toString());
}

// Native (glibc) and WASM (musl) differ in the last bit of some libm results
// (cos, exp, tanh, pow), so runs through those agree to rounding, not bit for
// bit; runs that need no libm (the quadratic, the saddle; gradient noise and
// rotation use the core's portable arithmetic) are compared exactly.
const EXACT = new Set([
  'gradient descent, 2-D diagonal quadratic', 'nesterov momentum with weight decay, dense quadratic', 'a run that diverges',
  'noisy rmsprop on a rotated quadratic, effective lr', 'noisy momentum leaving a saddle, effective lr',
]);

const orNull = (v) => (Number.isFinite(v) ? v : null);

// The typed-array plateau columns against the JSON result's plateau field.
function assertPlateauMatches(typed, json) {
  if (!json) {
    assert.equal(typed, null);
    return;
  }
  assert.ok(typed.best instanceof Float64Array && typed.reducedAt instanceof Int32Array);
  assert.deepEqual(Array.from(typed.best, orNull), json.best);
  assert.deepEqual(Array.from(typed.numBad), json.num_bad);
  assert.deepEqual(Array.from(typed.cooldown), json.cooldown);
  assert.deepEqual(Array.from(typed.multiplier), json.multiplier);
  assert.deepEqual(Array.from(typed.reducedAt), json.reduced_at);
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
  'noisy rmsprop on a rotated quadratic, effective lr': {
    problem: { name: 'quadratic', diag: [1, 50], rotation: 30, x0: [1, 1] },
    optimizer: { name: 'rmsprop', lr: 0.01, centered: true },
    gradient_noise: 0.5, seed: 4, steps: 80, record: { effective_lr: true },
  },
  'noisy momentum leaving a saddle, effective lr': {
    problem: { name: 'saddle', a: 2 },
    optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 },
    schedule: { name: 'step', step_size: 30, gamma: 0.5 },
    gradient_noise: 0.05, seed: 9, steps: 100, record: { effective_lr: true },
  },
  'full-batch GD on the digits MLP, sharpness every 10 steps': {
    problem: { name: 'mlp', hidden: 8 },
    optimizer: { name: 'sgd', lr: 0.1 },
    steps: 40, batch_size: 1437, eval_every: 10, record: { sharpness: { every: 10, iterations: 15 } },
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
    assert.deepEqual(Array.from(typed.effectiveLr, orNull), (wasm.effective_lr ?? []).flat());
    assertPlateauMatches(typed.plateau, wasm.plateau);
    if (config.record?.sharpness) {
      assert.deepEqual({ steps: Array.from(typed.sharpness.steps), values: Array.from(typed.sharpness.values) }, wasm.sharpness);
      assert.ok(wasm.sharpness.values.length > 0 && wasm.sharpness.values.every((v) => v > 0), 'sharpness recorded');
    } else {
      assert.equal(typed.sharpness, null);
    }
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
  // Not recorded unless asked for; no plateau controller configured.
  assert.ok(r.effectiveLr instanceof Float64Array);
  assert.equal(r.effectiveLr.length, 0);
  assert.equal(r.plateau, null);
});

test('effective lr: dim numbers per step, adam\'s first one is lr/(|g| + eps)', () => {
  const r = core.run({
    problem: { name: 'quadratic', diag: [1, 10], x0: [1, 1] }, optimizer: { name: 'adam', lr: 0.1 },
    steps: 5, record: { effective_lr: true },
  });
  assert.equal(r.effectiveLr.length, 10);
  assert.ok(Math.abs(r.effectiveLr[0] - 0.1 / (1 + 1e-8)) < 1e-15);
  assert.ok(Math.abs(r.effectiveLr[1] - 0.1 / (10 + 1e-8)) < 1e-16);
  assert.throws(
    () => core.run({ problem: { name: 'rastrigin', dim: 65 }, optimizer: { name: 'adam' }, record: { effective_lr: true } }),
    (err) => err instanceof ConfigError && /^record\.effective_lr: /.test(err.messages[0]),
  );
});

test('plateau columns grow with a session and match the JSON result', () => {
  const config = {
    problem: { name: 'quadratic', diag: [1], x0: [3] }, optimizer: { name: 'sgd', lr: 1 },
    steps: 12, eval_every: 4, plateau: { patience: 0, factor: 0.5, threshold: 0.5 },
  };
  const id = core.openSession(config);
  const early = core.advance(id, 5);
  assert.deepEqual(Array.from(early.plateau.multiplier), [1, 1]);
  const late = core.advance(id, 7);
  core.closeSession(id);
  assert.deepEqual(Array.from(late.plateau.multiplier), [1, 1, 0.5, 0.25]);
  assert.deepEqual(Array.from(late.plateau.reducedAt), [8, 12]);
  assertPlateauMatches(late.plateau, core.runJson(config).plateau);
});

test('invalid configs reject with every issue as data, by path', () => {
  assert.throws(
    () => core.run({ optimizer: { name: 'sgd', lr: -1, momentum: 3 }, steps: -5 }),
    (err) => {
      assert.ok(err instanceof ConfigError);
      // Structured by the engine (no message is parsed to find the paths).
      assert.deepEqual(err.issues, [
        { path: 'optimizer.lr', message: 'must be >= 0, got -1' },
        { path: 'optimizer.momentum', message: 'must be in [0, 1), got 3' },
        { path: 'steps', message: 'must be an integer in [0, 1000000], got -5' },
      ]);
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
  // The same report from every command, a sweep's included.
  assert.throws(() => core.sweep({ optimizer: { name: 'adam', betas: [0.9, 2] }, sweep: { num: 0 } }), (err) => {
    assert.deepEqual(err.issues.map((i) => i.path), ['sweep.num', 'optimizer.betas[1]']);
    return err instanceof ConfigError;
  });
  // A failure that is not the config's is a plain Error, not a ConfigError.
  assert.throws(() => module.registerDataset('digits', new Uint8Array([1, 2, 3])), (err) => err.name === 'Error' && !err.issues);
});

test('the schema: the engine, the native CLI and the generated file say the same', () => {
  const text = execFileSync(CLI, ['schema']).toString();
  assert.deepEqual(core.schema(), JSON.parse(text));
  assert.equal(fs.readFileSync(path.join(ROOT, 'web/src/model/schema.json'), 'utf8'), text);
  assert.deepEqual(Object.keys(core.schema()).slice(0, 3), ['schema_version', 'run', 'record']);
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
