// The lab's state: up to four runs, each an engine config. It travels as
// JSON in the `config` attribute ({…one run…} or {runs: […]}); share links
// carry base64url of the compact JSON {runs: […]} in that attribute
// (?lab.config=…), and older links in `#lab=`, still read. Reading is
// forgiving about values (the engine validates their ranges and the form
// shows its messages) but strict about shape: anything the form could not
// show or fix (not JSON, no runs, unknown names or keys, a value of the
// wrong type) falls back to the defaults with a short note. The text is
// bounded before it is decoded or parsed: at most MAX_STATE_CHARS characters
// and MAX_DEPTH levels of nesting.
import { OPTIMIZERS, PLATEAU, PROBLEMS, RUN_FIELDS, SCHEDULES, initialOptions, isDataProblem, lowDimension, onLocalData } from './catalog.js';
import { clipList, clipText, formatNumber } from './format.js';

export const MAX_RUNS = 4;
export const MAX_STEPS = 5000;
// Far more than four runs need (a run with every option is ~1 KB), and small
// enough to read at once.
export const MAX_STATE_CHARS = 200000;
// A state nests 8 levels at most ({runs: [{schedule: {schedulers: [{milestones: […]}]}}]}).
export const MAX_DEPTH = 32;

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

// Whether JSON text nests deeper than `limit` (brackets inside strings do
// not count). Checked before JSON.parse, and before anything walks the
// parsed value recursively (structuredClone, the form, the engine).
export function nestsDeeper(text, limit = MAX_DEPTH) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;                   // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {   // [ {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {   // ] }
      depth--;
    }
  }
  return false;
}

const numberList = (v) => Array.isArray(v) && v.every((x) => typeof x === 'number');

// Why `value` is not of the type its form field shows, or null.
function typeProblem(field, value, where) {
  if (value === null && field.nullable) return null;
  switch (field.type) {
    case 'lr': case 'number': case 'int':
      if (typeof value !== 'number') return `${where} is not a number`;
      // JSON.parse reads 1e400 as Infinity.
      return Number.isFinite(value) ? null : `${where} is not a finite number`;
    case 'bool':
      return typeof value === 'boolean' ? null : `${where} is not true or false`;
    case 'choice':
      return field.values.includes(value) ? null : `${where} is not one of ${field.values.join(', ')}`;
    case 'list': case 'intlist': case 'pair':
      if (!numberList(value)) return `${where} is not a list of numbers`;
      return value.every(Number.isFinite) ? null : `${where} is not a list of finite numbers`;
    case 'json':  // sequential, chained: a list of schedules, each checked as a schedule
      if (!Array.isArray(value)) return `${where} is not a list of schedules`;
      value.forEach((child, i) => checkSection(`${where}[${i}]`, child, SCHEDULES));
      return null;
    default:
      return null;
  }
}

// Checks the types of the values of `spec` its `fields` show (ranges are the
// engine's to report).
function checkValues(prefix, spec, fields) {
  for (const field of fields) {
    if (!Object.hasOwn(spec, field.key)) continue;
    const problem = typeProblem(field, spec[field.key], `${prefix}${field.key}`);
    if (problem) throw new BadState(problem);
  }
}

// Checks that a section names a known item and only keys its form can show,
// with values of the types the form shows.
function checkSection(where, spec, catalog) {
  if (!isObject(spec)) throw new BadState(`${where} is not an object`);
  // Own names only: "constructor" or "__proto__" is no problem or optimizer.
  if (typeof spec.name !== 'string' || !Object.hasOwn(catalog, spec.name)) throw new BadState(`${where}.name "${clipText(String(spec.name))}" is not one the lab knows`);
  const item = catalog[spec.name];
  const known = new Set(['name', ...item.fields.map((f) => f.key)]);
  const unknown = Object.keys(spec).filter((k) => !known.has(k));
  if (unknown.length) throw new BadState(`${where} has options the lab does not show (${clipList(unknown)})`);
  checkValues(`${where}.`, spec, item.fields);
}

function checkRun(run, k, notes) {
  const where = `run ${k + 1}`;
  if (!isObject(run)) throw new BadState(`${where} is not an object`);
  const unknown = Object.keys(run).filter((key) => !TOP_KEYS.has(key));
  if (unknown.length) throw new BadState(`${where} has keys the lab does not use (${clipList(unknown)})`);
  checkSection(`${where}: problem`, run.problem, PROBLEMS);
  checkSection(`${where}: optimizer`, run.optimizer, OPTIMIZERS);
  if (run.schedule !== undefined) checkSection(`${where}: schedule`, run.schedule, SCHEDULES);
  if (run.plateau !== undefined) {
    if (!isObject(run.plateau)) throw new BadState(`${where}: plateau is not an object`);
    checkSection(`${where}: plateau`, { name: 'plateau', ...run.plateau }, { plateau: PLATEAU });
  }
  checkValues(`${where}: `, run, RUN_FIELDS);
  const copy = structuredClone(run);
  if (typeof copy.steps === 'number' && copy.steps > MAX_STEPS) {
    notes.push(`${where} asked for ${copy.steps} steps; the lab runs at most ${MAX_STEPS}.`);
    copy.steps = MAX_STEPS;
  }
  return copy;
}

// Parses a state from JSON text: one run, or {runs: [...]}.
function parseState(text, notes) {
  if (text.length > MAX_STATE_CHARS) throw new BadState(`it is longer than ${MAX_STATE_CHARS} characters`);
  if (nestsDeeper(text)) throw new BadState('it is nested too deeply');
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

// JSON text, or base64url of it (decoded): refused when longer than the
// limit, before it is decoded.
function stateText(text) {
  if (text.length > MAX_STATE_CHARS) throw new BadState(`it is longer than ${MAX_STATE_CHARS} characters`);
  return /^\s*[{[]/.test(text) ? text : fromBase64Url(text.trim());
}

// The initial runs: from location.hash (#lab=…) when present — a shared link
// wins — else from the `config` attribute, else the defaults. Problems go
// into `notes`.
export function readInitialState(host, hash, notes) {
  const sources = [];
  const match = /(?:^#|&)lab=([^&]*)/.exec(hash ?? '');
  if (match) sources.push(['The link\'s lab state', () => stateText(match[1])]);
  // The attribute holds JSON, or (in share links) base64url of the JSON.
  const attr = host.getAttribute('config');
  if (attr !== null && attr.trim() !== '') sources.push(['config attribute', () => stateText(attr)]);
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
  const local = onLocalData(run.problem) && info.fields.some((f) => f.key === 'data');  // stays on the reader's data
  run.problem = { name, ...initialOptions(info.fields, run), ...(local ? { data: 'local' } : {}) };
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

// --- the list of runs ---------------------------------------------------------------
// Up to MAX_RUNS runs, one selected (the one the form edits). Each run keeps
// its config, its colour slot, its last result or error (issues) and the
// form's own state for it (formErrors: path → issue; raw: path → text of a
// text field that does not parse yet).
export class RunList {
  constructor(configs) {
    this.runs = configs.map((config, i) => RunList.make(config, i));
    this.selected = 0;
  }

  static make(config, slot) {
    return { config, slot, result: null, error: null, key: '', engineConfig: null, formErrors: new Map(), raw: new Map() };
  }

  get run() {
    return this.runs[this.selected];
  }

  get full() {
    return this.runs.length >= MAX_RUNS;
  }

  // Whether the selection moved.
  select(i) {
    if (i === this.selected || i < 0 || i >= this.runs.length) return false;
    this.selected = i;
    return true;
  }

  // The first colour slot no run uses.
  freeSlot() {
    const used = new Set(this.runs.map((r) => r.slot));
    for (let s = 0; s < 6; s++) if (!used.has(s)) return s;
    return 0;
  }

  // Adds a run (a copy of the selected one by default) and selects it.
  add(config = structuredClone(this.run.config)) {
    if (this.full) return false;
    this.runs.push(RunList.make(config, this.freeSlot()));
    this.selected = this.runs.length - 1;
    return true;
  }

  remove(i) {
    if (this.runs.length <= 1 || i < 0 || i >= this.runs.length) return false;
    this.runs.splice(i, 1);
    if (i < this.selected) this.selected--;
    this.selected = Math.min(this.selected, this.runs.length - 1);
    return true;
  }

  configs() {
    return this.runs.map((r) => r.config);
  }
}

// --- configs for the engine ---------------------------------------------------------------
// A run as the engine gets it: its path recorded where a contour can show it.
export function engineConfig(config) {
  return { ...structuredClone(config), record: { params: lowDimension(config.problem) !== null } };
}

export const RANGE_DEFAULTS = { lr_min: 1e-5, lr_max: 10, steps: 200 };

// The LR range test (Smith, 2017) of a run: its problem, optimizer and seed,
// with the run's minibatches and gradient noise.
export function rangeTestConfig(config, range) {
  const out = { problem: structuredClone(config.problem), optimizer: structuredClone(config.optimizer), seed: config.seed ?? 0, range_test: { ...range } };
  if (isDataProblem(config.problem) && config.batch_size !== undefined) out.batch_size = config.batch_size;
  if (config.gradient_noise) out.gradient_noise = config.gradient_noise;
  return out;
}

// A one-cycle run (Smith & Topin, 2019) from a run, peaking at the suggested η.
export function oneCycleFrom(config, suggested) {
  const out = structuredClone(config);
  out.schedule = {
    name: 'one_cycle', max_lr: Number(suggested.toPrecision(3)), total_steps: out.steps ?? 100,
    cycle_momentum: Boolean(OPTIMIZERS[out.optimizer.name]?.momentum),
  };
  delete out.plateau;
  return out;
}

// --- the contour's box ----------------------------------------------------------------------
// The problem's usual view, grown to hold the start and the known minimizers
// (a moved Rosenbrock minimum, a quadratic's b); a quadratic's view follows
// its start.
export function contourView(problem, start, minimizers) {
  const info = PROBLEMS[problem.name];
  let [x, y] = info?.view ?? [[-1.5, 1.5], [-1.5, 1.5]];
  if (problem.name === 'quadratic') {
    const s = 1.3 * Math.max(0.5, ...(start ?? [1, 1]).map(Math.abs));
    x = [-s, s];
    y = [-s, s];
  }
  const grow = (r, v) => {
    const m = 0.1 * (r[1] - r[0]);
    return [Math.min(r[0], v - m), Math.max(r[1], v + m)];
  };
  for (const p of [start, ...minimizers]) {
    if (!p || p.length !== 2 || !p.every((v) => Number.isFinite(v) && Math.abs(v) < 1e3)) continue;
    x = grow(x, p[0]);
    y = grow(y, p[1]);
  }
  return { x, y };
}

// The surface a problem draws (its options but the start): runs on the same
// surface share one contour, whatever their start.
export function surfaceKey(problem) {
  return JSON.stringify({ ...problem, x0: undefined });
}

// --- words ------------------------------------------------------------------------------------
const f = formatNumber;

// A run in a few words, for chips, legends and the status line.
export function describeRun(config, { problem = false } = {}) {
  const o = config.optimizer;
  const parts = [`${OPTIMIZERS[o.name]?.label ?? o.name}`];
  const s = config.schedule?.name;
  if (s === 'one_cycle') parts.push(`one-cycle to ${f(config.schedule.max_lr)}`);
  else if (s === 'cyclic') parts.push(`cyclic ${f(config.schedule.base_lr)}–${f(config.schedule.max_lr)}`);
  else {
    parts.push(`η ${f(o.lr)}`);
    if (s && s !== 'none') parts.push(SCHEDULES[s]?.label ?? s);
  }
  if (o.momentum) parts.push(`μ ${f(o.momentum)}`);
  if (config.plateau) parts.push('plateau');
  if (problem) parts.push(problemLabel(config.problem));
  return parts.join(', ');
}

// A problem's name for people: its label, "your data: …" for a classifier on
// the reader's CSV file.
export function problemLabel(problem) {
  const label = PROBLEMS[problem?.name]?.label ?? String(problem?.name);
  return onLocalData(problem) ? label.replace(/^digits: /, 'your data: ') : label;
}

// Whether any run trains on the reader's own data ({"data": "local"}).
export const usesLocalData = (configs) => configs.some((c) => onLocalData(c?.problem));

export const issueText = ({ path, message }) => `${path}: ${message}`;

// The status sentence for the runs (and the range test's suggestion), and
// whether it reports a failure. Runs on one problem name it once, up front;
// runs on several name each its own ("2 runs on digits: MLP classifier and
// Rosenbrock valley" read as if both were on the digits).
export function runsStatus(runs, suggestedLr = null) {
  const problems = [...new Set(runs.map((r) => problemLabel(r.config.problem)))];
  const each = problems.length > 1;
  const parts = runs.map((run, i) => {
    const r = run.result;
    const who = `run ${i + 1} (${describeRun(run.config, { problem: each })})`;
    if (run.error) return `${who} has a config error`;
    if (!r) return `${who} is computing`;
    if (r.divergedAt !== null) return `${who} diverged at step ${r.divergedAt}`;
    const last = r.loss[r.loss.length - 1];
    const val = isDataProblem(run.config.problem) && r.valLoss.length ? `, validation loss ${f(r.valLoss[r.valLoss.length - 1])}` : '';
    return `${who} ends at loss ${f(last)} after ${r.steps} step${r.steps === 1 ? '' : 's'}${val}`;
  });
  const head = each ? `${runs.length} runs on ${problems.length} problems: ` : `${runs.length === 1 ? 'One run' : `${runs.length} runs`} on ${problems[0]}: `;
  let text = `${head}${parts.join('; ')}.`;
  if (suggestedLr > 0) text += ` The range test suggests η ≈ ${f(suggestedLr)}.`;
  return { text, danger: runs.some((r) => r.error || (r.result && r.result.divergedAt !== null)) };
}

// What the range test found, in words.
export function rangeTestNote(test, runs) {
  const r = test?.result;
  if (!r) return { text: test?.error ? `The range test could not run: ${test.error.map(issueText).join('; ')}` : '', danger: Boolean(test?.error) };
  const n = r.lr.length;
  const suggested = r.suggested_lr;
  const stop = r.stopped_at === null ? `ran all ${n} steps` : `stopped at step ${r.stopped_at}, when the smoothed loss blew up`;
  // On a deterministic surface the first steps can lower the loss most of
  // all, putting the "steepest fall" at the foot of the ramp.
  const early = suggested > 0 && Math.log(suggested / r.lr[0]) < 0.1 * Math.log(r.lr[n - 1] / r.lr[0])
    ? ' The mark sits at the foot of the ramp: here the first steps alone lowered the loss most, so read the curve rather than the mark.' : '';
  const full = runs.length >= MAX_RUNS ? ` Remove a run to start a one-cycle run (at most ${MAX_RUNS}).` : '';
  const who = runs[test.runIndex]?.config ?? runs[0].config;
  const text = `For run ${test.runIndex + 1} (${describeRun(who)}): the test ${stop}. ` +
    (suggested > 0 ? `The loss fell fastest at η = ${f(suggested)}; lowest at η = ${f(r.min_loss_lr)}.` : 'No η was suggested: the loss never fell.') + early + full;
  return { text, danger: false };
}

// --- the numbers table --------------------------------------------------------------------------
// The plotted series, one row per step 0..maxSteps: every run's loss, its
// validation loss (data problems) and η.
export function runsTable(runs, maxSteps) {
  const columns = ['step'];
  const getters = [];
  runs.forEach((run, i) => {
    const r = run.result;
    columns.push(`run ${i + 1} loss`);
    getters.push((t) => (r && t < r.loss.length ? r.loss[t] : null));
    if (isDataProblem(run.config.problem)) {
      const at = new Map();
      if (r) r.valSteps.forEach((s, k) => at.set(s, r.valLoss[k]));
      columns.push(`run ${i + 1} validation loss`);
      getters.push((t) => at.get(t) ?? null);
    }
    columns.push(`run ${i + 1} η`);
    getters.push((t) => (r && t < r.lr.length ? r.lr[t] : null));
  });
  const rows = [];
  for (let t = 0; t <= maxSteps; t++) rows.push([t, ...getters.map((g) => g(t))]);
  return { columns, rows };
}
