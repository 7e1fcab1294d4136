// The lab's state: up to four runs, each an engine config. It travels as
// JSON in the `config` attribute ({…one run…} or {runs: […]}); share links
// carry base64url of the compact JSON {runs: […]} in that attribute
// (?lab.config=…), and older links in `#lab=`, still read. Reading is
// forgiving about values (the engine validates them and the form shows its
// messages) but strict about shape: anything the form could not show or fix
// (not JSON, no runs, unknown names or keys) falls back to the defaults with
// a short note.
import { OPTIMIZERS, PLATEAU, PROBLEMS, RUN_FIELDS, SCHEDULES, initialOptions } from './catalog.js';

export const MAX_RUNS = 4;
export const MAX_STEPS = 5000;

export function defaultRuns() {
  return [
    { problem: { name: 'rosenbrock' }, optimizer: { name: 'sgd', lr: 0.002, momentum: 0.9 }, steps: 300, seed: 0 },
    { problem: { name: 'rosenbrock' }, optimizer: { name: 'adam', lr: 0.1 }, steps: 300, seed: 0 },
  ];
}

// --- base64url of UTF-8 text -------------------------------------------------------
export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const padded = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

// --- reading ---------------------------------------------------------------------------
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const TOP_KEYS = new Set(['problem', 'optimizer', 'schedule', 'plateau', ...RUN_FIELDS.map((f) => f.key)]);

class BadState extends Error {}

// Checks that a section names a known item and only keys its form can show.
function checkSection(where, spec, catalog) {
  if (!isObject(spec)) throw new BadState(`${where} is not an object`);
  const item = catalog[spec.name];
  if (!item) throw new BadState(`${where}.name "${spec.name}" is not one the lab knows`);
  const known = new Set(['name', ...item.fields.map((f) => f.key)]);
  const unknown = Object.keys(spec).filter((k) => !known.has(k));
  if (unknown.length) throw new BadState(`${where} has options the lab does not show (${unknown.join(', ')})`);
}

function checkRun(run, k, notes) {
  const where = `run ${k + 1}`;
  if (!isObject(run)) throw new BadState(`${where} is not an object`);
  const unknown = Object.keys(run).filter((key) => !TOP_KEYS.has(key));
  if (unknown.length) throw new BadState(`${where} has keys the lab does not use (${unknown.join(', ')})`);
  checkSection(`${where}: problem`, run.problem, PROBLEMS);
  checkSection(`${where}: optimizer`, run.optimizer, OPTIMIZERS);
  if (run.schedule !== undefined) checkSection(`${where}: schedule`, run.schedule, SCHEDULES);
  if (run.plateau !== undefined) {
    if (!isObject(run.plateau)) throw new BadState(`${where}: plateau is not an object`);
    checkSection(`${where}: plateau`, { name: 'plateau', ...run.plateau }, { plateau: PLATEAU });
  }
  const copy = structuredClone(run);
  if (typeof copy.steps === 'number' && copy.steps > MAX_STEPS) {
    notes.push(`${where} asked for ${copy.steps} steps; the lab runs at most ${MAX_STEPS}.`);
    copy.steps = MAX_STEPS;
  }
  return copy;
}

// Parses a state from JSON text: one run, or {runs: [...]}.
function parseState(text, notes) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadState('it is not valid JSON');
  }
  const list = isObject(value) && Array.isArray(value.runs) ? value.runs : isObject(value) && value.problem ? [value] : null;
  if (!list) throw new BadState('it is neither one run nor {"runs": [...]}');
  if (list.length === 0) throw new BadState('it has no runs');
  if (list.length > MAX_RUNS) notes.push(`Only the first ${MAX_RUNS} of ${list.length} runs are shown.`);
  return list.slice(0, MAX_RUNS).map((run, k) => checkRun(run, k, notes));
}

// The initial runs: from location.hash (#lab=…) when present — a shared link
// wins — else from the `config` attribute, else the defaults. Problems go
// into `notes`.
export function readInitialState(host, hash, notes) {
  const sources = [];
  const match = /(?:^#|&)lab=([^&]*)/.exec(hash ?? '');
  if (match) sources.push(['The link\'s lab state', () => fromBase64Url(match[1])]);
  // The attribute holds JSON, or (in share links) base64url of the JSON.
  const attr = host.getAttribute('config');
  if (attr !== null && attr.trim() !== '') sources.push(['config attribute', () => (/^\s*[{[]/.test(attr) ? attr : fromBase64Url(attr.trim()))]);
  for (const [what, read] of sources) {
    const local = [];
    try {
      const runs = parseState(read(), local);
      notes.push(...local);
      return runs;
    } catch (err) {
      const why = err instanceof BadState ? err.message : 'it could not be decoded';
      notes.push(`${what === 'config attribute' ? 'The config attribute' : what} could not be used (${why}); showing the default runs.`);
      return defaultRuns();
    }
  }
  return defaultRuns();
}

// --- editing helpers -------------------------------------------------------------------
// A new problem section, with the optimizer and steps moved to values that
// suit it (SGD's η differs by orders of magnitude between problems).
export function switchProblem(run, name) {
  const info = PROBLEMS[name];
  run.problem = { name, ...initialOptions(info.fields, run) };
  run.steps = info.steps;
  if (run.optimizer.name === 'sgd') run.optimizer.lr = info.sgdLr;
  if (run.schedule) run.schedule = { name: run.schedule.name, ...initialOptions(SCHEDULES[run.schedule.name].fields, run) };
  if (!info.data) {
    delete run.batch_size;
  }
}

export function switchOptimizer(run, name) {
  const info = OPTIMIZERS[name];
  // SGD at an η that suits the problem; the others at the core's default
  // (or that same η where the core has none).
  const suited = PROBLEMS[run.problem.name]?.sgdLr ?? 0.01;
  const lr = name === 'sgd' ? suited : info.fields.find((f) => f.key === 'lr')?.default ?? suited;
  run.optimizer = { name, lr };
  // One-cycle and cyclic can cycle momentum only where there is one.
  if (run.schedule && 'cycle_momentum' in run.schedule) run.schedule.cycle_momentum = info.momentum;
}

export function switchSchedule(run, name) {
  if (name === 'none') delete run.schedule;
  else run.schedule = { name, ...initialOptions(SCHEDULES[name].fields, run) };
}

export function setPlateau(run, on) {
  if (on) run.plateau = initialOptions(PLATEAU.fields, run);
  else delete run.plateau;
}

// Reads and writes a value at a dotted path ("optimizer.lr", "steps").
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function setPath(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let o = obj;
  for (const k of keys) o = o[k] ??= {};
  if (value === undefined) delete o[last];
  else o[last] = value;
}
