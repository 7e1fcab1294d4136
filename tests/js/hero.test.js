// The opening figure's small module (cpp/hero, web/src/engine/hero.js)
// computes gradient descent on f(x) = ½ λ x² exactly as the engine does: the
// same iterates and losses to the bit, the same step of divergence, and a
// clear refusal of input it cannot take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_STEPS, loadHero } from '../../web/src/engine/hero.js';
import { ROOT, loadCore } from '../util/core.js';

const hero = await loadHero(fs.readFileSync(path.join(ROOT, 'build/wasm/web/lrlab-hero.wasm')));
const { core } = await loadCore();

const engineRun = ({ lambda, x0, lr, steps }) => core.run({
  problem: { name: 'quadratic', diag: [lambda], x0: [x0] }, optimizer: { name: 'sgd', lr }, steps,
});

test('the same run as the engine, to the bit: converging, oscillating, at 2/λ, diverging', () => {
  const cases = [
    { lambda: 1, x0: 2, lr: 0.3, steps: 30 },
    { lambda: 1, x0: 2, lr: 1.7, steps: 40 },      // oscillates, converges
    { lambda: 1, x0: 2, lr: 2, steps: 25 },        // exactly at 2/λ: flips for ever
    { lambda: 4, x0: -1.5, lr: 0.7, steps: 200 },  // η > 2/λ: diverges
    { lambda: 0.5, x0: 1e-3, lr: 0.01, steps: 1 },
    { lambda: 3, x0: 2, lr: 5, steps: 200 },
  ];
  let diverged = 0;
  for (const c of cases) {
    const ours = hero.run(c);
    const theirs = engineRun(c);
    assert.deepEqual(Array.from(ours.loss), Array.from(theirs.loss), JSON.stringify(c));
    assert.deepEqual(Array.from(ours.x), Array.from(theirs.params), JSON.stringify(c));
    assert.equal(ours.divergedAt, theirs.divergedAt, JSON.stringify(c));
    if (ours.divergedAt !== null) diverged++;
  }
  assert.equal(diverged, 2, 'two of the cases diverge');
});

test('input it cannot take is refused with a message, never computed', () => {
  for (const bad of [
    { lambda: 0, x0: 1, lr: 0.1, steps: 10 },
    { lambda: 1, x0: NaN, lr: 0.1, steps: 10 },
    { lambda: 1, x0: 1, lr: -0.1, steps: 10 },
    { lambda: 1, x0: 1, lr: Infinity, steps: 10 },
    { lambda: 1, x0: 1, lr: 0.1, steps: 0 },
    { lambda: 1, x0: 1, lr: 0.1, steps: MAX_STEPS + 1 },
    { lambda: 1, x0: 1, lr: 0.1, steps: 2.5 },
  ]) {
    assert.throws(() => hero.run(bad), (err) => err instanceof RangeError && /λ > 0, η > 0/.test(err.message), JSON.stringify(bad));
  }
  // Still fine after refusals.
  assert.equal(hero.run({ lambda: 1, x0: 2, lr: 0.5, steps: MAX_STEPS }).x.length, MAX_STEPS + 1);
});
