// Hostile input, without a browser: the readers every figure's attributes go
// through (web/src/ui/attributes.js), what the address may set on a figure
// (the same module; article.js and embed.js use it), and the lab's state
// (web/src/model/lab-runs.js). Every value a reader cannot use falls back to
// its default with one short note; nothing throws, hangs or echoes a huge
// value back. The same attacks on the pages themselves, and postMessage from
// a frame of a third origin: tests/e2e/hostile.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// Namespace imports: a reader this file expects but the module lacks fails
// its own test, not the whole file.
import * as attributes from '../../web/src/ui/attributes.js';
import * as format from '../../web/src/model/format.js';
import * as labRuns from '../../web/src/model/lab-runs.js';
import { parseMilestones } from '../../web/src/model/schedule-specs.js';

const { defaultRuns, readInitialState, toBase64Url } = labRuns;

// An element with the given attributes.
const element = (attrs = {}) => ({
  getAttribute: (name) => (Object.hasOwn(attrs, name) ? attrs[name] : null),
  hasAttribute: (name) => Object.hasOwn(attrs, name),
});

const HUGE = 'x'.repeat(100000);
const NOTE_MAX = 300;  // characters: a note quotes at most the start of a value

// Values no number attribute may take: each gives the default and one note.
const NOT_NUMBERS = [
  '<img src=x onerror=window.__pwned=1>', 'javascript:alert(1)', '"><script>window.__pwned=1</script>',
  '1e309', '-1e309', 'NaN', 'Infinity', '-Infinity', '+Infinity', '0x10', '0X1f', '0b11', '0o7', '1e-400', '-1e-400',
  '1_000', '1,5', '1 2', '--1', '+-1', '.', 'e5', '1e', '٣', '１', '__proto__', 'constructor', '[]', '{}', 'true',
  HUGE, '1'.repeat(100000), `0.${'0'.repeat(5000)}1`,
];

test('number attributes: only plain decimal numbers in range; anything else is the default and one short note', () => {
  const range = { fallback: 0.3, min: -1000, max: 1000 };
  for (const raw of NOT_NUMBERS) {
    const notes = [];
    assert.equal(attributes.readNumberAttribute(element({ lr: raw }), 'lr', range, notes), 0.3, raw.slice(0, 40));
    assert.equal(notes.length, 1, raw.slice(0, 40));
    assert.ok(notes[0].length <= NOTE_MAX, `a ${notes[0].length}-character note for ${raw.slice(0, 40)}`);
    assert.match(notes[0], /^lr="/);
    assert.match(notes[0], /using 0\.3\.$/);
  }
  // Empty and white space mean "not given": the default, without a note.
  for (const raw of ['', '   ', '\n\t']) {
    const notes = [];
    assert.equal(attributes.readNumberAttribute(element({ lr: raw }), 'lr', range, notes), 0.3);
    assert.deepEqual(notes, []);
  }
  // What a number is: decimal notation, with white space around it.
  const good = [['0.5', 0.5], [' 0.5 ', 0.5], ['+0.5', 0.5], ['-2', -2], ['5e-1', 0.5], ['5E-1', 0.5], ['.5', 0.5], ['1.', 1], ['1e2', 100], ['-0', -0], ['0', 0], ['0.000', 0], ['0e-400', 0]];
  for (const [raw, value] of good) {
    const notes = [];
    assert.equal(attributes.readNumberAttribute(element({ lr: raw }), 'lr', range, notes), value, raw);
    assert.deepEqual(notes, [], raw);
  }
});

test('integer attributes: the same, and whole numbers only', () => {
  const range = { fallback: 30, min: 1, max: 500 };
  for (const raw of [...NOT_NUMBERS, '2.5', '1e-7', '0x1F4']) {
    const notes = [];
    assert.equal(attributes.readIntegerAttribute(element({ steps: raw }), 'steps', range, notes), 30, raw.slice(0, 40));
    assert.equal(notes.length, 1, raw.slice(0, 40));
    assert.ok(notes[0].length <= NOTE_MAX, raw.slice(0, 40));
  }
  const notes = [];
  assert.equal(attributes.readIntegerAttribute(element({ steps: '2e2' }), 'steps', range, notes), 200);
  assert.deepEqual(notes, []);
});

test('milestones are decimal whole numbers too', () => {
  assert.deepEqual(parseMilestones('300, 450', 600), { value: [300, 450] });
  for (const text of ['0x10, 0x20', '1e400', 'Infinity', '1_0', `${'1'.repeat(5000)}`]) {
    assert.ok(parseMilestones(text, 600).error, text.slice(0, 20));
  }
});

test('a number reader never takes long, whatever the text (no catastrophic backtracking)', () => {
  const texts = ['1'.repeat(200000) + 'x', `${'1'.repeat(200000)}.${'1'.repeat(200000)}x`, `1e${'1'.repeat(200000)}x`, ' '.repeat(200000) + 'x'];
  for (const raw of texts) {
    const start = performance.now();
    attributes.readNumberAttribute(element({ lr: raw }), 'lr', { fallback: 1 }, []);
    assert.ok(performance.now() - start < 200, `${raw.length} characters took ${performance.now() - start} ms`);
  }
});

test('flag attributes: present, "true" or "false"; anything else is the default and a note', () => {
  const read = (attrs, fallback = false) => {
    const notes = [];
    return { value: attributes.readFlagAttribute(element(attrs), 'log-lr', { fallback }, notes), notes };
  };
  assert.deepEqual(read({}), { value: false, notes: [] });
  assert.deepEqual(read({}, true), { value: true, notes: [] });
  assert.deepEqual(read({ 'log-lr': '' }), { value: true, notes: [] }, 'present = yes');
  assert.deepEqual(read({ 'log-lr': 'true' }), { value: true, notes: [] });
  assert.deepEqual(read({ 'log-lr': ' false ' }, true), { value: false, notes: [] });
  for (const raw of ['<img src=x onerror=window.__pwned=1>', 'yes please', '0', 'NaN', HUGE]) {
    const { value, notes } = read({ 'log-lr': raw });
    assert.equal(value, false, raw.slice(0, 40));
    assert.equal(notes.length, 1);
    assert.ok(notes[0].length <= NOTE_MAX);
  }
});

test('clipText: a value quoted in a note is short, on one line, without direction overrides', () => {
  assert.equal(format.clipText('abc'), 'abc');
  const clipped = format.clipText(HUGE);
  assert.ok(clipped.length < 80, clipped);
  assert.match(clipped, /…/);
  assert.match(clipped, /100000 characters/);
  assert.equal(format.clipText('a\nb\u202Ec\u0000'), 'a�b�c�');
  assert.ok(!/[\uD800-\uDBFF]$/.test(format.clipText('😀'.repeat(100)).split('…')[0]), 'no half of a surrogate pair');
});

// --- what the address may set ------------------------------------------------------
test('the address sets only a figure\'s own settings: no event handlers, styles or other HTML attributes', () => {
  const pairs = [
    ['lr', '0.5'], ['onfocus', 'window.__pwned=1'], ['onmouseover', 'window.__pwned=1'], ['style', 'position:fixed'],
    ['autofocus', ''], ['tabindex', '0'], ['hidden', ''], ['class', 'x'], ['id', 'x'], ['slot', 'x'], ['inert', ''],
    ['popover', ''], ['contenteditable', 'true'], ['draggable', 'true'], ['accesskey', 'x'], ['part', 'x'], ['is', 'x'],
    ['data-state', 'ready'], ['aria-hidden', 'true'], ['role', 'x'], ['title', 'x'], ['lang', 'x'], ['dir', 'rtl'],
    ['name', 'lab'], ['xmlns', 'x'], ['nonce', 'x'], ['LR', '1'], ['<img src=x>', '1'], ['__proto__', '1'], ['a'.repeat(60), '1'],
    ['controls', 'none'], ['steps', '40'], ['eval_every', '10'], ['log-lr', ''],
  ];
  const { set, notes } = attributes.attributesFromAddress(pairs);
  assert.deepEqual(set, [['lr', '0.5'], ['controls', 'none'], ['steps', '40'], ['eval_every', '10'], ['log-lr', '']]);
  assert.equal(notes.length, pairs.length - set.length, 'one note per refused parameter');
  for (const note of notes) {
    assert.ok(note.length <= NOTE_MAX, note.slice(0, 80));
    assert.match(note, /ignored/);
  }
});

test('the address: values longer than a few thousand characters are refused with a note; the lab\'s config may be longer', () => {
  const { MAX_VALUE, MAX_DOCUMENT } = attributes.ADDRESS_LIMITS;
  assert.ok(MAX_VALUE >= 1000 && MAX_VALUE <= 10000);
  assert.equal(MAX_DOCUMENT, labRuns.MAX_STATE_CHARS, 'the address carries any state the lab reads');
  const { set, notes } = attributes.attributesFromAddress([
    ['lr', '1'.repeat(MAX_VALUE)], ['steps', '1'.repeat(MAX_VALUE + 1)], ['config', 'a'.repeat(MAX_VALUE + 1)], ['config', 'b'.repeat(MAX_DOCUMENT + 1)],
  ]);
  assert.deepEqual(set.map(([k, v]) => [k, v.length]), [['lr', MAX_VALUE], ['config', MAX_VALUE + 1]]);
  assert.equal(notes.length, 2);
  for (const note of notes) assert.ok(note.length <= NOTE_MAX);
  assert.match(notes[0], /^steps=.* is longer than \d+ characters; it was ignored/);
});

test('the address: at most a few dozen settings per figure are read, the rest get one note', () => {
  const { MAX_PER_FIGURE } = attributes.ADDRESS_LIMITS;
  const pairs = Array.from({ length: 5000 }, (_, i) => [`a${i}`, String(i)]);
  const start = performance.now();
  const { set, notes } = attributes.attributesFromAddress(pairs);
  assert.ok(performance.now() - start < 200);
  assert.equal(set.length, MAX_PER_FIGURE);
  assert.equal(notes.length, 1);
  assert.match(notes[0], new RegExp(`only the first ${MAX_PER_FIGURE} were read`));
});

test('address notes wait on the element until its figure starts', () => {
  const el = {};
  attributes.queueAddressNotes(el, ['a', 'b']);
  attributes.queueAddressNotes(el, ['c']);
  assert.deepEqual(attributes.takeAddressNotes(el), ['a', 'b', 'c']);
  assert.deepEqual(attributes.takeAddressNotes(el), []);
});

// --- the lab's state ------------------------------------------------------------------
function read(config, hash = '') {
  const notes = [];
  const start = performance.now();
  const runs = readInitialState(element(config === null ? {} : { config }), hash, notes);
  return { runs, notes, ms: performance.now() - start };
}

const run = (name, lr = 0.1, extra = {}) => ({ problem: { name }, optimizer: { name: 'sgd', lr }, steps: 50, ...extra });
const fallsBack = (result, why, label) => {
  assert.deepEqual(result.runs, defaultRuns(), label);
  assert.equal(result.notes.length, 1, `${label}: ${result.notes.join(' | ')}`);
  assert.ok(result.notes[0].length <= NOTE_MAX, `${label}: a ${result.notes[0].length}-character note`);
  assert.match(result.notes[0], why, label);
  assert.match(result.notes[0], /; showing the default runs\.$/, label);
  assert.ok(result.ms < 500, `${label}: ${result.ms} ms`);
};

test('lab state: deep nesting is refused before JSON.parse, quickly, whatever the encoding', () => {
  const deep = '['.repeat(100000);
  const balanced = `${'['.repeat(50000)}${']'.repeat(50000)}`;
  const inRun = (v) => `{"problem": {"name": "quadratic", "diag": ${v}}, "optimizer": {"name": "sgd", "lr": 0.1}}`;
  const cases = [
    [deep, 'open brackets'],
    [balanced, 'balanced brackets'],
    [`{"runs": ${balanced}}`, 'nested runs'],
    [inRun(`${'['.repeat(5000)}1${']'.repeat(5000)}`), 'a deep value where a list goes'],
    [`{"runs": [${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}]}`, 'nested objects'],
    [toBase64Url(inRun(`${'['.repeat(5000)}1${']'.repeat(5000)}`)), 'base64url of a deep value'],
  ];
  for (const [text, label] of cases) fallsBack(read(text), /nested too deeply/, label);
  // Brackets inside strings are not nesting.
  fallsBack(read(JSON.stringify({ runs: [{ ...run('quadratic'), colour: '[{'.repeat(1000) }] })), /keys the lab does not use \(colour\)/, 'brackets in a string');
  fallsBack(read(JSON.stringify({ runs: [{ ...run('quadratic'), colour: '\\"[[['.repeat(1000) }] })), /keys the lab does not use \(colour\)/, 'escaped quotes and brackets in a string');
});

test('lab state: text longer than the limit is refused before decoding; a 5 MB base64 string is quick', () => {
  const { MAX_STATE_CHARS } = labRuns;
  assert.ok(MAX_STATE_CHARS >= 50000 && MAX_STATE_CHARS <= 1000000);
  const big = toBase64Url(JSON.stringify({ runs: [run('quadratic', 0.1, { colour: 'x'.repeat(5 * 1024 * 1024) })] }));
  assert.ok(big.length > 5e6);
  fallsBack(read(big), /longer than \d+ characters/, '5 MB of base64url');
  fallsBack(read(`{"runs": [${' '.repeat(MAX_STATE_CHARS)}]}`), /longer than/, 'long JSON');
  fallsBack(read(null, `#lab=${big}`), /longer than/, 'a long #lab= link');
  // Just under the limit: read (a long start is still a start).
  const x0 = Array.from({ length: 2 }, () => 1);
  const near = JSON.stringify(run('quadratic', 0.1, { problem: { name: 'quadratic', x0 } })) + ' '.repeat(MAX_STATE_CHARS - 200);
  assert.equal(read(near).runs[0].problem.x0.length, 2);
});

test('lab state: __proto__, constructor and other Object names are not problems, optimizers, schedules or keys', () => {
  const cases = [
    ['{"__proto__": {"polluted": 1}, "problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 0.1}}', /keys the lab does not use \(__proto__\)/],
    ['{"runs": [{"problem": {"name": "quadratic", "__proto__": {"polluted": 1}}, "optimizer": {"name": "sgd", "lr": 0.1}}]}', /problem has options the lab does not show \(__proto__\)/],
    ['{"runs": [{"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 0.1, "constructor": {"prototype": {"polluted": 1}}}}]}', /optimizer has options the lab does not show \(constructor\)/],
    [JSON.stringify(run('quadratic', 0.1, { constructor: 1 })), /keys the lab does not use \(constructor\)/],
  ];
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
    cases.push([JSON.stringify({ problem: { name }, optimizer: { name: 'sgd', lr: 0.1 } }), new RegExp(`problem\\.name "${name}" is not one the lab knows`)]);
    cases.push([JSON.stringify({ problem: { name: 'quadratic' }, optimizer: { name } }), new RegExp(`optimizer\\.name "${name}" is not one the lab knows`)]);
    cases.push([JSON.stringify(run('quadratic', 0.1, { schedule: { name } })), new RegExp(`schedule\\.name "${name}" is not one the lab knows`)]);
  }
  for (const [text, why] of cases) fallsBack(read(text), why, text);
  assert.equal({}.polluted, undefined, 'Object.prototype untouched');
  assert.equal(Object.prototype.polluted, undefined);
});

test('lab state: values its form cannot show are refused — wrong types, infinities from 1e400, deep schedules', () => {
  const cases = [
    [run('quadratic', '0.1'), /optimizer\.lr is not a number/],
    [run('quadratic', '<img src=x onerror=window.__pwned=1>'), /optimizer\.lr is not a number/],
    [run('quadratic', [0.1]), /optimizer\.lr is not a number/],
    [run('quadratic', { valueOf: 1 }), /optimizer\.lr is not a number/],
    [run('quadratic', null), /optimizer\.lr is not a number/],
    [run('quadratic', 0.1, { steps: '50' }), /steps is not a number/],
    [run('quadratic', 0.1, { seed: true }), /seed is not a number/],
    [run('quadratic', 0.1, { problem: { name: 'quadratic', x0: '1, 2' } }), /problem\.x0 is not a list of numbers/],
    [run('quadratic', 0.1, { problem: { name: 'quadratic', x0: [1, '2'] } }), /problem\.x0 is not a list of numbers/],
    [run('quadratic', 0.1, { problem: { name: 'quadratic', x0: [[1], [2]] } }), /problem\.x0 is not a list of numbers/],
    [run('rosenbrock', 0.1, { optimizer: { name: 'adam', betas: 0.9 } }), /optimizer\.betas is not a list of numbers/],
    [run('mlp', 0.1, { problem: { name: 'mlp', activation: 7 } }), /problem\.activation is not one of relu, tanh/],
    [run('mlp', 0.1, { problem: { name: 'mlp', activation: 'relu\nimport os' } }), /problem\.activation is not one of relu, tanh/],
    [run('quadratic', 0.1, { optimizer: { name: 'sgd', lr: 0.1, nesterov: 'yes' } }), /optimizer\.nesterov is not true or false/],
    [run('quadratic', 0.1, { schedule: { name: 'multistep', milestones: 'x' } }), /schedule\.milestones is not a list of numbers/],
    [run('quadratic', 0.1, { schedule: { name: 'sequential', schedulers: 'x' } }), /schedule\.schedulers is not a list of schedules/],
    [run('quadratic', 0.1, { schedule: { name: 'sequential', schedulers: [{ name: 'constructor' }] } }), /schedule\.schedulers\[0\]\.name "constructor" is not one the lab knows/],
    [run('quadratic', 0.1, { schedule: { name: 'sequential', schedulers: [{ name: 'multistep', milestones: [1], colour: 1 }] } }), /schedule\.schedulers\[0\] has options the lab does not show \(colour\)/],
    [run('quadratic', 0.1, { plateau: { factor: '0.5' } }), /plateau\.factor is not a number/],
  ];
  for (const [config, why] of cases) fallsBack(read(JSON.stringify(config)), why, JSON.stringify(config).slice(0, 120));
  // JSON.parse reads 1e400 as Infinity: not a number a run can use.
  fallsBack(read('{"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 1e400}}'), /optimizer\.lr is not a finite number/, '1e400');
  fallsBack(read('{"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": -1e400}}'), /optimizer\.lr is not a finite number/, '-1e400');
  fallsBack(read('{"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 0.1}, "steps": 1e400}'), /steps is not a finite number/, 'steps 1e400');
  // Kept: the right types, out of range or not (the engine's validator
  // reports ranges next to the form), null where a field may be null, and a
  // valid sequential schedule.
  const kept = [
    run('quadratic', -3, { steps: -1, seed: 1.5 }),
    run('quadratic', 0.1, { schedule: { name: 'cyclic', base_lr: 0.01, max_lr: 0.1, step_size_down: null } }),
    run('quadratic', 0.1, { schedule: { name: 'sequential', schedulers: [{ name: 'constant', factor: 0.5, total_iters: 5 }, { name: 'exponential', gamma: 0.99 }], milestones: [5] } }),
    run('rosenbrock', 1e-300, { problem: { name: 'rosenbrock', x0: [1e300, -1e300] }, optimizer: { name: 'adam', lr: 1e-300, betas: [0.9, 0.999], amsgrad: true } }),
  ];
  for (const config of kept) {
    const { runs, notes } = read(JSON.stringify(config));
    assert.deepEqual({ runs, notes }, { runs: [config], notes: [] }, JSON.stringify(config));
  }
});

test('lab state: huge steps are capped, many runs cut to four, long names and key lists clipped in the note', () => {
  const huge = read(JSON.stringify(run('quadratic', 0.1, { steps: 1e308 })));
  assert.equal(huge.runs[0].steps, labRuns.MAX_STEPS);
  assert.equal(huge.notes.length, 1);
  assert.match(huge.notes[0], /at most 5000/);
  const many = read(JSON.stringify({ runs: Array.from({ length: 2000 }, (_, k) => run('quadratic', 0.001 * (k + 1))) }));
  assert.equal(many.runs.length, labRuns.MAX_RUNS);
  assert.deepEqual(many.notes, ['Only the first 4 of 2000 runs are shown.']);
  assert.ok(many.ms < 500);
  fallsBack(read(JSON.stringify({ problem: { name: HUGE.slice(0, 50000) }, optimizer: { name: 'sgd', lr: 1 } })), /problem\.name "x+…/, 'a long name');
  const keys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
  fallsBack(read(JSON.stringify({ ...run('quadratic'), ...keys })), /keys the lab does not use \(k0, k1, k2, k3, k4, … and 4995 more\)/, 'many keys');
});
