// The lab on the reader's own CSV file, in Chromium: a link with a run on
// local data asks for a file; a 1000 × 20 file trains the MLP and logistic
// regression; bad files get their message and the last good table stays;
// the label column and split seed re-run; the share panel says the data is
// not in the link; the prepared table downloads, and the PyTorch code reads it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { figureFingerprint, inFigure, mountFigure, setControl, startBrowser, waitForFrame } from './browser.js';
import { blobs } from '../util/blobs.js';

const FIG = 'lrlab-figure[name="lab"]';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const text = (page, sel) => inFigure(page, FIG, (c, s) => c.querySelector(s)?.textContent ?? null, sel);
const panelStatus = (page) => text(page, '.lab-data-status');

// Picks a file in the panel's file input (inside the figure's shadow root).
async function pick(page, name, content, { frame = true } = {}) {
  await page.$eval(FIG, (el) => { el.dataset.waitFrom = el.dataset.frames ?? '0'; });
  await page.locator(`${FIG} input[name="data.file"]`).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  if (frame) await waitForFrame(page, FIG);
}

const finalValLoss = (page) => page.$eval(FIG, (el) => {
  const run = el.computations.find((c) => c.key === 'run:0');
  return run ? { val: run.result.valLoss.at(-1), config: run.config } : null;
});

test('lab: a link with a run on local data asks for a file; a 1000 × 20 CSV file trains the MLP and logistic regression', async () => {
  const config = { problem: { name: 'mlp', data: 'local', hidden: 16 }, optimizer: { name: 'adam', lr: 0.01 }, steps: 300, batch_size: 32, eval_every: 20 };
  const { page, problems } = await mountFigure(browser, 'lab', { config: JSON.stringify(config) });
  assert.match(await text(page, '.lr-notes'), /A run here trains on a reader's own CSV file, which no link or page carries: pick a CSV file under Problem/);
  assert.match(await text(page, '.lab-errors'), /problem\.data: no local data set is loaded: pick a CSV file in the lab/);
  assert.match(await panelStatus(page), /No file yet/);
  assert.equal(await inFigure(page, FIG, (c) => c.querySelector('[name="problem.data"]').value), 'local');

  await pick(page, 'blobs.csv', blobs());
  assert.match(await panelStatus(page), /^blobs\.csv: 1000 rows, 20 features, label "kind" with 2 classes \("ham", "spam"\); 800 rows to train on, 200 to validate \(split with seed 0\), standardised\. It stays on this machine\.$/);
  const fp = await figureFingerprint(page, FIG);
  assert.match(fp.status, /One run on your data: MLP classifier: run 1 .* ends at loss [\d.e−-]+ after 300 steps, validation loss [\d.]+/);
  const mlp = await finalValLoss(page);
  assert.equal(mlp.config.problem.data, 'local');
  assert.ok(mlp.val < 0.35, `the MLP learns the blobs (validation loss ${mlp.val}; chance is 0.69)`);
  assert.equal(await text(page, '.lab-errors ul'), null, 'no engine error once the file is in');

  // Logistic regression keeps the data; the split seed changes the split.
  await setControl(page, FIG, '[name="problem.name"]', 'logistic_regression');
  assert.equal(await inFigure(page, FIG, (c) => c.querySelector('[name="problem.data"]').value), 'local');
  const logistic = await finalValLoss(page);
  assert.ok(logistic.val < 0.35, `logistic regression learns the blobs (validation loss ${logistic.val})`);
  await setControl(page, FIG, '[name="data.seed"]', 5);
  assert.match(await panelStatus(page), /split with seed 5/);
  const reseeded = await finalValLoss(page);
  assert.notEqual(reseeded.val, logistic.val, 'another split, another validation loss');

  // The share panel says what the link leaves out.
  const caveat = await inFigure(page, FIG, (c) => {
    c.querySelector('.lr-share').open = true;
    c.querySelector('.lr-share').dispatchEvent(new Event('toggle'));
    return c.querySelector('.lr-share-caveat').textContent;
  });
  assert.match(caveat, /This link does not carry your CSV file \(it never leaves your machine\)/);

  // The prepared table downloads, and the PyTorch code reads that file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.$eval(FIG, (el) => el.shadowRoot.querySelector('.lab-data-download').click())]);
  assert.equal(download.suggestedFilename(), 'lrlab-data.csv');
  const table = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(table.length, 1001);
  assert.equal(table[0], `${Array.from({ length: 20 }, (_, j) => `x${j + 1}`).join(',')},class,split`);
  assert.equal(table.filter((l) => l.endsWith(',train')).length, 800);
  await page.$eval(FIG, (el) => { el.shadowRoot.querySelector('.lab-code').open = true; });
  const code = await text(page, '.lab-pre');
  assert.match(code, /with open\('lrlab-data\.csv', newline=''\) as file:/);
  assert.match(code, /targets = \(labels == 1\)\.double\(\)/);
  assert.deepEqual(problems, []);
});

test('lab: bad CSV files get a clear message and the last good table stays', async () => {
  const config = { problem: { name: 'mlp', data: 'local', hidden: 8 }, optimizer: { name: 'sgd', lr: 0.1 }, steps: 100, batch_size: 32 };
  const { page, problems } = await mountFigure(browser, 'lab', { config: JSON.stringify(config) });
  // Before any good file: the message, and the runs still wait.
  await pick(page, 'one.csv', 'value\n1\n2\n3\n', { frame: false });
  await page.waitForFunction((sel) => /cannot be used/.test(document.querySelector(sel).shadowRoot.querySelector('.lab-data-status').textContent), FIG);
  assert.equal(await panelStatus(page), 'one.csv cannot be used: the file has one column; it needs at least two: one or more numeric features, and a label.');
  assert.equal(await inFigure(page, FIG, (c) => c.querySelector('.lab-data-status').classList.contains('lr-error')), true);

  await pick(page, 'blobs.csv', blobs(200, 4));
  const good = await finalValLoss(page);
  assert.ok(Number.isFinite(good.val));
  const cases = [
    ['text.csv', 'a,b,label\n1,2,x\n3,abc,y\n5,6,x\n7,8,y\n9,10,x\n', /^text\.csv cannot be used: row 3, column "b": "abc" is not a number\. Features must be numbers; only the label may be text\. The runs keep the last table that worked \(blobs\.csv, label "kind"\)\.$/],
    ['missing.csv', 'a,b,label\n1,2,x\n3,,y\n5,NA,x\n7,8,y\n9,10,x\n', /^missing\.csv cannot be used: row 3, column "b" is missing; fill it in or remove the row \(and 1 more problem\)/],
    ['one-column.csv', 'a\n1\n2\n3\n4\n5\n', /^one-column\.csv cannot be used: the file has one column/],
  ];
  for (const [name, content, pattern] of cases) {
    await pick(page, name, content, { frame: false });
    await page.waitForFunction(([sel, n]) => document.querySelector(sel).shadowRoot.querySelector('.lab-data-status').textContent.startsWith(`${n} cannot`), [FIG, name]);
    assert.match(await panelStatus(page), pattern);
  }
  // The runs kept the good table: the same result.
  assert.equal((await finalValLoss(page)).val, good.val);
  // A measurement as the label is refused; the form offers the other columns.
  await pick(page, 'blobs.csv', blobs(200, 4));
  await page.$eval(FIG, (el) => {
    const s = el.shadowRoot.querySelector('[name="data.label"]');
    s.value = '0';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction((sel) => /cannot be used/.test(document.querySelector(sel).shadowRoot.querySelector('.lab-data-status').textContent), FIG);
  assert.match(await panelStatus(page), /^blobs\.csv cannot be used: the label column "x1" holds numbers that are not whole \([\d.-]+\); the lab classifies: pick a column of classes\. The runs keep the last table that worked \(blobs\.csv, label "kind"\)\.$/);
  assert.deepEqual(problems, []);
});
