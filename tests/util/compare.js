// Comparing results from the WASM engine with the native CLI's JSON.
import assert from 'node:assert/strict';

// Deep comparison with a relative tolerance for non-integers; integers,
// nulls, strings and shapes must match exactly.
export function assertClose(actual, expected, tolerance, where = 'result') {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected) && Number.isInteger(actual) && Math.abs(expected) < 2 ** 31) {
      assert.equal(actual, expected, where);
    }
    const scale = Math.max(Math.abs(expected), Math.abs(actual), 1e-300);
    assert.ok(Math.abs(actual - expected) <= tolerance * scale, `${where}: ${actual} vs ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: length ${actual?.length} vs ${expected.length}`);
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

// engine.run's typed-array result (made plain: arrays, non-finite → null)
// in the CLI's `lrlab run` JSON layout, for the fields both have.
export function runResultAsCliJson(r) {
  const out = {
    steps: r.steps,
    loss: r.loss,
    lr: r.lr,
    grad_norm: r.gradNorm,
    val_steps: r.valSteps,
    val_loss: r.valLoss,
    diverged_at: r.divergedAt,
  };
  if (r.sharpness) out.sharpness = r.sharpness;  // {steps, values}, as the CLI writes it
  if (r.params && r.params.length) {
    const rows = [];
    for (let i = 0; i < r.params.length; i += r.dim) rows.push(r.params.slice(i, i + r.dim));
    out.params = rows;
  }
  return out;
}
