// The config language as the core publishes it: `lrlab schema`, written to
// schema.json by the build (scripts/write-schema.mjs), so the page and Node
// read the core's own names, fields, defaults and ranges without loading the
// WebAssembly module. README "The config schema" describes its shape.
//
//   kindsOf('optimizers')              → ['sgd', 'adagrad', …] in the core's order
//   kind('optimizers', 'adam')         → {torch: 'Adam', momentum: true, fields: […]}
//   fieldsOf('plateau')                → [{key: 'mode', type: 'choice', …}, …]
//   defaultOf(fields, 'eps')           → 1e-8 (undefined when required or not one value)
//   inRange(field.range, 0)            → false for an open end at 0
//   rangeText(field.range)             → 'must be > 0', as the core says it
import SCHEMA from './schema.json' with { type: 'json' };

export { SCHEMA };

// 'problems' | 'optimizers' | 'schedules'
export function kindsOf(section) {
  return Object.keys(SCHEMA[section]);
}

export function kind(section, name) {
  return Object.hasOwn(SCHEMA[section], name) ? SCHEMA[section][name] : undefined;
}

// The fields of a section: 'run', 'record', 'plateau', 'sweep', 'range_test',
// 'grid', or one kind: fieldsOf('schedules', 'cosine').
export function fieldsOf(section, name) {
  const entry = name === undefined ? SCHEMA[section] : kind(section, name);
  return entry?.fields ?? [];
}

export function fieldOf(fields, key) {
  return fields.find((f) => f.key === key);
}

// The core's value for an absent key: undefined when the key is required or
// its default is not one value (default_text says what it is).
export function defaultOf(fields, key) {
  const f = fieldOf(fields, key);
  return f && f.default !== null ? f.default : undefined;
}

// Whether v lies in a schema range ({min, max, min_open, max_open}; null ends
// are infinite).
export function inRange(range, v) {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (!range) return Number.isFinite(v);
  const { min, max, min_open: lo, max_open: hi } = range;
  if (min !== null && (lo ? !(v > min) : !(v >= min))) return false;
  if (max !== null && (hi ? !(v < max) : !(v <= max))) return false;
  return Number.isFinite(v);
}

// The core's wording for a range (cpp/src/reader.cpp, Range::Describe).
export function rangeText(range) {
  const { min, max, min_open: lo, max_open: hi } = range;
  if (min === null && max === null) return 'must be a finite number';
  if (max === null) return `must be ${lo ? '>' : '>='} ${min}`;
  if (min === null) return `must be ${hi ? '<' : '<='} ${max}`;
  return `must be in ${lo ? '(' : '['}${min}, ${max}${hi ? ')' : ']'}`;
}

// The field a schema path names: "plateau.factor", "run.steps",
// "optimizers.sgd.lr", "problems.quadratic.diag[]" (the list's items).
// Returns {field, range} or null.
export function fieldAt(path) {
  const items = path.endsWith('[]');
  const parts = (items ? path.slice(0, -2) : path).split('.');
  const key = parts.pop();
  const fields = parts.length === 2 ? fieldsOf(parts[0], parts[1]) : fieldsOf(parts[0]);
  const field = fieldOf(fields, key);
  if (!field) return null;
  return { field, range: items ? field.items?.range ?? null : field.range ?? null };
}

// Whether [lo, hi] (both ends included) lies inside a schema range: a control
// offering lo..hi never offers a value the core refuses.
export function spanInRange(range, lo, hi) {
  return inRange(range, lo) && inRange(range, hi);
}

// Problems that train on a data set, and which one (e.g. mlp → digits).
export function datasetOf(problemName) {
  return kind('problems', problemName)?.dataset ?? null;
}

// Problems whose loss is a mean over samples: minibatches of batch_size and
// a separate validation loss.
export function isMinibatch(problemName) {
  return Boolean(kind('problems', problemName)?.minibatch);
}

// Whether a schedule may cycle the optimizer's momentum (or β₁).
export function hasMomentum(optimizerName) {
  return Boolean(kind('optimizers', optimizerName)?.momentum);
}
