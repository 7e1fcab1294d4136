// The page's promise API over the engine's Workers. A small pool of Workers
// (each with its own WASM instance) serves every figure on the page: one
// per core but one (navigator.hardwareConcurrency − 1: a core stays with
// the page, which draws), at least one and at most four, so the runs and
// sweeps a figure asks for at once (a race's lanes, the five sweeps of
// robustness, a run and its baseline) compute side by side. The
// first Worker starts with the first call; the others once it has loaded
// (answered once: the module is then in the browser's cache, and the first
// view pays for one), in the page's next idle moment, each with the data
// sets of the problems used so far, so that they are ready before a
// reader's drag needs them; and at once if every running
// Worker has loaded and is busy, or when a data set is prefetched.
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
// engine.run(config, {onProgress}) also hands onProgress the history so far
// (the same shape, fewer steps) every ~8 ms while a long run computes, so a
// figure can draw it growing; the promise still resolves to the whole run.
//
// Every call takes an optional {signal} (an AbortSignal): aborting it stops
// the computation in its Worker (between two of its ~8 ms pieces) and
// rejects the call with a CancelledError (name "AbortError"). A figure gets
// engine.scoped(signal) from its base class, aborted when it is removed, so
// a removed figure's work stops.
//
// The pool's size can be set before the first call with
// globalThis.LRLAB_WORKERS = n (1 … 4; the bench compares the default with
// another size).
import { CancelledError, ConfigError } from './core.js';

export { CancelledError, ConfigError };

export const MAX_WORKERS = 4;

// How many Workers a page gets: LRLAB_WORKERS if it is a whole number in
// [1, MAX_WORKERS], else one per core but one, at least one and at most
// MAX_WORKERS. (Measured on 2 cores, npm run bench: with 2 Workers beside
// the page's own thread the digits sweeps' p95 was 42–57 ms, with 1 13–45.)
export function poolSize(scope = globalThis) {
  const asked = Number(scope.LRLAB_WORKERS);
  if (Number.isInteger(asked) && asked >= 1 && asked <= MAX_WORKERS) return asked;
  const cores = Math.floor(Number(scope.navigator?.hardwareConcurrency));
  return Number.isFinite(cores) && cores >= 2 ? Math.min(cores - 1, MAX_WORKERS) : 1;
}

// One Worker and the requests it has not answered yet.
class Lane {
  constructor(worker, onFailure, onLoaded) {
    this.worker = worker;
    this.pending = new Map();
    this.loaded = false;  // answered once
    this.onLoaded = onLoaded;
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      onFailure(new Error(`the computation engine failed to load: ${event.message || 'unknown error'}`));
    };
  }

  receive({ id, ok, value, error, progress }) {
    if (!this.loaded) {
      this.loaded = true;
      this.onLoaded();
    }
    const entry = this.pending.get(id);
    if (!entry) return;
    if (progress !== undefined) {
      entry.onProgress?.(progress);
      return;
    }
    this.pending.delete(id);
    if (ok) entry.resolve(value);
    else if (error.issues) entry.reject(new ConfigError(error.issues));
    else entry.reject(Object.assign(new Error(error.message), { name: error.name }));
  }
}

class Engine {
  // warmUp: start the rest of the pool when the page is idle after the
  // first Worker has loaded (off in the pool's unit tests, which start
  // Workers by hand).
  constructor(workerUrl = new URL('./worker.js', import.meta.url), size = poolSize(), { warmUp = true } = {}) {
    this.workerUrl = workerUrl;
    this.size = size;
    this.warmUp = warmUp;
    this.lanes = [];
    this.warming = false;  // the rest of the pool asked for (loadedOne)
    this.problems = new Set();  // problems named by the configs sent so far
    this.nextId = 1;
    this.failure = null;
  }

  startLane() {
    // build-dist.mjs finds the Worker construction below by its exact text
    // (the argument named workerUrl) and wraps the URL for cross-origin pages
    // (a blob: shim): keep both as they are.
    const workerUrl = this.workerUrl;
    const lane = new Lane(new Worker(workerUrl, { type: 'module' }), (error) => this.fail(error), () => this.loadedOne());
    this.lanes.push(lane);
    // A Worker started after the reader's table was set gets it before any work.
    if (this.localData) this.call('setLocalData', [this.localData], { lane }).catch(() => {});
    return lane;
  }

  // The first Worker has loaded: start the others when the page is next
  // idle, each asked once ('warmUp', so that it is known to be loaded) to
  // load the data sets of the problems used so far: an embedded digits
  // figure's second Worker then has its data before a drag sends it work.
  loadedOne() {
    if (!this.warmUp || this.warming) return;
    this.warming = true;
    const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
    idle(() => {
      while (!this.failure && this.lanes.length < this.size) this.call('warmUp', [[...this.problems]], { lane: this.startLane() }).catch(() => {});
    }, { timeout: 2000 });
  }

  // Notes the problem a config names (for the warm-up above).
  noteProblem(config) {
    const name = config?.problem?.name;
    if (typeof name === 'string' && this.problems.size < 16) this.problems.add(name);
  }

  // The least busy Worker; a new one when every Worker has loaded and has
  // work, and the pool is not full.
  pickLane() {
    let best = null;
    for (const lane of this.lanes) if (!best || lane.pending.size < best.pending.size) best = lane;
    if (!best) return this.startLane();
    if (best.pending.size > 0 && this.lanes.length < this.size && this.lanes.every((lane) => lane.loaded)) return this.startLane();
    return best;
  }

  fail(error) {
    this.failure ??= error;
    for (const lane of this.lanes) {
      for (const { reject } of lane.pending.values()) reject(error);
      lane.pending.clear();
    }
  }

  // Sends {id, op, args} to `lane` (by default the least busy); with
  // options.signal, an abort sends {cancel: id} there and rejects at once;
  // with options.onProgress (a run), partial histories go to it until the
  // call settles.
  call(op, args = [], { signal, lane, onProgress } = {}) {
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const target = lane ?? this.pickLane();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = () => {
        if (!target.pending.delete(id)) return;
        target.worker.postMessage({ cancel: id });
        reject(new CancelledError());
      };
      const done = (settle) => (value) => {
        signal?.removeEventListener('abort', onAbort);
        settle(value);
      };
      target.pending.set(id, { resolve: done(resolve), reject: done(reject), onProgress });
      signal?.addEventListener('abort', onAbort, { once: true });
      target.worker.postMessage(onProgress ? { id, op, args, progress: true } : { id, op, args });
    });
  }

  // The calls that take a config.
  withConfig(op, config, options) {
    this.noteProblem(config);
    return this.call(op, [config], options);
  }

  run(config, options) {
    return this.withConfig('run', config, options);
  }

  // {lr, final_loss, best_loss, final_val_loss, diverged_at, steps}; see README.
  sweep(config, options) {
    return this.withConfig('sweep', config, options);
  }

  // {lr, loss, smoothed, stopped_at, suggested_lr, min_loss_lr}; see README.
  rangeTest(config, options) {
    return this.withConfig('rangeTest', config, options);
  }

  // {x, y, nx, ny, values}: a 1-D/2-D problem's loss on a grid; see README.
  grid(config, options) {
    return this.withConfig('grid', config, options);
  }

  // Loads the data set a problem needs (e.g. 'mlp' → digits) into every
  // Worker of the pool ahead of use, so it is there before the reader gets
  // there (and if the connection drops): first into the Workers running (or
  // a first one), then into the rest of the pool, started for it. Problems
  // without data resolve at once.
  async prefetch(problemName, { signal } = {}) {
    if (this.failure) throw this.failure;
    const into = (lanes) => Promise.all(lanes.map((lane) => this.call('prefetch', [problemName], { signal, lane })));
    await into(this.lanes.length ? [...this.lanes] : [this.startLane()]);
    const more = [];
    while (this.lanes.length < this.size) more.push(this.startLane());
    await into(more);
    return true;
  }

  // Registers the reader's own table (bytes of data set version 2, from
  // model/csv.js) in every Worker, now and started later, as the data set
  // of {"data": "local"} problems. Resolves once every running Worker has it;
  // rejects with the core's reason when the bytes are not a valid table.
  async setLocalData(bytes) {
    if (this.failure) throw this.failure;
    const lanes = this.lanes.length ? [...this.lanes] : [this.startLane()];
    const previous = this.localData;
    this.localData = bytes;
    try {
      await Promise.all(lanes.map((lane) => this.call('setLocalData', [bytes], { lane })));
    } catch (err) {
      this.localData = previous;  // the Workers keep the table they had
      throw err;
    }
    return true;
  }

  // This engine with `signal` on every call (a figure's, aborted when the
  // figure is removed); a call's own {signal} (superseded work) adds to it.
  scoped(signal) {
    const withSignal = (op) => (arg, options = {}) => {
      if (!options.signal || !signal) return this[op](arg, { signal, ...options });
      const both = eitherSignal(signal, options.signal);
      const call = this[op](arg, { ...options, signal: both.signal });
      call.then(both.release, both.release);
      return call;
    };
    return {
      run: withSignal('run'), sweep: withSignal('sweep'), rangeTest: withSignal('rangeTest'), grid: withSignal('grid'),
      prefetch: withSignal('prefetch'), openSession: (config) => this.openSession(config, { signal }),
      setLocalData: (bytes) => this.setLocalData(bytes),
      stats: () => this.stats(),
    };
  }

  // What the engine holds now, over all its Workers, for tests: requests
  // still waiting for a Worker (these calls excluded), sessions open,
  // computations under way (a cancelled one stops within a piece), pieces
  // computed so far, and how many Workers run.
  async stats() {
    const pending = this.lanes.reduce((sum, lane) => sum + lane.pending.size, 0);
    const each = await Promise.all(this.lanes.map((lane) => this.call('stats', [], { lane })));
    const total = { pending, sessions: 0, active: 0, pieces: 0 };
    for (const s of each) for (const key of ['sessions', 'active', 'pieces']) total[key] += s[key];
    return { ...total, workers: this.lanes.length };
  }

  // A session lives in one Worker: every later call goes there.
  async openSession(config, { signal } = {}) {
    this.noteProblem(config);
    const lane = this.pickLane();
    const id = await this.call('openSession', [config], { signal, lane });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.call('closeSession', [id], { lane }).catch(() => {});
    };
    // A removed figure's session closes with it.
    signal?.addEventListener('abort', close, { once: true });
    return {
      advance: (n) => this.call('advance', [id, n], { signal, lane }),
      close,
    };
  }
}

// A signal aborted when either `a` or `b` is (AbortSignal.any, which older
// browsers lack), and release() to stop listening once the call is over.
function eitherSignal(a, b) {
  const both = new AbortController();
  const abort = () => both.abort();
  const release = () => {
    a.removeEventListener('abort', abort);
    b.removeEventListener('abort', abort);
  };
  if (a.aborted || b.aborted) both.abort();
  else {
    a.addEventListener('abort', abort, { once: true });
    b.addEventListener('abort', abort, { once: true });
  }
  return { signal: both.signal, release };
}

let shared = null;

export function getEngine() {
  shared ??= new Engine();
  return shared;
}
