// The "plateau" figure in Chromium: the digits classifier trained with
// reduce-on-plateau draws its three synced charts, cuts η where the native
// CLI does, shows the controller's counters, and answers every control. Its
// layout at phone width in both themes: article.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figureFingerprint, inFigure, mountFigure, setControl, startBrowser } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'build/native/lrlab');
const figure = 'lrlab-figure[name="plateau"]';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

function state(page) {
  return inFigure(page, figure, (c) => ({
    cuts: c.dataset.cuts,
    inspect: c.dataset.inspect,
    status: c.querySelector('.lr-status').textContent,
    readout: c.querySelector('.lr-plateau-readout').textContent,
    canvases: c.querySelectorAll('canvas').length,
    notes: [...c.querySelectorAll('.lr-note')].map((n) => n.textContent),
  }));
}

// Sets a control like a reader would and waits for the frame it causes.
const control = (page, name, value) => setControl(page, figure, `[data-control="${name}"] input, [data-control="${name}"] select`, value);

test('plateau: draws three synced charts, cuts η and shows the counters', async () => {
  const { page, problems } = await mountFigure(browser, 'plateau');
  const s = await state(page);
  assert.equal(s.canvases, 3);
  assert.equal(s.cuts, '220,440,600', 'the defaults cut η three times');
  assert.match(s.status, /η started at 0\.2 and was cut 3 times in 800 steps \(at steps 220, 440, 600\) to 0\.025\. Final validation loss 0\.0\d+/);
  assert.match(s.readout, /^Step 800: η = 0\.025 \(0\.125 × the initial 0\.2\)\. Last evaluation at step 800: validation loss [\d.]+, best so far [\d.]+\. (Bad evaluations in a row: \d|Cooling down)/);

  // The tracked run is what the native CLI computes: the same cuts.
  const [run] = await page.$eval(figure, (el) => el.computations.map(({ key, op, config }) => ({ key, op, config })));
  assert.equal(run.key, 'run');
  assert.equal(run.op, 'run');
  assert.deepEqual(run.config.plateau, { mode: 'min', factor: 0.5, patience: 4, threshold: 1e-4, threshold_mode: 'rel', cooldown: 3 });
  const native = JSON.parse(execFileSync(CLI, ['run', '-'], { input: JSON.stringify(run.config) }).toString());
  assert.deepEqual(native.plateau.reduced_at.filter((t) => t < 800), [220, 440, 600]);

  // The inspect slider reads the controller's state at a step: just before
  // the first cut the bad evaluations have reached the patience.
  await control(page, 'inspect', 200);
  const at200 = await state(page);
  assert.equal(at200.inspect, '200');
  assert.match(at200.readout, /^Step 200: η = 0\.2 .*Last evaluation at step 200: .*Bad evaluations in a row: 4 \(a cut after more than 4\)\. Multiplier 1\./);
  await control(page, 'inspect', 230);
  assert.match((await state(page)).readout, /^Step 230: η = 0\.1 .*Cooling down: 3 more evaluations/);

  // Hovering the η chart moves the cursor on all three charts (synced) and
  // the readout follows it.
  const box = await page.evaluateHandle((sel) => document.querySelector(sel).shadowRoot.querySelectorAll('.u-over')[1], figure);
  const rect = await box.boundingBox();
  await page.mouse.move(rect.x + rect.width * 0.5, rect.y + rect.height * 0.5);
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('.lr-figure').dataset.inspect !== '230', figure);
  const hovered = await state(page);
  assert.ok(Math.abs(Number(hovered.inspect) - 400) <= 10, `hovered step ${hovered.inspect}`);
  const cursors = await inFigure(page, figure, (c) => [...c.querySelectorAll('.u-cursor-x')].map((x) => x.style.transform || x.style.left));
  assert.equal(cursors.length, 3);
  assert.equal(new Set(cursors).size, 1, `the three cursors line up: ${cursors}`);
  await page.mouse.move(0, 0);
  assert.deepEqual(problems, []);
});

test('plateau: every control changes what is shown', async () => {
  const { page, problems } = await mountFigure(browser, 'plateau');
  const changes = [
    ['factor', 0.2], ['patience', 1], ['cooldown', 0], ['threshold', 800],
    ['eval_every', 10], ['lr', 300], ['steps', 1200], ['inspect', 100],
  ];
  for (const [name, value] of changes) {
    const before = await figureFingerprint(page, figure);
    const beforeState = await state(page);
    await control(page, name, value);
    const after = await figureFingerprint(page, figure);
    const afterState = await state(page);
    assert.ok(after.hash !== before.hash || after.status !== before.status, `${name} changed the figure`);
    if (name !== 'inspect') assert.notEqual(afterState.status, beforeState.status, `${name} changed the summary`);
  }
  const s = await state(page);
  assert.match(s.status, /cut \d+ times?/);
  assert.deepEqual(problems, []);
});

test('plateau: bad attributes fall back with a note; attributes set the start', async () => {
  const { page, problems } = await mountFigure(browser, 'plateau', { factor: '2', patience: 'banana', steps: '10', cooldown: '1.5' });
  const s = await state(page);
  assert.equal(s.notes.length, 4);
  assert.match(s.notes.join('\n'), /factor="2" is not a number in \[0\.05, 0\.95\]; using 0\.5/);
  assert.match(s.notes.join('\n'), /patience="banana"/);
  assert.match(s.notes.join('\n'), /steps="10"/);
  assert.match(s.notes.join('\n'), /cooldown="1\.5" is not a whole number; using 3/);
  assert.equal(s.cuts, '220,440,600');

  const good = await mountFigure(browser, 'plateau', { lr: '0.1', patience: '2', cooldown: '0', steps: '600', eval_every: '25' });
  const g = await state(good.page);
  assert.deepEqual(g.notes, []);
  const config = await good.page.$eval(figure, (el) => el.computations[0].config);
  assert.equal(config.optimizer.lr, 0.1);
  assert.equal(config.steps, 600);
  assert.equal(config.eval_every, 25);
  assert.equal(config.plateau.patience, 2);
  assert.deepEqual(problems, []);
  assert.deepEqual(good.problems, []);
});
