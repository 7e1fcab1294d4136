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
//
// Every call takes an optional {signal} (an AbortSignal): aborting it stops
// the computation in the Worker (between two of its ~8 ms pieces) and
// rejects the call with a CancelledError (name "AbortError"). A figure gets
// engine.scoped(signal) from its base class, aborted when it is removed, so
// a removed figure's work stops.
import { CancelledError, ConfigError } from './core.js';

export { CancelledError, ConfigError };

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

  // Sends {id, op, args}; with options.signal, an abort sends {cancel: id}
  // and rejects at once.
  call(op, args = [], { signal } = {}) {
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.worker.postMessage({ cancel: id });
        reject(new CancelledError());
      };
      const done = (settle) => (value) => {
        signal?.removeEventListener('abort', onAbort);
        settle(value);
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ id, op, args });
    });
  }

  run(config, options) {
    return this.call('run', [config], options);
  }

  // {lr, final_loss, best_loss, final_val_loss, diverged_at, steps}; see README.
  sweep(config, options) {
    return this.call('sweep', [config], options);
  }

  // {lr, loss, smoothed, stopped_at, suggested_lr, min_loss_lr}; see README.
  rangeTest(config, options) {
    return this.call('rangeTest', [config], options);
  }

  // {x, y, nx, ny, values}: a 1-D/2-D problem's loss on a grid; see README.
  grid(config, options) {
    return this.call('grid', [config], options);
  }

  // Loads the data set a problem needs (e.g. 'mlp' → digits) ahead of use,
  // so it is in the Worker before the reader gets there (and if the
  // connection drops). Problems without data resolve at once.
  prefetch(problemName, options) {
    return this.call('prefetch', [problemName], options);
  }

  // This engine with `signal` on every call (a figure's, aborted when the
  // figure is removed).
  scoped(signal) {
    const withSignal = (op) => (arg, options) => this[op](arg, { signal, ...options });
    return {
      run: withSignal('run'), sweep: withSignal('sweep'), rangeTest: withSignal('rangeTest'), grid: withSignal('grid'),
      prefetch: withSignal('prefetch'), openSession: (config) => this.openSession(config, { signal }),
      stats: () => this.stats(),
    };
  }

  // What the engine holds now, for tests: requests still waiting for the
  // Worker (this call excluded), sessions open in it, computations under way
  // in it (a cancelled one stops within a piece), and pieces computed so far.
  async stats() {
    const pending = this.pending.size;
    return { pending, ...(await this.call('stats')) };
  }

  async openSession(config, { signal } = {}) {
    const id = await this.call('openSession', [config], { signal });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.call('closeSession', [id]).catch(() => {});
    };
    // A removed figure's session closes with it.
    signal?.addEventListener('abort', close, { once: true });
    return {
      advance: (n) => this.call('advance', [id, n], { signal }),
      close,
    };
  }
}

let shared = null;

export function getEngine() {
  shared ??= new Engine();
  return shared;
}
