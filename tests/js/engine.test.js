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
const core = createCore(module);

function runCli(config) {
  return JSON.parse(execFileSync(CLI, ['run', '-'], { input: JSON.stringify(config) }).toString());
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
};

for (const [name, config] of Object.entries(CONFIGS)) {
  test(`WASM result equals the native CLI's: ${name}`, () => {
    const native = runCli(config);
    const wasm = core.runJson(config);
    assert.deepEqual(wasm, native);
    // The typed-array path carries the same numbers.
    const typed = core.run(config);
    assert.deepEqual(Array.from(typed.loss, (v) => (Number.isFinite(v) ? v : null)), native.loss);
    assert.deepEqual(Array.from(typed.lr), native.lr);
    assert.equal(typed.divergedAt, native.diverged_at);
    assert.deepEqual(Array.from(typed.valSteps), native.val_steps);
  });
}

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
