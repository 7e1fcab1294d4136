// The lab's state without a browser (web/src/model/lab-runs.js): reading the
// runs from the `config` attribute and the old `#lab=` link — every kind of
// bad state falls back to the default runs with one note — base64url, and
// the helpers the form edits runs with (the run list and the configs it
// sends: tests/js/lab-model.test.js). The browser test (tests/e2e/lab.test.js)
// keeps the cases that prove the wiring: a share link restored on a fresh
// page, the attribute with one and with five runs, one bad state, one bad link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RUNS, MAX_STEPS, defaultRuns, fromBase64Url, getPath, readInitialState, setPath, setPlateau, switchOptimizer,
  switchProblem, switchSchedule, toBase64Url,
} from '../../web/src/model/lab-runs.js';
import { OPTIMIZERS, PROBLEMS } from '../../web/src/model/catalog.js';

// An element with only a `config` attribute (null: none).
const host = (config = null) => ({ getAttribute: (name) => (name === 'config' ? config : null) });

function read(config, hash = '') {
  const notes = [];
  const runs = readInitialState(host(config), hash, notes);
  return { runs, notes };
}

const run = (name, lr = 0.1, extra = {}) => ({ problem: { name }, optimizer: { name: 'sgd', lr }, steps: 50, ...extra });
const FALLBACK = /; showing the default runs\.$/;

test('base64url: UTF-8 text round-trips with the URL-safe alphabet and no padding', () => {
  for (const text of ['', 'a', 'ab', 'abc', '{"runs":[]}', 'η ≈ 0.1 — ✓', '\u{1F600}', '~~~???>>>', 'x'.repeat(100000)]) {
    const encoded = toBase64Url(text);
    assert.match(encoded, /^[A-Za-z0-9_-]*$/, `${text.slice(0, 20)}: only URL-safe characters`);
    assert.equal(fromBase64Url(encoded), text);
  }
  assert.equal(toBase64Url('~~~???>>>'), 'fn5-Pz8_Pj4-', '- and _ stand for + and /');
  assert.equal(toBase64Url('ab'), 'YWI', 'no = padding');
  assert.equal(fromBase64Url('YWI='.replace('=', '')), 'ab');
});

test('base64url: anything else is refused', () => {
  assert.throws(() => fromBase64Url('not*base64!'), /not base64url/);
  assert.throws(() => fromBase64Url('YWI='), /not base64url/, 'padding is not part of the alphabet');
  assert.throws(() => fromBase64Url('ab+/'), /not base64url/, 'the standard alphabet is not base64url');
  assert.throws(() => fromBase64Url('_w'), TypeError, 'bytes that are not UTF-8');
});

test('no attribute, an empty one, or no link: the default runs, without a note', () => {
  for (const config of [null, '', '   ']) {
    const { runs, notes } = read(config);
    assert.deepEqual(runs, defaultRuns());
    assert.deepEqual(notes, []);
  }
  assert.deepEqual(read(null, '#fig-lab').runs, defaultRuns());
  // A fresh copy each time: editing one does not change the next.
  const a = defaultRuns();
  a[0].optimizer.lr = 7;
  assert.equal(defaultRuns()[0].optimizer.lr, 0.002);
});

test('the config attribute: one run, {runs: […]}, or base64url of either', () => {
  const one = run('beale', 1, { schedule: { name: 'one_cycle', max_lr: 0.1 }, plateau: { factor: 0.2 }, seed: 3, gradient_noise: 0.5 });
  assert.deepEqual(read(JSON.stringify(one)), { runs: [one], notes: [] });
  const two = { runs: [run('quadratic', 0.1), run('mlp', 0.05, { batch_size: 64 })] };
  assert.deepEqual(read(JSON.stringify(two)), { runs: two.runs, notes: [] });
  assert.deepEqual(read(`  ${JSON.stringify(two)}\n`).runs, two.runs, 'white space around JSON');
  assert.deepEqual(read(toBase64Url(JSON.stringify(two))), { runs: two.runs, notes: [] });
  assert.deepEqual(read(` ${toBase64Url(JSON.stringify(one))} `).runs, [one], 'white space around base64url');
  // The runs read are copies of the attribute's, not views of one parse.
  const runs = read(JSON.stringify(two)).runs;
  runs[0].optimizer.lr = 9;
  assert.equal(read(JSON.stringify(two)).runs[0].optimizer.lr, 0.1);
});

test('more than four runs: the first four and a note; too many steps: capped with a note', () => {
  const five = { runs: [1, 2, 3, 4, 5].map((k) => run('quadratic', 0.03 * k)) };
  const { runs, notes } = read(JSON.stringify(five));
  assert.equal(MAX_RUNS, 4);
  assert.deepEqual(runs, five.runs.slice(0, 4));
  assert.deepEqual(notes, ['Only the first 4 of 5 runs are shown.']);

  const long = { runs: [run('quadratic', 0.1, { steps: 9000 }), run('quadratic', 0.2, { steps: MAX_STEPS })] };
  const capped = read(JSON.stringify(long));
  assert.deepEqual(capped.runs.map((r) => r.steps), [MAX_STEPS, MAX_STEPS]);
  assert.deepEqual(capped.notes, [`run 1 asked for 9000 steps; the lab runs at most ${MAX_STEPS}.`]);
  // Values are the engine's to judge (the form shows its messages): kept as they are.
  assert.deepEqual(read(JSON.stringify(run('quadratic', -3, { steps: -1 }))).runs, [run('quadratic', -3, { steps: -1 })]);
});

test('every kind of bad state falls back to the default runs with one note saying why', () => {
  const bad = [
    ['{"runs": [', 'it is not valid JSON'],
    ['{', 'it is not valid JSON'],
    [toBase64Url('not json'), 'it is not valid JSON'],
    ['bm90IGpzb24', 'it is not valid JSON'],
    ['abc$', 'it could not be decoded'],
    ['_w', 'it could not be decoded'],
    ['{"runs": []}', 'it has no runs'],
    ['[1, 2]', 'it is neither one run nor {"runs": [...]}'],
    ['{"foo": 1}', 'it is neither one run nor {"runs": [...]}'],
    ['{"runs": {"0": {}}}', 'it is neither one run nor {"runs": [...]}'],
    [toBase64Url('null'), 'it is neither one run nor {"runs": [...]}'],
    [toBase64Url('"a string"'), 'it is neither one run nor {"runs": [...]}'],
    // Text that does not start with { or [ is read as base64url.
    ['null', 'it could not be decoded'],
    ['"a string"', 'it could not be decoded'],
    [JSON.stringify({ runs: [3] }), 'run 1 is not an object'],
    [JSON.stringify({ runs: [run('quadratic'), null] }), 'run 2 is not an object'],
    [JSON.stringify({ runs: [{ ...run('quadratic'), colour: 'red' }] }), 'run 1 has keys the lab does not use (colour)'],
    [JSON.stringify({ problem: { name: 'nope' }, optimizer: { name: 'sgd', lr: 1 } }), 'run 1: problem.name "nope" is not one the lab knows'],
    [JSON.stringify({ problem: 'quadratic', optimizer: { name: 'sgd', lr: 1 } }), 'run 1: problem is not an object'],
    [JSON.stringify({ problem: { name: 'quadratic' } }), 'run 1: optimizer is not an object'],
    [JSON.stringify({ problem: { name: 'quadratic' }, optimizer: { name: 'lbfgs' } }), 'run 1: optimizer.name "lbfgs" is not one the lab knows'],
    [JSON.stringify({ problem: { name: 'beale' }, optimizer: { name: 'sgd', lr: 1, foo: 2 } }), 'run 1: optimizer has options the lab does not show (foo)'],
    [JSON.stringify({ problem: { name: 'quadratic', diag: [1, 2], depth: 3, width: 4 }, optimizer: { name: 'sgd' } }), 'run 1: problem has options the lab does not show (depth, width)'],
    [JSON.stringify({ runs: [run('quadratic'), run('quadratic', 0.1, { schedule: { name: 'warp' } })] }), 'run 2: schedule.name "warp" is not one the lab knows'],
    [JSON.stringify(run('quadratic', 0.1, { schedule: { name: 'step', step_size: 10, wobble: 1 } })), 'run 1: schedule has options the lab does not show (wobble)'],
    [JSON.stringify(run('quadratic', 0.1, { plateau: true })), 'run 1: plateau is not an object'],
    [JSON.stringify(run('quadratic', 0.1, { plateau: [] })), 'run 1: plateau is not an object'],
    [JSON.stringify(run('quadratic', 0.1, { plateau: { factor: 0.5, speed: 2 } })), 'run 1: plateau has options the lab does not show (speed)'],
  ];
  for (const [config, why] of bad) {
    const { runs, notes } = read(config);
    assert.deepEqual(runs, defaultRuns(), config);
    assert.deepEqual(notes, [`The config attribute could not be used (${why}); showing the default runs.`], config);
  }
  // A state that is bad after a good first part: nothing of it is kept,
  // not even the notes about the good part.
  const { notes } = read(JSON.stringify({ runs: [run('quadratic', 0.1, { steps: 9000 }), run('nope')] }));
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^The config attribute could not be used \(run 2: problem\.name "nope"/);
  assert.match(notes[0], FALLBACK);
});

test('an old #lab= link: read first, and it wins over the attribute, even when it is bad', () => {
  const linked = { runs: [run('himmelblau', 0.01)] };
  const attribute = JSON.stringify(run('beale', 0.5));
  for (const hash of [`#lab=${toBase64Url(JSON.stringify(linked))}`, `#fig-lab&lab=${toBase64Url(JSON.stringify(linked))}`]) {
    const notes = [];
    assert.deepEqual(readInitialState(host(attribute), hash, notes), linked.runs, hash);
    assert.deepEqual(notes, []);
  }
  const cases = [
    ['#lab=not*base64!', 'it could not be decoded'],
    [`#lab=${toBase64Url('{"runs": []}')}`, 'it has no runs'],
    ['#lab=', 'it is not valid JSON'],
  ];
  for (const [hash, why] of cases) {
    const notes = [];
    assert.deepEqual(readInitialState(host(attribute), hash, notes), defaultRuns(), hash);
    assert.deepEqual(notes, [`The link's lab state could not be used (${why}); showing the default runs.`], hash);
  }
  // Only "#lab=" or "&lab=": other keys ending in "lab" are not the lab's.
  const notes = [];
  assert.deepEqual(readInitialState(host(attribute), '#matlab=abc', notes), [run('beale', 0.5)]);
  assert.deepEqual(notes, []);
});

test('switching problem, optimizer, schedule and plateau', () => {
  const r = defaultRuns()[0];
  switchSchedule(r, 'one_cycle');
  assert.equal(r.schedule.name, 'one_cycle');
  assert.equal(r.schedule.total_steps, 300, 'the schedule fits the run');
  assert.equal(r.schedule.cycle_momentum, true, 'SGD with momentum can cycle it');

  r.batch_size = 64;
  switchProblem(r, 'mlp');
  assert.deepEqual(r.problem, { name: 'mlp', hidden: 32, activation: 'relu' }, 'the problem\'s options at their defaults');
  assert.equal(r.steps, PROBLEMS.mlp.steps);
  assert.equal(r.optimizer.lr, PROBLEMS.mlp.sgdLr, 'SGD moves to an η that suits the problem');
  assert.equal(r.batch_size, 64, 'a data problem keeps the batch size');
  assert.equal(r.schedule.name, 'one_cycle', 'the schedule stays, with options for the problem');

  switchOptimizer(r, 'adam');
  assert.deepEqual(r.optimizer, { name: 'adam', lr: OPTIMIZERS.adam.fields.find((f) => f.key === 'lr').default });
  switchOptimizer(r, 'adagrad');
  assert.equal(r.schedule.cycle_momentum, false, 'Adagrad has no momentum to cycle');
  switchOptimizer(r, 'sgd');
  assert.deepEqual(r.optimizer, { name: 'sgd', lr: PROBLEMS.mlp.sgdLr });

  switchProblem(r, 'himmelblau');
  assert.deepEqual(r.problem, { name: 'himmelblau' });
  assert.equal(r.steps, PROBLEMS.himmelblau.steps);
  assert.equal(r.schedule.total_steps, PROBLEMS.himmelblau.steps);
  assert.equal('batch_size' in r, false, 'a problem without data drops the batch size');

  setPlateau(r, true);
  assert.equal(r.plateau.factor, 0.5);
  assert.equal('mode' in r.plateau, false, 'options the form hides stay out');
  setPlateau(r, false);
  assert.equal('plateau' in r, false);
  switchSchedule(r, 'none');
  assert.equal('schedule' in r, false);
});

test('getPath and setPath: dotted paths, created on the way, removed with undefined', () => {
  const o = { optimizer: { name: 'adam', betas: [0.9, 0.999] }, steps: 10 };
  assert.equal(getPath(o, 'optimizer.name'), 'adam');
  assert.equal(getPath(o, 'optimizer.betas.1'), 0.999);
  assert.equal(getPath(o, 'schedule.gamma'), undefined);
  setPath(o, 'schedule.gamma', 0.5);
  assert.deepEqual(o.schedule, { gamma: 0.5 });
  setPath(o, 'optimizer.betas.0', 0.8);
  assert.deepEqual(o.optimizer.betas, [0.8, 0.999]);
  setPath(o, 'steps', undefined);
  assert.equal('steps' in o, false);
});
