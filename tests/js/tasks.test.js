// How figures schedule their engine work (web/src/model/tasks.js), without a
// browser: latestOnly never queues stale work (latestAborting also stops
// it), dirtyQueue recomputes only
// what changed, progressive gives quick results while a control moves and the
// full one once it rests. The browser tests see these only through figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirtyQueue, latestAborting, latestOnly, progressive } from '../../web/src/model/tasks.js';

// A task whose runs finish only when the test says so.
function controlledTask() {
  const calls = [];
  const task = (value) => new Promise((resolve, reject) => calls.push({ value, resolve, reject }));
  return { calls, task };
}

// Lets pending promise callbacks run.
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test('latestOnly: one run at a time, and of the values that came meanwhile only the last', async () => {
  const { calls, task } = controlledTask();
  const run = latestOnly(task);
  run(1);
  assert.deepEqual(calls.map((c) => c.value), [1], 'the first value runs at once');
  run(2);
  run(3);
  run(4);
  assert.equal(calls.length, 1, 'nothing else while it runs');
  calls[0].resolve();
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [1, 4], 'then only the latest');
  calls[1].resolve();
  await flush();
  assert.equal(calls.length, 2, 'and nothing more');
  run(5);
  assert.deepEqual(calls.map((c) => c.value), [1, 4, 5], 'idle again: a new value runs at once');
});

test('latestAborting: a newer value aborts the task in flight, and only the latest runs next', async () => {
  const calls = [];
  // Like engine.run: rejects with an AbortError once its signal aborts.
  const task = (value, signal) => new Promise((resolve, reject) => {
    calls.push({ value, signal, resolve });
    signal.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' })));
  });
  const run = latestAborting(task);
  run(1);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].signal.aborted, false);
  run(2);
  run(3);
  assert.equal(calls[0].signal.aborted, true, 'the first is stopped');
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [1, 3], 'the latest runs as soon as it has stopped');
  assert.equal(calls[1].signal.aborted, false);
  calls[1].resolve();
  await flush();
  assert.equal(calls.length, 2, 'nothing more');
  run(4);
  assert.deepEqual(calls.map((c) => c.value), [1, 3, 4], 'idle: a new value runs at once');
  calls[2].resolve();
  await flush();
  assert.equal(calls[2].signal.aborted, false, 'a finished task is not aborted afterwards');
  run(5);
  assert.equal(calls[2].signal.aborted, false);
});

test('latestAborting with minMs: a task is stopped only once it has run that long', async () => {
  let clock = 0;
  const calls = [];
  const task = (value, signal) => new Promise((resolve, reject) => {
    calls.push({ value, signal, resolve });
    signal.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' })));
  });
  const run = latestAborting(task, { minMs: 30, now: () => clock });
  run(1);
  clock = 10;
  run(2);
  assert.equal(calls[0].signal.aborted, false, 'too young to stop');
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(calls[0].signal.aborted, true, 'stopped when it has run 30 ms');
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [1, 2]);
  clock = 100;
  run(3);
  assert.equal(calls[1].signal.aborted, true, 'an older task stops at once');
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [1, 2, 3]);
  calls[2].resolve();
  await flush();
});

test('dirtyQueue: every id marked since the last run, once, and redraws with none', async () => {
  const { calls, task } = controlledTask();
  const request = dirtyQueue(task);
  request('adam');
  assert.deepEqual(calls.map((c) => c.value), [['adam']]);
  request('sgd');
  request('adam', 'lion');
  request('sgd');
  calls[0].resolve();
  await flush();
  assert.deepEqual(calls[1].value.sort(), ['adam', 'lion', 'sgd'], 'what changed meanwhile, each once');
  calls[1].resolve();
  await flush();
  request();
  assert.deepEqual(calls[2].value, [], 'a redraw only');
  calls[2].resolve();
  await flush();
  assert.equal(calls.length, 3);
});

// progressive's timer runs on node:test's mock clock: the test says when
// time passes, so a busy machine cannot change the order of events.
test('progressive: quick while moving, full once the control rests, only the latest', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const quick = [];
  const sweep = progressive(async (q) => { quick.push(q); }, 200);
  sweep.moving();
  await flush();
  assert.deepEqual(quick, [true], 'a quick result at once');
  t.mock.timers.tick(150);
  sweep.moving();
  await flush();
  t.mock.timers.tick(150);
  sweep.moving();
  await flush();
  assert.deepEqual(quick, [true, true, true]);
  t.mock.timers.tick(199);
  await flush();
  assert.equal(quick.length, 3, 'no full result while it moves');
  t.mock.timers.tick(1);
  await flush();
  assert.deepEqual(quick, [true, true, true, false], '200 ms after the last input: the full one');
  t.mock.timers.tick(1000);
  await flush();
  assert.equal(quick.length, 4, 'only once');

  sweep.moving();
  await flush();
  sweep.settled();
  await flush();
  assert.deepEqual(quick.slice(4), [true, false], 'a release gives the full result at once');
  t.mock.timers.tick(1000);
  await flush();
  assert.equal(quick.length, 6, 'and cancels the pending one');

  sweep.again();
  await flush();
  assert.deepEqual(quick.slice(6), [false], 'at rest, again() recomputes in full');
  sweep.moving();
  await flush();
  sweep.again();
  await flush();
  assert.deepEqual(quick.slice(7), [true, true], 'while moving, again() stays quick');
  sweep.cancel();
  t.mock.timers.tick(1000);
  await flush();
  assert.equal(quick.length, 9, 'cancel() drops the pending full result (a figure removed mid-drag)');
});

test('progressive: while a quick run is in flight, later requests collapse into the latest', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { calls, task } = controlledTask();
  const sweep = progressive(task, 200);
  sweep.moving();
  sweep.moving();
  sweep.moving();
  assert.deepEqual(calls.map((c) => c.value), [true]);
  t.mock.timers.tick(300);  // the full run is due, but the quick one still runs
  await flush();
  assert.equal(calls.length, 1);
  calls[0].resolve();
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [true, false], 'then the full run, not the stale quick ones');
  calls[1].resolve();
  await flush();
  assert.equal(calls.length, 2);
});
