// The lab's CSV import (web/src/model/csv.js): parsing, the messages for bad
// files, the seeded split and standardisation, the encoding the core reads
// (data set version 2), and training on it through the WASM engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, MAX_FEATURES, describeTable, encodeTable, parseCsv, prepareTable, tableCsv } from '../../web/src/model/csv.js';
import { ConfigError } from '../../web/src/engine/core.js';
import { loadCore } from '../util/core.js';
import { blobs } from '../util/blobs.js';


const rejects = (text, pattern, options) => assert.throws(() => prepareTable(parseCsv(text), options), (err) => {
  assert.ok(err instanceof CsvError, `a CsvError, got ${err}`);
  assert.match(err.message, pattern);
  return true;
});

test('a 1000 × 20 file with a header and a text label parses, splits 800/200 and is standardised on its training rows', () => {
  const parsed = parseCsv(blobs());
  assert.equal(parsed.header, true);
  assert.equal(parsed.columns.length, 21);
  assert.equal(parsed.rows.length, 1000);
  const t = prepareTable(parsed);
  assert.equal(t.n, 1000);
  assert.equal(t.d, 20);
  assert.equal(t.numTrain, 800);
  assert.deepEqual(t.classes, ['ham', 'spam']);
  assert.equal(t.labelName, 'kind');
  // The training rows' columns have mean 0 and population variance 1.
  for (let k = 0; k < t.d; k++) {
    let sum = 0, sq = 0;
    for (let i = 0; i < t.numTrain; i++) sum += t.features[i * t.d + k];
    const mean = sum / t.numTrain;
    for (let i = 0; i < t.numTrain; i++) sq += (t.features[i * t.d + k] - mean) ** 2;
    assert.ok(Math.abs(mean) < 1e-12, `feature ${k} mean ${mean}`);
    assert.ok(Math.abs(sq / t.numTrain - 1) < 1e-12, `feature ${k} variance ${sq / t.numTrain}`);
  }
  // The raw means are about 10 j (x1 … x20), so the statistics are the file's.
  assert.ok(Math.abs(t.mean[5] - 50) < 0.2 && Math.abs(t.std[5] - 1) < 0.1);
  // The split is a permutation of the rows: the same multiset of labels.
  assert.equal(t.labels.reduce((a, b) => a + b, 0), 500);
});

test('the split follows the seed: the same seed, the same split; another, another', () => {
  const parsed = parseCsv(blobs(200, 3));
  const a = prepareTable(parsed, { seed: 7 }), b = prepareTable(parsed, { seed: 7 }), c = prepareTable(parsed, { seed: 8 });
  assert.deepEqual(a.features, b.features);
  assert.notDeepEqual(a.features, c.features);
  assert.equal(a.numTrain, 160);
});

test('a file without a header, with a numeric label, semicolons or quotes parses', () => {
  const plain = parseCsv('1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,1\n');
  assert.equal(plain.header, false);
  assert.deepEqual(plain.columns, ['column 1', 'column 2', 'column 3']);
  const t = prepareTable(plain);
  assert.deepEqual(t.classes, ['0', '1']);
  assert.equal(t.numTrain, 4);
  // A text label in the last column does not make the first row a header.
  assert.equal(parseCsv('1,2,cat\n3,4,dog\n').header, false);
  const semi = parseCsv('a;b;label\n1,5;2;x\n3;4;y\n5;6;x\n7;8;y\n9;10;x\n');
  assert.deepEqual(semi.columns, ['a', 'b', 'label']);
  assert.throws(() => prepareTable(semi), /row 2, column "a": "1,5" is not a number/);
  const quoted = prepareTable(parseCsv('"width, cm","height",class\n"1.5",2,"a, b"\n3,4,c\n5,6,c\n7,8,"a, b"\n9,1e1,c\n'));
  assert.deepEqual(quoted.featureNames, ['width, cm', 'height']);
  assert.deepEqual(quoted.classes, ['a, b', 'c']);
  // Another label column: the rest are the features.
  const other = prepareTable(parseCsv('y,a,b\n0,1,2\n1,3,4\n0,5,6\n1,7,8\n1,9,10\n'), { label: 0 });
  assert.deepEqual(other.featureNames, ['a', 'b']);
  // "1" and "1.0" are one class.
  assert.deepEqual(prepareTable(parseCsv('1,1\n2,1.0\n3,0\n4,0\n5,1\n')).classes, ['0', '1']);
});

test('bad files get a clear message: text, missing values, one column, ragged rows, one class, too much', () => {
  rejects('a,b,label\n1,2,x\n3,abc,y\n5,6,x\n7,8,y\n9,10,x\n', /^row 3, column "b": "abc" is not a number\. Features must be numbers; only the label may be text\.$/);
  rejects('a,b,label\n1,,x\n3,NA,y\n5,6,x\n7,8,y\n9,10,x\n', /^row 2, column "b" is missing; fill it in or remove the row \(and 1 more problem\)/);
  assert.throws(() => parseCsv('value\n1\n2\n3\n'), /one column; it needs at least two/);
  assert.throws(() => parseCsv('1\n2\n3\n'), /one column/);
  rejects('a,b,label\n1,2,x\n3,4\n5,6,x\n7,8,y\n9,10,x\n', /row 3 has 2 values, the first row 3/);
  rejects('a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n9,10,x\n', /label column "label" has one value only \("x"\)/);
  rejects('a,b,label\n1,2,x\n3,4,\n5,6,x\n7,8,y\n9,10,x\n', /row 3 has no label/);
  rejects('a,label\n1,x\n2,y\n', /2 data rows; it needs at least 5/);
  rejects('a,label\n' + Array.from({ length: 300 }, (_, i) => `${i},${i}`).join('\n'), /300 distinct values; at most 256 classes/);
  rejects('a,label\n1,0.5\n2,1\n3,2\n4,1\n5,0\n', /the label column "label" holds numbers that are not whole \(0\.5\); the lab classifies/);
  const wide = Array.from({ length: MAX_FEATURES + 2 }, (_, j) => `c${j}`).join(',');
  rejects(`${wide}\n${wide.replace(/c\d+/g, '1')}\n`, /101 feature columns; the lab takes at most 100/);
  rejects('a,b,label\n1,2,x\n0x10,4,y\n5,Infinity,x\n7,8,y\n9,10,x\n', /row 3, column "a": "0x10" is not a number \(and 1 more problem\)/);
  assert.throws(() => parseCsv(''), /the file is empty/);
  assert.throws(() => parseCsv('1,2\n'.repeat(600_000)), /more than 500000 rows/);
  assert.throws(() => parseCsv('x'.repeat(21 * 1024 * 1024)), /21\.0 MB; at most 20 MB/);
  assert.throws(() => parseCsv('a,"b\n1,2\n'), /a quote opened on line 1 is never closed/);
  assert.throws(() => parseCsv('PK\u0003\u0004\u0000\u0000zip'), /not text/);
  assert.throws(() => parseCsv(42), /not text/);
  rejects('a,label\n1e308,x\n-1e308,y\n1e308,x\n-1e308,y\n1e308,x\n', /column "a" holds values too large to standardise/);
  // Large and tiny values keep their spread.
  for (const scale of [1e300, 1e-300]) {
    const t = prepareTable(parseCsv(`a,label\n${[1, -1, 2, -2, 0, 3].map((v, i) => `${v * scale},${i % 2}`).join('\n')}\n`));
    const train = Array.from(t.features.subarray(0, t.numTrain));
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    assert.ok(Math.abs(mean) < 1e-12 && Math.abs(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length - 1) < 1e-12, `scale ${scale}`);
  }
});

test('the prepared table is encoded as the core reads it, and the CSV download holds the same rows', () => {
  const t = prepareTable(parseCsv('a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,10,x\n'));
  const bytes = encodeTable(t);
  assert.equal(String.fromCharCode(...bytes.subarray(0, 8)), 'LRLABDS2');
  assert.equal(bytes.length, 24 + 8 * 5 * 2 + 5 + 4);
  const view = new DataView(bytes.buffer);
  assert.deepEqual([8, 12, 16, 20].map((o) => view.getUint32(o, true)), [5, 2, 2, 4]);
  assert.equal(view.getFloat64(24, true), t.features[0]);
  const csv = tableCsv(t).trim().split('\n');
  assert.equal(csv[0], 'a,b,class,split');
  assert.equal(csv.length, 6);
  assert.equal(csv.filter((l) => l.endsWith(',train')).length, 4);
  assert.equal(Number(csv[1].split(',')[0]), t.features[0]);
  assert.match(describeTable(t, 'mine.csv'), /^mine\.csv: 5 rows, 2 features, label "label" with 2 classes \("x", "y"\); 4 rows to train on, 1 to validate/);
});

test('the engine trains the mlp and logistic regression on a registered table, and says when there is none', async () => {
  const { core } = await loadCore();
  const config = (problem, extra = {}) => ({ problem, optimizer: { name: 'sgd', lr: 0.1 }, steps: 300, batch_size: 32, eval_every: 50, ...extra });
  await assert.rejects(async () => {
    await core.prepare(config({ name: 'mlp', data: 'local' }));
    core.run(config({ name: 'mlp', data: 'local' }));
  }, (err) => err instanceof ConfigError && /problem\.data: no local data set is loaded: pick a CSV file in the lab/.test(err.message));

  const table = prepareTable(parseCsv(blobs()));
  assert.equal(core.setLocalData(encodeTable(table)), true);
  const mlp = core.run(config({ name: 'mlp', data: 'local', hidden: 16 }));
  assert.equal(mlp.problem.classes, 2);
  assert.equal(mlp.problem.n_train, 800);
  assert.equal(mlp.problem.n_val, 200);
  assert.equal(mlp.problem.dim, 16 * 21 + 2 * 17);
  // Chance is log 2 ≈ 0.69; the blobs are separable enough for far less.
  assert.ok(mlp.valLoss.at(-1) < 0.35, `validation loss ${mlp.valLoss.at(-1)}`);
  const logistic = core.run(config({ name: 'logistic_regression', data: 'local' }));
  assert.ok(logistic.valLoss.at(-1) < 0.35, `validation loss ${logistic.valLoss.at(-1)}`);
  // The digits still train beside it.
  await core.prepare(config({ name: 'mlp' }));
  assert.equal(core.run({ ...config({ name: 'mlp', hidden: 4 }), steps: 2 }).problem.classes, 10);

  // Corrupt bytes: the core's reason, and the last good table stays.
  const bad = encodeTable(table);
  bad[100] ^= 1;
  assert.throws(() => core.setLocalData(bad), /your data could not be read: data set file: checksum mismatch/);
  assert.equal(core.run({ ...config({ name: 'mlp', data: 'local', hidden: 4 }), steps: 1 }).problem.n_train, 800);
});

test('random text never breaks the import: a table or a CsvError, nothing else', () => {
  const alphabet = [',', ',', ';', '\t', '"', '\n', '\n', '\r\n', '0', '1', '7', '.', 'e', '-', '+', ' ', 'NA', 'x', '1e308', '1e-320', '\u0000', '\uFEFF'];
  let s = 99;
  const next = (k) => {
    s = (s * 48271) % 2147483647;
    return s % k;
  };
  let tables = 0;
  for (let trial = 0; trial < 3000; trial++) {
    let text = '';
    if (trial % 2) {
      // Noise from the alphabet.
      const length = 1 + next(200);
      for (let i = 0; i < length; i++) text += alphabet[next(alphabet.length)];
    } else {
      // A table of small numbers, with a token from the alphabet here and there.
      const rows = 5 + next(30), cols = 2 + next(3);
      for (let r = 0; r < rows; r++) {
        const cells = Array.from({ length: cols }, () => (next(40) ? String(next(4)) : alphabet[next(alphabet.length)]));
        text += `${cells.join(',')}\n`;
      }
    }
    try {
      const parsed = parseCsv(text);
      const t = prepareTable(parsed, { label: next(parsed.columns.length), seed: next(5) });
      assert.ok(t.features.every(Number.isFinite) && t.numTrain >= 1 && t.numTrain < t.n);
      assert.equal(encodeTable(t).length, 24 + 8 * t.n * t.d + t.n + 4);
      tables++;
    } catch (err) {
      if (!(err instanceof CsvError)) throw new Error(`${JSON.stringify(text)}: ${err.stack}`);
    }
  }
  assert.ok(tables > 0, 'some random files are tables');
});
