// The engine's core: plain JavaScript over the Embind module, with no Worker
// or DOM, so the Worker and the Node tests use the very same code. Raw Embind
// names (Session.create, lossView, …) stay inside this file.

// A config rejected by the C++ validator; `messages` lists every problem,
// each naming its path ("optimizer.lr: must be >= 0, got -1").
export class ConfigError extends Error {
  constructor(messages) {
    super(messages.join('\n'));
    this.name = 'ConfigError';
    this.messages = messages;
  }
}

function toError(err) {
  if (err instanceof Error) {
    const messages = err.message.split('\n').filter(Boolean);
    // The validator's messages all look like "path: message".
    if (messages.length && messages.every((m) => /^[\w.[\]]+: /.test(m))) return new ConfigError(messages);
    return err;
  }
  return new Error(String(err));
}

function parseConfig(config) {
  if (typeof config === 'string') return config;
  if (config === null || typeof config !== 'object') throw new ConfigError(['config: must be an object']);
  return JSON.stringify(config);
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
    divergedAt: divergedAt < 0 ? null : divergedAt,
    problem: JSON.parse(session.problemInfoJson()),
  };
}

export function createCore(module) {
  const sessions = new Map();
  let nextId = 1;

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
    // The JSON result exactly as the native CLI prints it.
    runJson(config) {
      try {
        return JSON.parse(module.runConfig(parseConfig(config)));
      } catch (err) {
        throw toError(err);
      }
    },
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
