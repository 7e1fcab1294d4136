// The engine's core: plain JavaScript over the Embind module, with no Worker
// or DOM, so the Worker and the Node tests use the very same code. Raw Embind
// names (Session.create, lossView, …) stay inside this file.

// A config rejected by the C++ validator. `issues` lists every problem as
// {path, message} ({path: "optimizer.lr", message: "must be >= 0, got -1"});
// `messages` has them as text, "path: message".
export class ConfigError extends Error {
  constructor(issues) {
    const messages = issues.map(({ path, message }) => `${path}: ${message}`);
    super(messages.join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    this.messages = messages;
  }
}

// The module throws JS Errors carrying the engine's report: name, message
// and, for a config error, its issues (cpp/bindings/adapters.hpp).
function toError(err) {
  if (err instanceof Error) return err.name === 'ConfigError' && Array.isArray(err.issues) ? new ConfigError(err.issues) : err;
  return new Error(String(err));
}

function parseConfig(config) {
  if (typeof config === 'string') return config;
  if (config === null || typeof config !== 'object') throw new ConfigError([{ path: 'config', message: 'must be an object' }]);
  return JSON.stringify(config);
}

// The plateau controller's state per validation loss (aligned with valSteps)
// and the steps whose evaluation cut η, or null without a controller.
function plateauOf(session) {
  if (!session.hasPlateau()) return null;
  return {
    best: session.plateauBestView().slice(),
    numBad: session.plateauNumBadView().slice(),
    cooldown: session.plateauCooldownView().slice(),
    multiplier: session.plateauMultiplierView().slice(),
    reducedAt: session.plateauReducedAtView().slice(),
  };
}

// Copies a session's history out of the WASM heap. Views alias the heap and
// die when it grows, so everything is copied (slice) before returning.
function snapshot(session) {
  const divergedAt = session.divergedAt();
  return {
    steps: session.steps(),
    dim: session.dimension(),
    loss: session.lossView().slice(),
    lr: session.lrView().slice(),
    gradNorm: session.gradNormView().slice(),
    valSteps: session.valStepsView().slice(),
    valLoss: session.valLossView().slice(),
    params: session.paramsView().slice(),
    effectiveLr: session.effectiveLrView().slice(),
    plateau: plateauOf(session),
    // λmax of the Hessian at sharpness.steps (record.sharpness), or null.
    sharpness: session.recordsSharpness() ? { steps: session.sharpnessStepsView().slice(), values: session.sharpnessView().slice() } : null,
    divergedAt: divergedAt < 0 ? null : divergedAt,
    problem: JSON.parse(session.problemInfoJson()),
  };
}

// One of the engine's commands (cpp/include/lrlab/engine/commands.hpp) on a
// config, its JSON result parsed.
function command(module, name, config) {
  const text = name === 'schema' ? '' : parseConfig(config);
  try {
    return JSON.parse(module.command(name, text));
  } catch (err) {
    throw toError(err);
  }
}

// The problem object of a config, if it is readable at all (the C++
// validator reports everything else).
function problemOf(config) {
  let parsed = config;
  if (typeof config === 'string') {
    try {
      parsed = JSON.parse(config);
    } catch {
      return null;
    }
  }
  const problem = parsed?.problem;
  return problem && typeof problem === 'object' ? problem : null;
}

// A computation stopped by its caller (engine.js cancels superseded and
// removed figures' work).
export class CancelledError extends Error {
  constructor() {
    super('the computation was cancelled');
    this.name = 'AbortError';
  }
}

// Lets other tasks run (in the Worker: its next message, a cancel) and
// resumes at once: a message to ourselves is not throttled like a timer.
function nextTurn() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

// Pieces of about this many milliseconds: the Worker answers a cancel within
// one, and a piece costs little next to the work.
const PIECE_MS = 8;
// A run that reports its progress does so between pieces, at most this
// often: about every piece but the first, small one.
const PROGRESS_MS = 4;

// Runs `advance(n)` (true when done) in pieces of n units sized to take about
// PIECE_MS each (n follows the time the last piece took, at most ×8 a step),
// letting other tasks run between them; stops with a CancelledError as soon
// as `shouldStop()` says so.
async function inPieces(advance, shouldStop) {
  let n = 16;
  for (;;) {
    if (shouldStop()) throw new CancelledError();
    const started = performance.now();
    if (advance(n)) return;
    const took = performance.now() - started;
    n = Math.max(1, Math.min(8 * n, 2 ** 30, Math.round((n * PIECE_MS) / Math.max(took, 0.01))));
    await nextTurn();
  }
}

// `loadDataset(name)` resolves to the bytes of web/data/<name>.bin (fetch in
// the Worker, a file read in Node). Concurrent runs share one load; a load
// that failed is tried again by the next run that needs the data set.
export function createCore(module, { loadDataset } = {}) {
  const sessions = new Map();
  const loading = new Map();
  let nextId = 1;
  // The data set each problem trains on, from the engine's own schema.
  const schema = command(module, 'schema');
  const datasets = new Map(Object.entries(schema.problems).filter(([, p]) => p.dataset).map(([name, p]) => [name, p.dataset]));

  // Registers the data set a config needs, if any, before it runs.
  // The reader's own table ("data": "local") is registered by setLocalData,
  // not loaded: without it the core says so.
  async function prepare(config) {
    const problem = problemOf(config);
    if (problem?.data === 'local') return;
    const name = typeof problem?.name === 'string' ? datasets.get(problem.name) : undefined;
    if (!name || module.hasDataset(name)) return;
    if (!loadDataset) throw new Error(`the ${name} data set is needed but no loader was given`);
    if (!loading.has(name)) {
      loading.set(name, (async () => {
        const bytes = await loadDataset(name);
        try {
          module.registerDataset(name, bytes);
        } catch (err) {
          throw new Error(`the ${name} data set could not be read: ${err.message}`);
        }
      })().finally(() => loading.delete(name)));
    }
    await loading.get(name);
  }

  function open(config) {
    let session;
    try {
      session = module.Session.create(parseConfig(config));
    } catch (err) {
      throw toError(err);
    }
    return session;
  }

  function get(id) {
    const session = sessions.get(id);
    if (!session) throw new Error(`no open session ${id}`);
    return session;
  }

  // A command's job in pieces; its JSON result.
  async function jobInPieces(name, config, shouldStop) {
    const text = parseConfig(config);
    let job;
    try {
      job = module.Job.create(name, text);
      await inPieces((n) => job.advance(n), shouldStop);
      return JSON.parse(job.resultJson());
    } catch (err) {
      throw toError(err);
    } finally {
      job?.delete();
    }
  }

  // The operations that take a config, run a piece at a time (for the
  // Worker: see piecewise below). A run can report the history so far
  // (`onProgress(snapshot)`) between pieces, at most every PROGRESS_MS, so
  // that a figure can draw a long run before it is complete.
  const PIECEWISE = {
    async run(config, shouldStop, onProgress) {
      const session = open(config);
      try {
        const target = session.configuredSteps();
        let reported = performance.now();
        await inPieces((n) => {
          session.run(Math.min(n, target - session.steps()));
          const done = session.steps() >= target || session.divergedAt() >= 0;
          if (!done && onProgress && performance.now() - reported >= PROGRESS_MS) {
            onProgress(snapshot(session));
            reported = performance.now();
          }
          return done;
        }, shouldStop);
        return snapshot(session);
      } catch (err) {
        throw toError(err);
      } finally {
        session.delete();
      }
    },
    runJson: (config, shouldStop) => jobInPieces('run', config, shouldStop),
    sweep: (config, shouldStop) => jobInPieces('sweep', config, shouldStop),
    rangeTest: (config, shouldStop) => jobInPieces('range-test', config, shouldStop),
    grid: (config, shouldStop) => jobInPieces('grid', config, shouldStop),
  };

  return {
    prepare,
    // Registers the reader's own table (data set version 2, bytes from
    // model/csv.js's encodeTable) as "local", replacing any earlier one.
    setLocalData(bytes) {
      try {
        module.registerDataset('local', bytes);
      } catch (err) {
        throw new Error(`your data could not be read: ${toError(err).message}`);
      }
      return true;
    },
    // The same result as run/runJson/sweep/rangeTest/grid, computed a piece
    // of ~8 ms at a time with other tasks let in between; rejects with a
    // CancelledError once `shouldStop()` is true (checked between pieces).
    // For "run", `onProgress(partial)` gets the history so far (the same
    // shape as the result, fewer steps) while it computes.
    piecewise(op, config, shouldStop = () => false, onProgress = null) {
      if (!Object.hasOwn(PIECEWISE, op)) throw new Error(`"${op}" cannot run in pieces`);
      return PIECEWISE[op](config, shouldStop, onProgress);
    },
    // Runs a config for its `steps` and returns the whole history.
    run(config) {
      const session = open(config);
      try {
        session.run(session.configuredSteps());
        return snapshot(session);
      } finally {
        session.delete();
      }
    },
    // The JSON results exactly as the native CLI prints them
    // (`lrlab run`, `lrlab sweep`, `lrlab range-test`).
    runJson: (config) => command(module, 'run', config),
    sweep: (config) => command(module, 'sweep', config),
    rangeTest: (config) => command(module, 'range-test', config),
    grid: (config) => command(module, 'grid', config),
    // The config language (README "The config schema"): what `lrlab schema` prints.
    schema: () => schema,
    // Resumable sessions: open, advance n steps at a time, close.
    openSession(config) {
      const id = nextId++;
      sessions.set(id, open(config));
      return id;
    },
    advance(id, n) {
      const session = get(id);
      session.run(n);
      return snapshot(session);
    },
    closeSession(id) {
      const session = sessions.get(id);
      if (session) {
        session.delete();
        sessions.delete(id);
      }
    },
    openSessions() {
      return sessions.size;
    },
  };
}
