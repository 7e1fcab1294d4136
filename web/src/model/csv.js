// The reader's own data for the lab: a CSV file parsed in the page, checked,
// split into training and validation rows with a seed, standardised with the
// training rows' statistics, and encoded as the core's data set version 2
// (cpp/include/lrlab/core/dataset.hpp) for engine.setLocalData. Nothing
// leaves the reader's machine: the bytes go to the page's own Workers.
//
//   const parsed = parseCsv(text);                    // {columns, rows, header}
//   const table = prepareTable(parsed, {label: parsed.columns.length - 1, seed: 0});
//   await engine.setLocalData(encodeTable(table));    // then {"problem": {"name": "mlp", "data": "local"}}
//
// Every problem with the file throws a CsvError whose message says what and
// where ('row 7, column "age": "abc" is not a number'), in the reader's terms:
// rows are counted as a spreadsheet shows them (the header is row 1).

// Bounds of the core's table (dataset.hpp: kMaxTableFeatures, kMaxTableEntries)
// and of what the page reads at all.
export const MAX_FEATURES = 100;
export const MAX_VALUES = 500_000;
export const MAX_CLASSES = 256;
export const MIN_ROWS = 5;
export const MAX_BYTES = 20 * 1024 * 1024;
export const VALIDATION_SHARE = 0.2;

export class CsvError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CsvError';
  }
}

// Cells read as missing rather than as text.
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);
const isMissing = (cell) => MISSING.has(cell.trim().toLowerCase());

// A number as a spreadsheet writes one: decimal notation, optional exponent
// (Number() alone would also take "0x10", "Infinity" and " ").
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
function numberOf(cell) {
  const text = cell.trim();
  if (!NUMBER.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

// The delimiter of the first line: the most frequent of , ; and tab outside quotes.
function delimiterOf(text) {
  const end = text.search(/\r?\n/);
  const line = end < 0 ? text : text.slice(0, end);
  let best = ',', bestCount = 0;
  for (const d of [',', ';', '\t']) {
    let count = 0, quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

// Splits CSV text into lines of cells (quotes as RFC 4180: "a, b" and ""
// for a quote inside), with each line's number in the file.
function splitRows(text, delimiter) {
  const rows = [];
  let row = [], cell = '', quoted = false, line = 1, rowLine = 1, i = 0;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0].trim() !== '') rows.push({ cells: row, line: rowLine });
    // Every row holds at least one feature: more rows than values is too many.
    if (rows.length > MAX_VALUES + 1) throw new CsvError(`the file has more than ${MAX_VALUES} rows; the lab takes at most ${MAX_VALUES} values in all`);
    row = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === '') { quoted = true; cell = ''; }
    else if (ch === delimiter) { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
    i++;
  }
  if (quoted) throw new CsvError(`a quote opened on line ${rowLine} is never closed`);
  endRow();
  return rows;
}

// {columns: names, rows: [{cells, line}], header: whether line 1 named the
// columns}. The first line is a header when one of its cells is text above
// a number, or when every cell of it is text (a text label column alone
// does not make one).
export function parseCsv(text) {
  if (typeof text !== 'string') throw new CsvError('the file is not text');
  if (text.length > MAX_BYTES) throw new CsvError(`the file is ${(text.length / 1048576).toFixed(1)} MB; at most ${MAX_BYTES / 1048576} MB`);
  if (text.includes('\u0000')) throw new CsvError('the file is not text (it holds binary data): pick a .csv file');
  const body = text.replace(/^\uFEFF/, '');
  const lines = splitRows(body, delimiterOf(body));
  if (lines.length === 0) throw new CsvError('the file is empty');
  const first = lines[0].cells;
  const isText = (c) => c !== undefined && !isMissing(c) && numberOf(c) === null;
  const second = lines[1]?.cells ?? [];
  const header = first.every(isText) || first.some((c, j) => isText(c) && (lines.length < 2 || numberOf(second[j] ?? '') !== null));
  const width = first.length;
  const columns = header
    ? first.map((c, j) => c.trim() || `column ${j + 1}`)
    : first.map((_, j) => `column ${j + 1}`);
  if (width < 2) {
    throw new CsvError('the file has one column; it needs at least two: one or more numeric features, and a label');
  }
  return { columns, rows: header ? lines.slice(1) : lines, header };
}

// Distinct class names in a stable order: numbers by value, then text
// alphabetically.
function classOrder(distinct) {
  const valued = distinct.map((name) => ({ name, v: numberOf(name) }));
  const num = valued.filter((c) => c.v !== null).sort((a, b) => a.v - b.v);
  const text = valued.filter((c) => c.v === null).map((c) => c.name).sort();
  return [...num.map((c) => c.name), ...text];
}

// A small seeded generator (mulberry32) for the split: the same seed gives
// the same split in every browser.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Checks and prepares a parsed file: `label` the index of the label column
// (default the last), `seed` the split's (default 0). Returns {n, d, numTrain,
// features: Float64Array n·d (training rows first, standardised), labels:
// Uint8Array, classes: names, featureNames, labelName, mean, std (of the
// training rows, per feature), seed}.
export function prepareTable(parsed, { label = parsed.columns.length - 1, seed = 0 } = {}) {
  const { columns, rows } = parsed;
  const width = columns.length;
  if (!Number.isInteger(label) || label < 0 || label >= width) throw new CsvError(`there is no column ${label + 1} to use as the label`);
  const labelName = columns[label];
  const featureCols = columns.map((_, j) => j).filter((j) => j !== label);
  const d = featureCols.length;
  if (d > MAX_FEATURES) throw new CsvError(`the file has ${d} feature columns; the lab takes at most ${MAX_FEATURES}`);
  const n = rows.length;
  if (n < MIN_ROWS) throw new CsvError(`the file has ${n} data row${n === 1 ? '' : 's'}; it needs at least ${MIN_ROWS} (some to train on, some to validate)`);
  if (n * d > MAX_VALUES) throw new CsvError(`${n} rows × ${d} features is ${n * d} values; the lab takes at most ${MAX_VALUES}`);

  // Every problem, reported with the first one and a count: a row's shape
  // and label first, then the label column as a whole, then the features.
  const problems = [], featureProblems = [];
  const features = new Float64Array(n * d);
  const rawLabels = new Array(n);
  const rowName = (r) => `row ${r.line}`;
  rows.forEach((r, i) => {
    if (r.cells.length !== width) {
      problems.push(`${rowName(r)} has ${r.cells.length} value${r.cells.length === 1 ? '' : 's'}, the first row ${width}`);
      return;
    }
    const lab = r.cells[label].trim();
    if (isMissing(lab)) problems.push(`${rowName(r)} has no label (column "${labelName}" is empty)`);
    const value = numberOf(lab);
    rawLabels[i] = value === null ? lab : String(value);  // "1" and "1.0" are one class
    featureCols.forEach((j, k) => {
      const cell = r.cells[j];
      if (isMissing(cell)) {
        featureProblems.push(`${rowName(r)}, column "${columns[j]}" is missing; fill it in or remove the row`);
        return;
      }
      const v = numberOf(cell);
      if (v === null) featureProblems.push(`${rowName(r)}, column "${columns[j]}": "${clip(cell.trim())}" is not a number`);
      else features[i * d + k] = v;
    });
  });
  const report = (list, advice) => {
    const more = list.length > 1 ? ` (and ${list.length - 1} more problem${list.length > 2 ? 's' : ''})` : '';
    throw new CsvError(`${list[0]}${more}. ${advice}`);
  };
  if (problems.length) report(problems, 'Every row needs a value in every column.');

  // The label's values, each once in the order met: checked before they are
  // sorted (a column of 500 000 distinct values is refused, not sorted).
  const distinct = [...new Set(rawLabels)];
  // A label of fractional numbers is a measurement, not a class.
  const fractional = distinct.find((v) => !Number.isInteger(numberOf(v) ?? 0));
  if (fractional !== undefined) {
    throw new CsvError(`the label column "${labelName}" holds numbers that are not whole (${clip(fractional)}); the lab classifies: pick a column of classes`);
  }
  if (distinct.length < 2) throw new CsvError(`the label column "${labelName}" has one value only ("${clip(distinct[0])}"); it needs at least two classes`);
  if (distinct.length > MAX_CLASSES) {
    throw new CsvError(`the label column "${labelName}" has ${distinct.length} distinct values; at most ${MAX_CLASSES} classes (is the label another column?)`);
  }
  const classes = classOrder(distinct);
  if (featureProblems.length) report(featureProblems, 'Features must be numbers; only the label may be text.');
  const classIndex = new Map(classes.map((c, k) => [c, k]));

  // The split: a seeded shuffle, the first 80 % to train on.
  const order = Array.from({ length: n }, (_, i) => i);
  const random = generator(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const numTrain = Math.min(n - 1, Math.max(1, Math.round(n * (1 - VALIDATION_SHARE))));

  // Standardised with the training rows' mean and population standard
  // deviation; a column constant over them is only centred. The mean is a
  // running one and the deviations are scaled by their largest before they
  // are squared, so values up to ~1e307 neither overflow nor lose the spread.
  const mean = new Float64Array(d), std = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let m = 0, big = 0, sum = 0;
    for (let t = 0; t < numTrain; t++) m += (features[order[t] * d + k] - m) / (t + 1);
    for (let t = 0; t < numTrain; t++) big = Math.max(big, Math.abs(features[order[t] * d + k] - m));
    if (big > 0) for (let t = 0; t < numTrain; t++) sum += ((features[order[t] * d + k] - m) / big) ** 2;
    mean[k] = m;
    std[k] = big > 0 ? big * Math.sqrt(sum / numTrain) : 1;
    if (!Number.isFinite(m) || !Number.isFinite(std[k])) throw new CsvError(`column "${columns[featureCols[k]]}" holds values too large to standardise (beyond about ±1e307)`);
    if (!(std[k] > 0)) std[k] = 1;
  }
  const out = new Float64Array(n * d);
  const labels = new Uint8Array(n);
  order.forEach((src, i) => {
    for (let k = 0; k < d; k++) out[i * d + k] = (features[src * d + k] - mean[k]) / std[k];
    labels[i] = classIndex.get(rawLabels[src]);
  });
  if (!out.every(Number.isFinite)) throw new CsvError('some values are too large to standardise (beyond about ±1e307)');
  return {
    n, d, numTrain, features: out, labels, classes,
    featureNames: featureCols.map((j) => columns[j]), labelName, mean, std, seed,
  };
}

const clip = (text) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

function fnv1a(bytes, end) {
  let h = 0x811C9DC5;
  for (let i = 0; i < end; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// The core's data set version 2 (dataset.hpp), little-endian.
export function encodeTable({ n, d, numTrain, features, labels, classes }) {
  const header = 24;
  const bytes = new Uint8Array(header + 8 * n * d + n + 4);
  const view = new DataView(bytes.buffer);
  bytes.set([...'LRLABDS2'].map((c) => c.charCodeAt(0)), 0);
  view.setUint32(8, n, true);
  view.setUint32(12, d, true);
  view.setUint32(16, classes.length, true);
  view.setUint32(20, numTrain, true);
  for (let i = 0; i < n * d; i++) view.setFloat64(header + 8 * i, features[i], true);
  bytes.set(labels, header + 8 * n * d);
  view.setUint32(bytes.length - 4, fnv1a(bytes, bytes.length - 4), true);
  return bytes;
}

// One line about a prepared table, for the lab's panel and its summary.
export function describeTable(table, fileName = 'your file') {
  const { n, d, numTrain, classes, labelName } = table;
  const shown = classes.length <= 4 ? ` (${classes.map((c) => `"${clip(c)}"`).join(', ')})` : '';
  return `${fileName}: ${n} rows, ${d} feature${d === 1 ? '' : 's'}, label "${labelName}" with ${classes.length} classes${shown}; ` +
    `${numTrain} rows to train on, ${n - numTrain} to validate (split with seed ${table.seed}), standardised. It stays on this machine.`;
}

// The prepared table as CSV, as the PyTorch export reads it
// (export/pytorch.js, lrlab-data.csv): the standardised features (shortest
// round-trip decimals), the class index and the split, training rows first.
export function tableCsv({ n, d, numTrain, features, labels, featureNames }) {
  const quote = (name) => (/[",\n\r]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name);
  const lines = [[...featureNames.map(quote), 'class', 'split'].join(',')];
  for (let i = 0; i < n; i++) {
    const row = Array.from(features.subarray(i * d, (i + 1) * d), String);
    row.push(String(labels[i]), i < numTrain ? 'train' : 'validation');
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
