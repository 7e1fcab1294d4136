// The "lab" figure in Chromium: it draws its runs, every control changes what
// it shows, config errors appear next to the form, the range test suggests an
// η and starts a one-cycle run, the share link and the config attribute
// restore a state (bad ones fall back with a note; the many bad states are
// tests/js/lab-state.test.js), the exports work. Its layout at phone width,
// in both themes and with the range test open: article.test.js. Its times:
// `npm run bench`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figureFingerprint, figureReady, inFigure, mountFigure, openPage, setControl, startBrowser, waitForFrame } from './browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'build/native/lrlab');
const FIG = 'lrlab-figure[name="lab"]';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

// Clicks a button inside the figure and waits for the frame it causes.
async function click(page, buttonSelector) {
  await page.$eval(FIG, (el, sel) => {
    el.dataset.waitFrom = el.dataset.frames ?? '0';
    const b = el.shadowRoot.querySelector(sel);
    if (!b) throw new Error(`no button ${sel}`);
    b.click();
  }, buttonSelector);
  await waitForFrame(page, FIG);
}

const computations = (page) => page.$eval(FIG, (el) => el.computations.map(({ key, op, config }) => ({ key, op, config })));
const text = (page, sel) => inFigure(page, FIG, (c, s) => c.querySelector(s)?.textContent ?? null, sel);
const runCount = (page) => inFigure(page, FIG, (c) => c.querySelectorAll('.lab-chip').length);

test('lab: draws the default runs, and the engine results equal the native CLI\'s', async () => {
  const { page, problems } = await mountFigure(browser, 'lab');
  const fp = await figureFingerprint(page, FIG);
  assert.ok(fp.canvases >= 3, 'loss, η and contour charts');
  assert.match(fp.status, /2 runs on Rosenbrock valley: run 1 \(SGD, η 0\.002, μ 0\.9\) ends at loss [\d.e−-]+ after 300 steps; run 2 \(Adam, η 0\.1\) ends at loss/);
  const comps = await computations(page);
  assert.deepEqual(comps.map((c) => c.key).sort(), ['grid', 'run:0', 'run:1']);
  const contourShown = await inFigure(page, FIG, (c) => !c.querySelector('.lr-panel:nth-child(3)').hidden);
  assert.ok(contourShown);
  if (fs.existsSync(CLI)) {
    const run0 = comps.find((c) => c.key === 'run:0');
    const cli = JSON.parse(execFileSync(CLI, ['run', '-'], { input: JSON.stringify(run0.config) }).toString());
    const loss = await page.$eval(FIG, (el) => Array.from(el.computations.find((c) => c.key === 'run:0').result.loss));
    assert.equal(loss.length, cli.loss.length);
    loss.forEach((v, i) => assert.ok(Math.abs(v - cli.loss[i]) <= 1e-9 * Math.max(1, Math.abs(v)), `loss[${i}]`));
  }
  assert.deepEqual(problems, []);
});

test('lab: every control changes what is shown', async () => {
  const { page, problems } = await mountFigure(browser, 'lab');
  let last = await figureFingerprint(page, FIG);
  const changes = async (what, control, value) => {
    await setControl(page, FIG, control, value);
    const now = await figureFingerprint(page, FIG);
    assert.ok(now.hash !== last.hash || now.status !== last.status, `${what} changed nothing`);
    last = now;
  };
  await changes('η slider', '[name="optimizer.lr"]', 300);
  await changes('momentum', '[name="optimizer.momentum"]', 0.5);
  await changes('dampening', '[name="optimizer.dampening"]', 0.3);
  await changes('weight decay', '[name="optimizer.weight_decay"]', 0.1);
  await changes('steps', '[name="steps"]', 120);
  await changes('schedule', '[name="schedule.name"]', 'step');
  await changes('step size', '[name="schedule.step_size"]', 10);
  await changes('γ', '[name="schedule.gamma"]', 0.5);
  const logged = await inFigure(page, FIG, (c) => c.querySelector('[name="lab.logLr"]').checked);
  await changes('log η axis', '[name="lab.logLr"]', !logged);
  await changes('schedule → warm restarts', '[name="schedule.name"]', 'cosine_warm_restarts');
  await changes('T_0', '[name="schedule.T_0"]', 17);
  await changes('optimizer → Adam', '[name="optimizer.name"]', 'adam');
  await changes('β₁', '[name="optimizer.betas.0"]', 0.5);
  await changes('Adam η', '[name="optimizer.lr"]', 750);
  await changes('AMSGrad', '[name="optimizer.amsgrad"]', true);
  await changes('problem → Himmelblau', '[name="problem.name"]', 'himmelblau');
  await changes('start x₀', '[name="problem.x0"]', '-1, -1');
  await changes('plateau on', '[name="plateau"]', true);
  await changes('plateau factor', '[name="plateau.factor"]', 0.2);
  // Gradient noise (σ > 0) makes a 2-D run depend on the seed. A core without
  // the gradient_noise key reports a config error instead: also a change.
  await changes('gradient noise', '[name="gradient_noise"]', 0.5);
  if (!/config error/.test(last.status)) await changes('seed, with gradient noise', '[name="seed"]', 5);
  await changes('gradient noise off', '[name="gradient_noise"]', 0);
  // Selecting, removing and adding runs.
  await click(page, '.lab-chip-pick[data-run="1"]');
  const selected = await inFigure(page, FIG, (c) => c.querySelector('.lab-editing').textContent);
  assert.match(selected, /run 2/);
  await changes('run 2 η', '[name="optimizer.lr"]', 800);
  await click(page, '.lab-add');
  assert.equal(await runCount(page), 3);
  await changes('run 3 problem → quadratic', '[name="problem.name"]', 'quadratic');
  await changes('diagonal', '[name="problem.diag"]', '1, 30');
  await click(page, '.lab-chip-remove[data-remove="0"]');
  assert.equal(await runCount(page), 2);
  const keys = (await computations(page)).map((c) => c.key).sort();
  assert.deepEqual(keys, ['grid', 'run:0', 'run:1'], 'the contour\'s grid stays recorded');
  assert.deepEqual(problems, []);
});

test('lab: data problems — digits MLP, batch size and seed; an η edit recomputes only its run', async () => {
  const config = { problem: { name: 'mlp', hidden: 32 }, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, steps: 300, batch_size: 32, eval_every: 10 };
  const { page, problems } = await mountFigure(browser, 'lab', { config: JSON.stringify(config) });
  let last = await figureFingerprint(page, FIG);
  assert.match(last.status, /One run on digits: MLP classifier: run 1 .* ends at loss [\d.e−-]+ after 300 steps, validation loss [\d.]+/);
  const contourHidden = await inFigure(page, FIG, (c) => c.querySelector('.lr-panel:nth-child(3)').hidden);
  assert.ok(contourHidden, 'no contour for the digits');
  const changes = async (what, sel, value) => {
    await setControl(page, FIG, sel, value);
    const now = await figureFingerprint(page, FIG);
    assert.ok(now.hash !== last.hash || now.status !== last.status, `${what} changed nothing`);
    last = now;
  };
  for (const [what, sel, value] of [['seed', '[name="seed"]', 7], ['batch size', '[name="batch_size"]', 64], ['hidden units', '[name="problem.hidden"]', 16], ['activation', '[name="problem.activation"]', 'tanh']]) {
    await changes(what, sel, value);
  }
  // η: each edit recomputes the edited run only (data-runs-computed), with
  // one run shown and with two.
  const runsComputed = () => inFigure(page, FIG, (c) => Number(c.dataset.runsComputed));
  await changes('η', '[name="optimizer.lr"]', 600);
  assert.equal(await runsComputed(), 1);
  await click(page, '.lab-add');
  await changes('run 2 η', '[name="optimizer.lr"]', 520);
  assert.equal(await runsComputed(), 1, 'only the edited run is recomputed');
  // Logistic regression and sparse linear regression run too.
  await setControl(page, FIG, '[name="problem.name"]', 'logistic_regression');
  assert.match(await text(page, '.lr-status'), /digits: logistic regression/);
  await setControl(page, FIG, '[name="problem.name"]', 'sparse_linear');
  assert.match(await text(page, '.lr-status'), /sparse linear regression/);
  assert.deepEqual(problems, []);
});

test('lab: config errors are listed next to the form and never crash it', async () => {
  const { page, problems } = await mountFigure(browser, 'lab');
  await setControl(page, FIG, '[name="optimizer.momentum"]', 1.5);
  const errors = await text(page, '.lab-errors');
  assert.match(errors, /run 1: optimizer\.momentum: must be in \[0, 1\), got 1\.5/);
  assert.equal(await inFigure(page, FIG, (c) => c.querySelector('[name="optimizer.momentum"]').getAttribute('aria-invalid')), 'true');
  assert.match(await text(page, '.lr-status'), /run 1 .* has a config error; run 2 .* ends at loss/);
  assert.equal(await inFigure(page, FIG, (c) => c.dataset.state), 'ready');
  await setControl(page, FIG, '[name="optimizer.momentum"]', 0.5);
  assert.equal(await inFigure(page, FIG, (c) => c.querySelector('.lab-errors').hidden), true);
  // A form-level error: a list that does not parse, and invalid JSON.
  await setControl(page, FIG, '[name="problem.x0"]', '1, banana');
  assert.match(await text(page, '.lab-errors'), /problem\.x0: "1, banana" is not a list of numbers/);
  await setControl(page, FIG, '[name="problem.x0"]', '');
  await setControl(page, FIG, '[name="schedule.name"]', 'sequential');
  await setControl(page, FIG, '[name="schedule.schedulers"]', '[{"name": "linear"');
  assert.match(await text(page, '.lab-errors'), /schedule\.schedulers: not valid JSON/);
  await setControl(page, FIG, '[name="schedule.schedulers"]', '[{"name": "one_cycle", "max_lr": 1, "total_steps": 10}, {"name": "cosine", "T_max": 10}]');
  assert.match(await text(page, '.lab-errors'), /schedule\.schedulers\[0\]\.name: one_cycle cannot be used inside sequential/);
  // More work than the engine takes on (README "Reliability"): said, not run.
  await setControl(page, FIG, '[name="schedule.name"]', 'none');
  await setControl(page, FIG, '[name="problem.name"]', 'mlp');
  await setControl(page, FIG, '[name="problem.hidden"]', 512);
  await setControl(page, FIG, '[name="steps"]', 5000);
  assert.match(await text(page, '.lab-errors'), /run 1: steps: too much work: 5000 steps of [\d.e+]+ numbers each .* at most 1e\+10/);
  assert.match(await text(page, '.lr-status'), /run 1 .* has a config error/);
  assert.deepEqual(problems, []);
});

test('lab: the LR range test suggests an η and starts a one-cycle run from it', async () => {
  const { page, problems } = await mountFigure(browser, 'lab');
  await click(page, '.lab-range-button');
  const comps = await computations(page);
  const range = comps.find((c) => c.key === 'rangeTest');
  assert.ok(range, 'the range test is tracked');
  assert.deepEqual(range.config.problem, { name: 'rosenbrock' });
  assert.equal(range.config.optimizer.name, 'sgd');
  const suggested = await page.$eval(FIG, (el) => el.computations.find((c) => c.key === 'rangeTest').result.suggested_lr);
  assert.ok(suggested > 0);
  assert.match(await text(page, '.lab-range-note'), /The loss fell fastest at η = /);
  assert.match(await text(page, '.lr-status'), /The range test suggests η ≈/);
  const before = await figureFingerprint(page, FIG);
  await setControl(page, FIG, '[name="range_test.lr_max"]', 0.1);
  assert.notEqual((await figureFingerprint(page, FIG)).hash, before.hash, 'the range changes the test');
  const suggested2 = await page.$eval(FIG, (el) => el.computations.find((c) => c.key === 'rangeTest').result.suggested_lr);
  await click(page, '.lab-onecycle');
  assert.equal(await runCount(page), 3);
  const run2 = (await computations(page)).find((c) => c.key === 'run:2');
  assert.equal(run2.config.schedule.name, 'one_cycle');
  assert.equal(run2.config.schedule.max_lr, Number(suggested2.toPrecision(3)));
  assert.equal(run2.config.schedule.total_steps, 300);
  assert.deepEqual(problems, []);
});

test('lab: the share link and the config attribute restore a state; bad ones fall back with a note', async () => {
  const { page, problems } = await mountFigure(browser, 'lab');
  await setControl(page, FIG, '[name="optimizer.name"]', 'rmsprop');
  await setControl(page, FIG, '[name="schedule.name"]', 'one_cycle');
  await click(page, '.lab-add');
  await setControl(page, FIG, '[name="problem.name"]', 'beale');
  const link = await inFigure(page, FIG, (c) => {
    c.querySelector('.lr-share').open = true;
    c.querySelector('.lr-share').dispatchEvent(new Event('toggle'));
    return c.querySelector('.lr-share-link').value;
  });
  assert.match(link, /\/index\.html\?lab\.config=[A-Za-z0-9_-]+#fig-lab$/);
  const configs = (await computations(page)).filter((c) => c.key.startsWith('run:')).sort((a, b) => a.key.localeCompare(b.key)).map((c) => c.config);

  // The link, opened on a fresh page, shows the same runs in the article.
  const fresh = await openPage(browser, link);
  await figureReady(fresh.page, FIG);
  const restored = (await computations(fresh.page)).filter((c) => c.key.startsWith('run:')).sort((a, b) => a.key.localeCompare(b.key)).map((c) => c.config);
  assert.deepEqual(restored, configs);
  assert.deepEqual(fresh.problems, []);

  // The config attribute: one run, or {runs: […]}.
  const one = await mountFigure(browser, 'lab', { config: JSON.stringify({ problem: { name: 'double_well' }, optimizer: { name: 'sgd', lr: 0.2 }, steps: 50 }) });
  assert.match((await figureFingerprint(one.page, FIG)).status, /One run on double well \(1-D\): run 1 \(SGD, η 0\.2\) ends at loss [\d.e−-]+ after 50 steps/);
  const many = await mountFigure(browser, 'lab', { config: JSON.stringify({ runs: [1, 2, 3, 4, 5].map((k) => ({ problem: { name: 'quadratic' }, optimizer: { name: 'sgd', lr: 0.03 * k }, steps: 30 })) }) });
  assert.equal(await runCount(many.page), 4);
  assert.match(await text(many.page, '.lr-notes'), /Only the first 4 of 5 runs are shown/);

  // A bad state: the defaults plus a note, never a crash (every kind of bad
  // state: tests/js/lab-state.test.js).
  const bad = await mountFigure(browser, 'lab', { config: '{"runs": [' });
  assert.match(await text(bad.page, '.lr-notes'), /The config attribute could not be used \(it is not valid JSON\); showing the default runs/);
  assert.match((await figureFingerprint(bad.page, FIG)).status, /2 runs on Rosenbrock valley/);
  // An old-style #lab= link is read from the address, and falls back too.
  const badLink = await openPage(browser, '/embed.html?figure=lab#lab=not*base64!');
  await figureReady(badLink.page, FIG);
  assert.match(await text(badLink.page, '.lr-notes'), /The link's lab state could not be used \(it could not be decoded\); showing the default runs/);
  assert.deepEqual([...problems, ...one.problems, ...many.problems, ...bad.problems, ...badLink.problems], []);
});

test('lab: CSV, JSON and PNG downloads, PyTorch code, copy with and without the Clipboard API', async () => {
  const { page, problems } = await mountFigure(browser, 'lab');
  const download = async (sel) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.$eval(FIG, (el, s) => el.shadowRoot.querySelector(s).click(), sel)]);
    return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
  };
  const csv = await download('.lr-export-csv');
  assert.equal(csv.name, 'lrlab-lab.csv');
  const lines = csv.bytes.toString().trim().split('\n');
  assert.equal(lines[0], 'step,run 1 loss,run 1 η,run 2 loss,run 2 η');
  assert.equal(lines.length, 302);
  const json = JSON.parse((await download('.lr-export-json')).bytes.toString());
  assert.equal(json.runs.length, 2);
  assert.equal(json.runs[1].config.optimizer.name, 'adam');
  assert.equal(json.runs[0].result.loss.length, 301);
  const png = await download('.lr-export-png');
  assert.equal(png.name, 'lrlab-lab.png');
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(png.bytes.length > 10000, 'the PNG has the charts in it');

  // PyTorch code for the selected run, and copying it.
  await page.$eval(FIG, (el) => { el.shadowRoot.querySelector('.lab-code').open = true; });
  const code = await text(page, '.lab-pre');
  assert.match(code, /optimizer = torch\.optim\.SGD\(\[x\], lr=0\.002, momentum=0\.9, dampening=0\.0, nesterov=False, weight_decay=0\.0\)/);
  assert.match(code, /for step in range\(300\):/);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: browser.baseUrl });
  await page.$eval(FIG, (el) => el.shadowRoot.querySelector('.lab-copy-code').click());
  await page.waitForFunction((sel) => /copied|selected/.test(document.querySelector(sel).shadowRoot.querySelector('.lab-export-note').textContent), FIG);
  const note = await text(page, '.lab-export-note');
  if (note === 'Code copied.') assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  // Without the Clipboard API the link is selected for Ctrl+C.
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await page.$eval(FIG, (el) => { el.shadowRoot.querySelector('.lr-share').open = true; });
  await page.$eval(FIG, (el) => el.shadowRoot.querySelector('.lr-copy-link').click());
  await page.waitForFunction((sel) => /Link selected/.test(document.querySelector(sel).shadowRoot.querySelector('.lr-share-note').textContent), FIG);
  const selection = await page.$eval(FIG, (el) => {
    const input = el.shadowRoot.querySelector('.lr-share-link');
    return { active: el.shadowRoot.activeElement === input, start: input.selectionStart, end: input.selectionEnd, length: input.value.length };
  });
  assert.deepEqual(selection, { active: true, start: 0, end: selection.length, length: selection.length });
  assert.deepEqual(problems, []);
});
