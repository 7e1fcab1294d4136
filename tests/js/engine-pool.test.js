// The page engine's pool of Workers (web/src/engine/engine.js), in Node with a
// stand-in Worker that answers by hand: its size, which Worker gets each
// call, sessions kept in their Worker, prefetch and the reader's table in
// every Worker, stats summed,
// cancels sent where the work is, and a Worker that fails to load.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// A Worker that records what it is sent; the test answers with reply().
class FakeWorker {
  static all = [];

  constructor(url, options) {
    this.url = String(url);
    this.options = options;
    this.sent = [];
    FakeWorker.all.push(this);
  }

  postMessage(message) {
    this.sent.push(message);
  }

  reply(id, value) {
    this.onmessage({ data: { id, ok: true, value } });
  }

  requests() {
    return this.sent.filter((m) => typeof m.op === 'string');
  }
}

globalThis.Worker = FakeWorker;
const { MAX_WORKERS, poolSize, getEngine } = await import('../../web/src/engine/engine.js');

// A fresh engine of `size` Workers (getEngine's class, not the shared one),
// by default without the idle warm-up, so that Workers start only on demand.
function makeEngine(size, { warmUp = false } = {}) {
  const Engine = getEngine().constructor;
  FakeWorker.all = [];
  return new Engine(new URL('https://example.test/worker.js'), size, { warmUp });
}

const lastRequest = (worker) => worker.requests().at(-1);

test('the pool has a Worker per core but one, at least one and at most MAX_WORKERS, unless LRLAB_WORKERS says', () => {
  assert.equal(MAX_WORKERS, 4);
  assert.equal(poolSize({ navigator: { hardwareConcurrency: 2 } }), 1);
  assert.equal(poolSize({ navigator: { hardwareConcurrency: 4 } }), 3);
  assert.equal(poolSize({ navigator: { hardwareConcurrency: 16 } }), 4);
  assert.equal(poolSize({ navigator: { hardwareConcurrency: 1 } }), 1);
  assert.equal(poolSize({ navigator: {} }), 1);
  assert.equal(poolSize({}), 1);
  assert.equal(poolSize({ navigator: { hardwareConcurrency: 0 } }), 1);
  assert.equal(poolSize({ LRLAB_WORKERS: 1, navigator: { hardwareConcurrency: 8 } }), 1);
  assert.equal(poolSize({ LRLAB_WORKERS: 3, navigator: { hardwareConcurrency: 1 } }), 3);
  for (const bad of [0, 5, 2.5, -1, 'x', NaN, Infinity]) {
    assert.equal(poolSize({ LRLAB_WORKERS: bad, navigator: { hardwareConcurrency: 3 } }), 2, `LRLAB_WORKERS = ${bad}`);
  }
});

test('a Worker starts with the first call, another only when every running one has loaded and is busy', async () => {
  const engine = makeEngine(2);
  assert.equal(FakeWorker.all.length, 0, 'nothing starts before the first call');
  const first = engine.run({ steps: 1 });
  assert.equal(FakeWorker.all.length, 1);
  const [a] = FakeWorker.all;
  // Busy but not loaded yet: the second call waits there (the first view
  // loads one module).
  const early = engine.run({ steps: 0 });
  assert.equal(FakeWorker.all.length, 1);
  a.reply(lastRequest(a).id, 'early');
  assert.equal(await early, 'early');
  assert.equal(a.options.type, 'module');
  a.reply(a.requests()[0].id, 'one');
  assert.equal(await first, 'one');
  // Idle again: the next call goes to the same Worker.
  const second = engine.run({ steps: 2 });
  assert.equal(FakeWorker.all.length, 1);
  // Busy: a second call starts the second Worker; a third goes to the less busy.
  const third = engine.sweep({ steps: 3 });
  assert.equal(FakeWorker.all.length, 2);
  const [, b] = FakeWorker.all;
  assert.equal(lastRequest(b).op, 'sweep');
  b.reply(lastRequest(b).id, 'three');
  assert.equal(await third, 'three');
  const fourth = engine.grid({ grid: {} });
  assert.equal(FakeWorker.all.length, 2, 'the pool is full');
  assert.equal(lastRequest(b).op, 'grid', 'the idle Worker gets it');
  // Both busy, pool full: the call waits in the Worker with less work.
  const fifth = engine.run({ steps: 5 });
  assert.equal(a.requests().length + b.requests().length, 6);
  assert.deepEqual(a.requests().map((r) => r.args[0].steps), [1, 0, 2, 5], 'the tie goes to the first Worker');
  a.reply(a.requests()[2].id, 'two');
  a.reply(a.requests()[3].id, 'five');
  b.reply(b.requests()[1].id, 'four');
  assert.deepEqual(await Promise.all([second, fourth, fifth]), ['two', 'four', 'five']);
});

test('a session stays in its Worker, prefetch reaches every Worker, stats add up', async () => {
  const engine = makeEngine(3);
  const opening = engine.openSession({ steps: 10 });
  const [a] = FakeWorker.all;
  a.reply(lastRequest(a).id, 7);
  const session = await opening;
  // Keep a busy so that other calls go elsewhere.
  engine.run({ steps: 1 });
  const advancing = session.advance(4);
  assert.deepEqual({ op: lastRequest(a).op, args: lastRequest(a).args }, { op: 'advance', args: [7, 4] });
  a.reply(lastRequest(a).id, { steps: 4 });
  assert.deepEqual(await advancing, { steps: 4 });
  session.close();
  assert.deepEqual({ op: lastRequest(a).op, args: lastRequest(a).args }, { op: 'closeSession', args: [7] });

  const prefetching = engine.prefetch('mlp');
  assert.equal(FakeWorker.all.length, 1, 'prefetch goes to the running Worker first');
  a.reply(lastRequest(a).id, true);
  await new Promise((r) => setImmediate(r));
  assert.equal(FakeWorker.all.length, 3, 'then starts the rest of the pool');
  for (const w of FakeWorker.all) {
    const r = lastRequest(w);
    assert.deepEqual({ op: r.op, args: r.args }, { op: 'prefetch', args: ['mlp'] });
    if (w !== a) w.reply(r.id, true);
  }
  assert.equal(await prefetching, true);

  const stats = engine.stats();
  FakeWorker.all.forEach((w, i) => w.reply(lastRequest(w).id, { sessions: i, active: 1, pieces: 10 * i }));
  const { pending, ...rest } = await stats;
  assert.deepEqual(rest, { sessions: 3, active: 3, pieces: 30, workers: 3 });
  assert.ok(pending >= 1, 'the run left waiting in the first Worker');
});

test("the reader's table reaches every running Worker, and a Worker started later before its first request", async () => {
  const engine = makeEngine(2);
  const table = new Uint8Array([1, 2, 3]);
  const setting = engine.setLocalData(table);
  const [a] = FakeWorker.all;
  assert.deepEqual({ op: lastRequest(a).op, args: lastRequest(a).args }, { op: 'setLocalData', args: [table] });
  a.reply(lastRequest(a).id, true);
  assert.equal(await setting, true);
  // Busy a, loaded: the next call starts b, which gets the table first.
  engine.run({ steps: 1 });
  engine.run({ problem: { name: 'mlp', data: 'local' }, steps: 2 });
  const [, b] = FakeWorker.all;
  assert.deepEqual(b.requests().map((r) => r.op), ['setLocalData', 'run']);
  assert.equal(b.requests()[0].args[0], table);
  // A table the core refuses: the call rejects, and later Workers get the
  // last one it took.
  const refused = engine.setLocalData(new Uint8Array([9]));
  for (const w of [a, b]) w.onmessage({ data: { id: lastRequest(w).id, ok: false, error: { name: 'Error', message: 'your data could not be read: data set file: checksum mismatch (corrupted)' } } });
  await assert.rejects(refused, /checksum mismatch/);
  assert.equal(engine.localData, table);
});

test('a cancel goes to the Worker that has the work; a failed Worker rejects what waits', async () => {
  const engine = makeEngine(2);
  const abort = new AbortController();
  const warm = engine.grid({});
  FakeWorker.all[0].reply(lastRequest(FakeWorker.all[0]).id, 'loaded');
  await warm;
  const busy = engine.run({ steps: 1 });
  const cancelled = engine.run({ steps: 2 }, { signal: abort.signal });
  const [a, b] = FakeWorker.all;
  const id = lastRequest(b).id;
  abort.abort();
  await assert.rejects(cancelled, { name: 'AbortError' });
  assert.deepEqual(b.sent.at(-1), { cancel: id });
  assert.ok(!a.sent.some((m) => 'cancel' in m), 'nothing sent to the other Worker');

  a.onerror({ message: 'no WebAssembly', preventDefault() {} });
  await assert.rejects(busy, /failed to load: no WebAssembly/);
  await assert.rejects(engine.run({ steps: 3 }), /failed to load/);
});

test("a run's progress reaches its own onProgress until the run settles", async () => {
  const engine = makeEngine(1);
  const seen = [];
  const run = engine.run({ steps: 9 }, { onProgress: (p) => seen.push(p) });
  const plain = engine.run({ steps: 8 });
  const [w] = FakeWorker.all;
  const [asked, other] = w.requests();
  assert.equal(asked.progress, true, 'the Worker is asked for progress');
  assert.ok(!('progress' in other), 'and only for the call that wants it');
  w.onmessage({ data: { id: asked.id, progress: { steps: 3 } } });
  w.onmessage({ data: { id: other.id, progress: { steps: 1 } } });
  w.onmessage({ data: { id: asked.id, progress: { steps: 6 } } });
  w.reply(asked.id, { steps: 9 });
  w.onmessage({ data: { id: asked.id, progress: { steps: 7 } } });
  assert.deepEqual(await run, { steps: 9 });
  assert.deepEqual(seen, [{ steps: 3 }, { steps: 6 }]);
  w.reply(other.id, 'plain');
  assert.equal(await plain, 'plain', 'a progress message settles nothing');
});

test('a scoped engine stops a call on either its own signal or the lifetime signal', async () => {
  const engine = makeEngine(1);
  const lifetime = new AbortController();
  const scoped = engine.scoped(lifetime.signal);
  const own = new AbortController();
  const first = scoped.run({ steps: 1 }, { signal: own.signal });
  own.abort();
  await assert.rejects(first, { name: 'AbortError' });
  const second = scoped.run({ steps: 2 }, { signal: new AbortController().signal });
  const third = scoped.run({ steps: 3 });
  lifetime.abort();
  await assert.rejects(second, { name: 'AbortError' });
  await assert.rejects(third, { name: 'AbortError' });
  const [w] = FakeWorker.all;
  assert.equal(w.sent.filter((m) => 'cancel' in m).length, 3);
});

test('once the first Worker has loaded, the rest of the pool starts in idle time, with the data the page used', async () => {
  const engine = makeEngine(3, { warmUp: true });
  const first = engine.run({ problem: { name: 'mlp' }, steps: 1 });
  const [a] = FakeWorker.all;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(FakeWorker.all.length, 1, 'nothing more before the first Worker answers');
  a.reply(lastRequest(a).id, 'done');
  await first;
  assert.equal(FakeWorker.all.length, 1, 'not at once');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(FakeWorker.all.length, 3);
  for (const w of FakeWorker.all.slice(1)) {
    assert.deepEqual(w.requests().map((m) => [m.op, m.args]), [['warmUp', [['mlp']]]], 'each new Worker is asked once, to load what the page ran on');
  }

  // With no problem named yet, each new Worker warms up with nothing to load.
  const bare = makeEngine(2, { warmUp: true });
  const call = bare.call('stats', []);
  FakeWorker.all[0].reply(lastRequest(FakeWorker.all[0]).id, 'loaded');
  await call;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(FakeWorker.all.length, 2);
  assert.deepEqual(FakeWorker.all[1].requests().map((m) => [m.op, m.args]), [['warmUp', [[]]]]);
});
