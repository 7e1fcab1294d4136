// The local-minima figure in Chromium: the double well's curve and path are
// drawn, η and x₀ move the run between the basins, Play/Reset replay the
// path, gradient noise and the seed change the run, bad attributes fall back
// with a note. Its layout at phone width, in both themes and in the deep
// basin: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureFingerprint, inFigure, mountFigure, setControl, shootFigure, startBrowser,
} from './browser.js';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const figure = 'lrlab-figure[name="local-minima"]';

const info = (page) => inFigure(page, figure, (c) => ({
  status: c.querySelector('.lr-status').textContent,
  basin: c.dataset.basin,
  canvases: c.querySelectorAll('canvas').length,
  readout: c.querySelector('.lr-lm-step').textContent,
}));

// η = 10^(log10(0.005) + 2·p/1000) on the log slider (0.005 … 0.5).
const lrPosition = (lr) => Math.round(((Math.log10(lr) - Math.log10(0.005)) / 2) * 1000);

test('local-minima: draws the path and says which basin the run ended in', async () => {
  const { page, problems } = await mountFigure(browser, 'local-minima', {});
  const first = await info(page);
  assert.equal(first.canvases, 2);
  assert.equal(first.basin, 'shallow');
  assert.match(first.status, /settled in the shallow basin at x ≈ 1\.00, f = 2\.25/);
  const tracked = await page.$eval(figure, (el) => el.computations.map((c) => [c.key, c.op]));
  assert.deepEqual(tracked.sort(), [['grid', 'grid'], ['run', 'run'], ['run2', 'run']]);
  // Beside it by default, a large η from the same start: over the barrier.
  assert.equal(await inFigure(page, figure, (c) => c.dataset.basin2), 'deep');
  assert.match(first.status, /With η = 0\.2 \(run 2\) the run settled in the deep basin at x ≈ −2\.00, f = 0 .*crossing the barrier once \(first at step 1\)/);
  // Its own slider moves it back: a small second η stays in the shallow basin.
  await setControl(page, figure, 'input.lr-lm-lr2', lrPosition(0.01));
  assert.equal(await inFigure(page, figure, (c) => c.dataset.basin2), 'shallow');
  await setControl(page, figure, 'input.lr-lm-lr2', lrPosition(0.2));

  // η = 0.2 hops the barrier into the deep basin (README: 0.15 … 0.31).
  const before0 = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-lm-lr', lrPosition(0.2));
  const deep = await info(page);
  assert.equal(deep.basin, 'deep');
  assert.match(deep.status, /settled in the deep basin at x ≈ −2\.00, f = 0 .*crossing the barrier once/);
  assert.notEqual((await figureFingerprint(page, figure)).hash, before0.hash);

  // η = 0.4 diverges, and says so.
  await setControl(page, figure, 'input.lr-lm-lr', lrPosition(0.4));
  const diverged = await info(page);
  assert.equal(diverged.basin, 'diverged');
  assert.match(diverged.status, /diverged at step \d+/);

  // x₀ on the other side of the barrier, small η: the deep basin.
  await setControl(page, figure, 'input.lr-lm-lr', lrPosition(0.05));
  const beforeX0 = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-lm-x0', -0.5);
  const left = await info(page);
  assert.equal(left.basin, 'deep');
  assert.notEqual((await figureFingerprint(page, figure)).status, beforeX0.status);

  // Reset shows only the start; Step moves one step; Play replays to the end.
  await inFigure(page, figure, (c) => c.querySelector('.lr-lm-reset').click());
  assert.match((await info(page)).readout, /^step 0 of/);
  await inFigure(page, figure, (c) => c.querySelector('.lr-lm-stepbtn').click());
  assert.match((await info(page)).readout, /^step 1 of/);
  await inFigure(page, figure, (c) => c.querySelector('.lr-lm-play').click());
  await page.waitForFunction((sel) => /^step (\d+) of \1:/.test(document.querySelector(sel).shadowRoot.querySelector('.lr-lm-step').textContent), figure, { timeout: 15000 });
  assert.deepEqual(problems, []);
});

test('local-minima: dragging on the curve moves the start', async () => {
  const { page, problems } = await mountFigure(browser, 'local-minima', {});
  // The landscape's plot area spans x in [−3.2, 3.2]: press at x = −1, drag to
  // x = −0.5 and let go there (the other side of the barrier).
  const box = await page.$eval(figure, (el) => {
    const r = el.shadowRoot.querySelector('.u-over').getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const at = (x) => box.left + ((x + 3.2) / 6.4) * box.width;
  await page.$eval(figure, (el) => { el.dataset.waitFrom = el.dataset.frames; });
  await page.mouse.move(at(-1), box.top + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(at(-0.5), box.top + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return Number(el.dataset.frames) > Number(el.dataset.waitFrom) && el.shadowRoot.querySelector('.lr-figure').dataset.basin === 'deep';
  }, figure, { timeout: 15000 });
  const x0 = await page.$eval(figure, (el) => el.computations.find((c) => c.key === 'run').config.problem.x0[0]);
  assert.ok(Math.abs(x0 - -0.5) <= 0.051, `the start followed the pointer: x0 = ${x0}`);
  assert.equal(await inFigure(page, figure, (c) => c.querySelector('.lr-lm-x0').closest('label').querySelector('output').textContent), '−0.5');
  assert.deepEqual(problems, []);
});

test('local-minima: gradient noise and the seed change the run', async () => {
  const { page, problems } = await mountFigure(browser, 'local-minima', { lr: 0.05 });
  const controls = await inFigure(page, figure, (c) => ({
    noiseShown: getComputedStyle(c.querySelector('.lr-lm-noise').closest('label')).display !== 'none',
    seedShown: getComputedStyle(c.querySelector('.lr-lm-seed').parentElement).display !== 'none',
    seedDisabled: c.querySelector('.lr-lm-seed').disabled,
  }));
  assert.deepEqual(controls, { noiseShown: true, seedShown: true, seedDisabled: true });
  // Without noise the config has no gradient_noise key at all.
  const quiet = await page.$eval(figure, (el) => el.computations.find((c) => c.key === 'run').config);
  assert.equal('gradient_noise' in quiet, false);

  const a = await figureFingerprint(page, figure);
  await setControl(page, figure, 'input.lr-lm-noise', 4);
  const b = await figureFingerprint(page, figure);
  assert.notEqual(b.hash, a.hash);
  assert.match(b.status, /gradient noise σ = 4 \(seed 0\)/);
  const config = await page.$eval(figure, (el) => el.computations.find((c) => c.key === 'run').config);
  assert.equal(config.gradient_noise, 4);
  assert.equal(config.seed, 0);
  assert.equal(await inFigure(page, figure, (c) => c.querySelector('.lr-lm-seed').disabled), false);
  await inFigure(page, figure, (c) => {
    const host = c.getRootNode().host;
    host.dataset.waitFrom = host.dataset.frames;
    c.querySelector('.lr-lm-seed').click();
  });
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return Number(el.dataset.frames) > Number(el.dataset.waitFrom);
  }, figure);
  const c = await figureFingerprint(page, figure);
  assert.notEqual(c.hash, b.hash);
  assert.match(c.status, /seed 1/);
  const reseeded = await page.$eval(figure, (el) => el.computations.find((c) => c.key === 'run').config);
  assert.deepEqual([reseeded.gradient_noise, reseeded.seed], [4, 1]);
  await shootFigure(page, figure, 'local-minima-noise.png');

  // The noise attribute starts a noisy run.
  const noisy = await mountFigure(browser, 'local-minima', { lr: 0.05, noise: 2, seed: 7 });
  assert.match((await figureFingerprint(noisy.page, figure)).status, /gradient noise σ = 2 \(seed 7\)/);
  const noisyConfig = await noisy.page.$eval(figure, (el) => el.computations.find((c) => c.key === 'run').config);
  assert.deepEqual([noisyConfig.gradient_noise, noisyConfig.seed], [2, 7]);
  assert.deepEqual(problems, []);
  assert.deepEqual(noisy.problems, []);
});

test('local-minima: under reduced motion Play jumps to the end', async () => {
  const { page, problems } = await mountFigure(browser, 'local-minima', {});
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await inFigure(page, figure, (c) => c.querySelector('.lr-lm-reset').click());
  assert.match((await info(page)).readout, /^step 0 of 150/);
  await inFigure(page, figure, (c) => c.querySelector('.lr-lm-play').click());
  assert.match((await info(page)).readout, /^step 150 of 150/);
  assert.deepEqual(problems, []);
});

test('local-minima: bad attributes fall back with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'local-minima', { lr: 'banana', lr2: 7, x0: 9, steps: 12.5 });
  const notes = await inFigure(page, figure, (c) => [...c.querySelectorAll('.lr-note')].map((n) => n.textContent).join(' | '));
  assert.match(notes, /lr="banana" is not a number in \[0\.005, 0\.5\]; using 0\.03/);
  assert.match(notes, /lr2="7" is not a number in \[0\.005, 0\.5\]; using 0\.2/);
  assert.match(notes, /x0="9" is not a number in \[−3, 3\]; using 2\.5/);
  assert.match(notes, /steps="12\.5" is not a whole number; using 150/);
  assert.match((await info(page)).status, /^From x₀ = 2\.5: With η = 0\.03 \(run 1\) .* With η = 0\.2 \(run 2\) /);
  assert.deepEqual(problems, []);
});
