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

// The problem a config names, if it is readable at all (the C++ validator
// reports everything else).
function problemName(config) {
  let parsed = config;
  if (typeof config === 'string') {
    try {
      parsed = JSON.parse(config);
    } catch {
      return null;
    }
  }
  const name = parsed?.problem?.name;
  return typeof name === 'string' ? name : null;
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
  async function prepare(config) {
    const name = datasets.get(problemName(config));
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

  return {
    prepare,
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
