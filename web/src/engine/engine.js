// The page's promise API over the engine Worker. One Worker (and one WASM
// instance) serves every figure on the page.
//
//   const engine = getEngine();
//   const result = await engine.run({problem: {...}, optimizer: {...}, steps: 50});
//   const session = await engine.openSession(config);  await session.advance(10);  session.close();
//
// Results hold Float64Arrays: loss, lr, gradNorm, valLoss, params (flat,
// dim per step), effectiveLr (flat, dim per step; empty unless the config has
// record.effective_lr) and Int32Array valSteps; plateau is null, or
// {best, numBad, cooldown, multiplier} Float64Arrays aligned with valSteps
// and Int32Array reducedAt; see README "Result format".
import { ConfigError } from './core.js';

export { ConfigError };

class Engine {
  constructor(workerUrl = new URL('./worker.js', import.meta.url)) {
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new Error(`the computation engine failed to load: ${event.message || 'unknown error'}`));
    };
  }

  receive({ id, ok, value, error }) {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (ok) entry.resolve(value);
    else if (error.issues) entry.reject(new ConfigError(error.issues));
    else entry.reject(Object.assign(new Error(error.message), { name: error.name }));
  }

  fail(error) {
    this.failure = error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  call(op, ...args) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  run(config) {
    return this.call('run', config);
  }

  // {lr, final_loss, best_loss, final_val_loss, diverged_at, steps}; see README.
  sweep(config) {
    return this.call('sweep', config);
  }

  // {lr, loss, smoothed, stopped_at, suggested_lr, min_loss_lr}; see README.
  rangeTest(config) {
    return this.call('rangeTest', config);
  }

  // {x, y, nx, ny, values}: a 1-D/2-D problem's loss on a grid; see README.
  grid(config) {
    return this.call('grid', config);
  }

  // Loads the data set a problem needs (e.g. 'mlp' → digits) ahead of use,
  // so it is in the Worker before the reader gets there (and if the
  // connection drops). Problems without data resolve at once.
  prefetch(problemName) {
    return this.call('prefetch', problemName);
  }

  // What the engine holds now, for tests: requests still waiting for the
  // Worker (this call excluded) and sessions open in it.
  async stats() {
    const pending = this.pending.size;
    return { pending, sessions: await this.call('openSessions') };
  }

  async openSession(config) {
    const id = await this.call('openSession', config);
    let closed = false;
    return {
      advance: (n) => this.call('advance', id, n),
      close: () => {
        if (closed) return;
        closed = true;
        this.call('closeSession', id).catch(() => {});
      },
    };
  }
}

let shared = null;

export function getEngine() {
  shared ??= new Engine();
  return shared;
}
