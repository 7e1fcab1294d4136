// The opening figure's engine: the small WebAssembly module of cpp/hero
// (three C functions: gradient descent on f(x) = ½ λ x² with the core's
// Quadratic and Sgd), run on the page's own thread — a run of at most 200
// steps takes microseconds — so the first view loads ~10 KB, not the
// Worker engine. It computes what engine.run computes for the same problem
// to the bit (tests/js/hero.test.js).
//
//   const hero = await loadHero();          // the page: fetches its module
//   const hero = await loadHero(bytes);     // Node: the module's bytes
//   hero.run({ lambda: 1, x0: 2, lr: 0.3, steps: 30 })
//     → { x: Float64Array, loss: Float64Array, divergedAt: null | step }

export const MAX_STEPS = 200;

// The module asks for nothing but WASI's proc_exit (called only if its code
// traps on purpose, which checked input never reaches).
const IMPORTS = {
  wasi_snapshot_preview1: {
    proc_exit(code) {
      throw new Error(`the opening figure's engine stopped (code ${code})`);
    },
  },
};

async function instantiate(source) {
  if (source) return (await WebAssembly.instantiate(source, IMPORTS)).instance;
  const url = new URL('../../wasm/lrlab-hero.wasm', import.meta.url);
  if (WebAssembly.instantiateStreaming) {
    try {
      return (await WebAssembly.instantiateStreaming(fetch(url), IMPORTS)).instance;
    } catch {
      // A server that sends another MIME type than application/wasm: below.
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the opening figure's engine could not be loaded (HTTP ${response.status})`);
  return (await WebAssembly.instantiate(await response.arrayBuffer(), IMPORTS)).instance;
}

export async function loadHero(source = null) {
  const { exports } = await instantiate(source);
  exports._initialize?.();
  return {
    // x_t and f(x_t) for t = 0 … steps (fewer when the run diverged: the
    // last value is the step where it did, as in engine.run). Throws a
    // RangeError on input the module refuses.
    run({ lambda, x0, lr, steps }) {
      const counted = Number.isInteger(steps) ? exports.lrlab_hero_run(lambda, x0, lr, steps) : 0;
      if (counted === 0) throw new RangeError(`the opening figure needs finite λ > 0, η > 0 and x0, and 1 … ${MAX_STEPS} steps; got λ = ${lambda}, η = ${lr}, x0 = ${x0}, ${steps} steps`);
      const n = Math.abs(counted);
      const view = (pointer) => new Float64Array(exports.memory.buffer, pointer, n).slice();
      return {
        x: view(exports.lrlab_hero_xs()),
        loss: view(exports.lrlab_hero_losses()),
        divergedAt: counted < 0 ? n - 1 : null,
      };
    },
  };
}
