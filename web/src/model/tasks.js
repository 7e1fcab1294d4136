// Scheduling a figure's engine work so that it keeps up with the reader:
// never queue stale work while a slider moves, recompute only what changed,
// and refine once the control rests. Plain JavaScript, no DOM or engine.
//
//   const compute = latestOnly(() => figure.recompute());   compute(); compute();
//   const long = latestAborting((v, signal) => figure.recompute(signal));   long();
//   const request = dirtyQueue((ids) => figure.recompute(ids));   request('adam');
//   const sweep = progressive((quick) => figure.recompute(quick));   sweep.moving();

// Runs `task(value)` for the latest value only: while one task is in flight,
// newer values replace each other and only the last one runs next. Keeps a
// figure in step with a slider drag without queueing stale work.
export function latestOnly(task) {
  let running = false;
  let queued = null;
  async function pump(value) {
    running = true;
    try {
      await task(value);
    } finally {
      running = false;
      if (queued) {
        const next = queued.value;
        queued = null;
        pump(next);
      }
    }
  }
  return (value) => {
    if (running) queued = { value };
    else pump(value);
  };
}

// latestOnly for long tasks: `task(value, signal)` gets an AbortSignal, and
// a newer value aborts the task in flight (the engine stops it between two
// of its pieces) once that task has run `minMs` — at once if it has, else
// when it has — so that the latest value starts within minMs rather than
// after the whole stale task, while a task gets long enough to show
// something first (a drag sends a value every frame). A task that ends in
// an AbortError ended as asked.
export function latestAborting(task, { minMs = 0, now = () => performance.now() } = {}) {
  let current = null;  // {controller, startedAt, timer}
  const run = latestOnly(async (value) => {
    const own = { controller: new AbortController(), startedAt: now(), timer: null };
    current = own;
    try {
      await task(value, own.controller.signal);
    } catch (err) {
      if (err?.name !== 'AbortError') throw err;
    } finally {
      clearTimeout(own.timer);
      if (current === own) current = null;
    }
  });
  return (value) => {
    const c = current;
    if (c && !c.controller.signal.aborted && c.timer === null) {
      const left = c.startedAt + minMs - now();
      if (left <= 0) c.controller.abort();
      else c.timer = setTimeout(() => c.controller.abort(), left);
    }
    run(value);
  };
}

// Collects what changed and recomputes only that: `request(id, …)` marks
// runs dirty; `task(ids)` then runs with every id marked since its last call
// (possibly none: a redraw only). Wrapped in latestOnly, so a drag never
// queues stale work.
export function dirtyQueue(task) {
  const dirty = new Set();
  const run = latestOnly(() => {
    const ids = [...dirty];
    dirty.clear();
    return task(ids);
  });
  return (...ids) => {
    for (const id of ids) dirty.add(id);
    run();
  };
}

// Quick results while a control moves, full resolution once it rests.
// task(quick) reads the figure's current state itself; it runs for the
// latest request only (latestOnly), so a drag never queues stale sweeps.
//   moving(): a change that more will follow (slider input);
//   settled(): a finished change (release, a select, the first draw);
//   again(): recompute for the current state at the current resolution.
export function progressive(task, idleMs = 200) {
  const pump = latestOnly((quick) => task(quick));
  let timer = null;
  const clear = () => {
    clearTimeout(timer);
    timer = null;
  };
  return {
    moving() {
      clear();
      pump(true);
      timer = setTimeout(() => {
        timer = null;
        pump(false);
      }, idleMs);
    },
    settled() {
      clear();
      pump(false);
    },
    again() {
      pump(timer !== null);
    },
    cancel: clear,
  };
}
