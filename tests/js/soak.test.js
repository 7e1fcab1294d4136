// A soak of the WASM engine: 10 000 create/run/destroy cycles of a run on
// the quadratic and of a session on the digits MLP (the page's two kinds of
// work), plus sweeps, range tests, grids and refused configs in between. The
// module's memory must not grow after the first cycles have warmed it up
// (WebAssembly memory never shrinks, so a leak shows as growth), and every
// session must be closed at the end. README "Reliability" quotes the numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../util/core.js';

const { module, core } = await loadCore();
const CYCLES = 10_000;

const quadratic = { problem: { name: 'quadratic', diag: [1, 10] }, optimizer: { name: 'adam', lr: 0.1 }, steps: 50 };
const mlp = { problem: { name: 'mlp', hidden: 16 }, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, steps: 2, batch_size: 16, eval_every: 1, plateau: { patience: 0 } };
const bad = { problem: { name: 'quadratic', diag: [-1] }, optimizer: { name: 'sgd', lr: -1 } };

function cycle(i) {
  core.run(quadratic);
  const id = core.openSession(mlp);
  core.advance(id, 1);
  core.advance(id, 1);
  core.closeSession(id);
  try {
    core.run(bad);
  } catch {
    // refused, as it must be
  }
  if (i % 100 === 0) {
    core.sweep({ ...quadratic, sweep: { num: 5 } });
    core.rangeTest({ problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd' }, range_test: { steps: 20 } });
    core.grid({ problem: { name: 'rosenbrock' }, grid: { x: [-2, 2], y: [-1, 3], nx: 20, ny: 20 } });
  }
}

test(`soak: ${CYCLES} create/run/destroy cycles leave the WASM heap as it was after warm-up`, async (t) => {
  await core.prepare(mlp);
  for (let i = 0; i < 200; i++) cycle(i);  // warm-up: the allocator reaches its working size
  const warm = module.HEAPU8.length;
  const started = performance.now();
  for (let i = 0; i < CYCLES; i++) cycle(i);
  const seconds = (performance.now() - started) / 1000;
  const grown = module.HEAPU8.length - warm;
  t.diagnostic(`heap ${warm} bytes after warm-up, ${module.HEAPU8.length} after ${CYCLES} cycles (growth ${grown}); ${seconds.toFixed(1)} s`);
  assert.equal(grown, 0, `the heap grew by ${grown} bytes over ${CYCLES} cycles`);
  assert.equal(core.openSessions(), 0);
});
