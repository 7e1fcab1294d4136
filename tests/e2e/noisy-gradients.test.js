// The noisy-gradients figure in Chromium: minibatch SGD on the digits draws
// its loss curves and noise floor; the floor falls as the batch grows and rises
// with η; every control redraws; bad attributes fall back with a note. Its
// layout at phone width in both themes: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, inFigure, mountFigure, setControl, startBrowser,
} from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="noisy-gradients"]';
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1437];

const info = (page) => inFigure(page, figure, (c) => ({
  status: c.querySelector('.lr-status').textContent,
  mean: Number(c.dataset.floorMean),
  std: Number(c.dataset.floorStd),
  canvases: c.querySelectorAll('canvas').length,
}));

// η = 10^(log10(0.003) + 3·p/1000) on the log slider (0.003 … 3).
const lrPosition = (lr) => Math.round(((Math.log10(lr) - Math.log10(0.003)) / 3) * 1000);

// The full-batch reference arrives in a second frame; wait for it.
const settled = (page) => page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('.lr-figure').dataset.pending === '', figure);

// Sets a control and waits for the frame with the full-batch reference.
async function change(page, control, value) {
  await setControl(page, figure, control, value);
  await settled(page);
}

test('noisy-gradients: the noise floor falls with the batch size and rises with η', async () => {
  const { page, problems } = await mountFigure(browser, 'noisy-gradients', {});
  await settled(page);
  const first = await info(page);
  assert.equal(first.canvases, 1);
  assert.match(first.status, /Batch 16, η = 0\.1, seed 0: over the last 101 steps the minibatch loss sits at a noise floor of [\d.]+ ± [\d.]+/);
  const tracked = await page.$eval(figure, (el) => el.computations.map((c) => [c.key, c.op, c.config.batch_size]));
  assert.deepEqual(tracked.sort(), [['reference', 'run', 1437], ['run', 'run', 16]]);

  // Batch 1 → 256: a much lower spread.
  await change(page, 'input.lr-ng-batch', BATCHES.indexOf(1));
  const one = await info(page);
  await change(page, 'input.lr-ng-batch', BATCHES.indexOf(256));
  const big = await info(page);
  assert.ok(big.std < one.std / 5, `std at B=256 (${big.std}) should be far below B=1 (${one.std})`);
  assert.match(big.status, /Batch 256/);

  // At B = 8, η 0.01 → 1: a higher floor spread.
  await change(page, 'input.lr-ng-batch', BATCHES.indexOf(8));
  await change(page, 'input.lr-ng-lr', lrPosition(0.01));
  const slow = await info(page);
  await change(page, 'input.lr-ng-lr', lrPosition(1));
  const fast = await info(page);
  assert.ok(fast.std > slow.std, `std at η=1 (${fast.std}) should exceed η=0.01 (${slow.std})`);
  console.log(`noisy-gradients: floor B=1 ${one.mean.toFixed(3)}±${one.std.toFixed(3)}, B=256 ${big.mean.toFixed(3)}±${big.std.toFixed(3)}, η=0.01 ±${slow.std.toFixed(3)}, η=1 ±${fast.std.toFixed(3)}`);

  // Resample: a new seed, a different curve.
  const a = await figureFingerprint(page, figure);
  await inFigure(page, figure, (c) => {
    const host = c.getRootNode().host;
    host.dataset.waitFrom = host.dataset.frames;
    c.querySelector('.lr-ng-seed').click();
  });
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return Number(el.dataset.frames) > Number(el.dataset.waitFrom);
  }, figure);
  await settled(page);
  const b = await figureFingerprint(page, figure);
  assert.notEqual(b.hash, a.hash);
  assert.match(b.status, /seed 1/);

  // The full-batch reference can be switched off.
  await setControl(page, figure, 'input.lr-ng-ref', false);
  const c = await figureFingerprint(page, figure);
  assert.notEqual(c.hash, b.hash);
  assert.doesNotMatch(c.status, /full-batch/);
  const keys = await page.$eval(figure, (el) => el.computations.map((x) => x.key));
  assert.deepEqual(keys, ['run']);
  assert.deepEqual(problems, []);
});

test('noisy-gradients: bad attributes fall back with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'noisy-gradients', { lr: -1, batch: 100, reference: 'maybe' });
  const notes = await inFigure(page, figure, (c) => [...c.querySelectorAll('.lr-note')].map((n) => n.textContent).join(' | '));
  assert.match(notes, /lr="-1" is not a number in \[0\.003, 3\]; using 0\.1/);
  assert.match(notes, /batch="100" is not on the slider; using 128/);
  assert.match(notes, /reference="maybe" is not one of on, off; using on/);
  await settled(page);
  assert.match((await info(page)).status, /Batch 128, η = 0\.1/);
  assert.deepEqual(problems, []);
});
