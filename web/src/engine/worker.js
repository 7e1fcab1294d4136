// The Web Worker that owns the WASM module: every computation happens here so
// that the page never blocks. Messages in: {id, op, args}, or {cancel: id}
// to stop request id (between two pieces of its computation, or before it
// starts); out: {id, ok, value} or {id, ok: false, error: {name, message, issues}}.
// Computations that take a config run a piece of ~8 ms at a time
// (core.piecewise), so a cancel, and other requests, get in between. A "run"
// sent with progress: true also posts {id, progress: partial} between pieces
// (the history so far) before its result.
import createLrlabModule from '../../wasm/lrlab.mjs';
import { createCore } from './core.js';

// Data sets live beside the page in data/<name>.bin and load on first use.
async function loadDataset(name) {
  const response = await fetch(new URL(`../../data/${name}.bin`, import.meta.url));
  if (!response.ok) throw new Error(`the ${name} data set could not be loaded (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

const ready = createLrlabModule().then((module) => createCore(module, { loadDataset }));

// Operations whose first argument is a config that may need a data set.
const TAKES_CONFIG = new Set(['run', 'runJson', 'sweep', 'rangeTest', 'grid', 'openSession']);
// Of those, the ones computed in pieces.
const PIECEWISE = new Set(['run', 'runJson', 'sweep', 'rangeTest', 'grid']);

// Requests under way, and cancels that came for them (or for requests not
// yet seen: messages may be handled out of order around `await`).
const active = new Set();
const cancelled = new Set();
let lastSeen = 0;
// Pieces computed so far, counted at each check between two (for tests).
let pieces = 0;

// Typed arrays in a result are transferred, not copied.
function transferables(value) {
  if (!value || typeof value !== 'object') return [];
  return Object.values(value)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => v.buffer);
}

self.onmessage = async (event) => {
  const data = event.data ?? {};
  if (typeof data.cancel === 'number') {
    if (active.has(data.cancel) || data.cancel > lastSeen) cancelled.add(data.cancel);
    return;
  }
  const { id, op, args, progress } = data;
  if (typeof id !== 'number' || typeof op !== 'string' || !Array.isArray(args)) return;
  lastSeen = Math.max(lastSeen, id);
  active.add(id);
  const stopped = () => {
    pieces++;
    return cancelled.has(id);
  };
  try {
    const core = await ready;
    let value;
    if (op === 'stats') {
      // For tests: sessions open, computations under way besides this one,
      // and pieces computed so far.
      value = { sessions: core.openSessions(), active: active.size - 1, pieces };
    } else if (op === 'warmUp') {
      // The engine's own request to a Worker it starts in idle time: the data
      // sets of the problems the page has used (a name without one, or a
      // load that fails, is left for the call that needs it to report).
      const names = Array.isArray(args[0]) ? args[0].slice(0, 16) : [];
      await Promise.all(names.map((name) => core.prepare({ problem: { name: String(name) } }).catch(() => {})));
      value = true;
    } else if (op === 'prefetch') {
      // Load (and register) the data set a problem needs, ahead of use.
      await core.prepare({ problem: { name: String(args[0]) } });
      value = true;
    } else {
      if (!Object.hasOwn(core, op) || op === 'prepare' || op === 'piecewise') throw new Error(`unknown engine operation "${op}"`);
      if (TAKES_CONFIG.has(op)) await core.prepare(args[0]);
      const report = progress === true && op === 'run'
        ? (partial) => { if (!cancelled.has(id)) self.postMessage({ id, progress: partial }, transferables(partial)); }
        : null;
      value = PIECEWISE.has(op) ? await core.piecewise(op, args[0], stopped, report) : core[op](...args);
    }
    if (!cancelled.has(id)) self.postMessage({ id, ok: true, value }, transferables(value));
  } catch (err) {
    if (!cancelled.has(id)) {
      self.postMessage({
        id,
        ok: false,
        error: { name: err?.name ?? 'Error', message: String(err?.message ?? err), issues: err?.issues ?? null },
      });
    }
  } finally {
    active.delete(id);
    cancelled.delete(id);
  }
};
