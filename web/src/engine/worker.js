// The Web Worker that owns the WASM module: every computation happens here so
// that the page never blocks. Messages: {id, op, args} in; {id, ok, value} or
// {id, ok: false, error: {name, message, issues}} out.
import createLrlabModule from '../../wasm/lrlab.mjs';
import { createCore } from './core.js';

// Data sets live beside the page in data/<name>.bin and load on first use.
async function loadDataset(name) {
  const response = await fetch(new URL(`../../data/${name}.bin`, import.meta.url));
  if (!response.ok) throw new Error(`the ${name} data set could not be loaded (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

const ready = createLrlabModule().then((module) => createCore(module, { loadDataset }));

// Operations whose first argument is a config that may need a data set.
const TAKES_CONFIG = new Set(['run', 'runJson', 'sweep', 'rangeTest', 'grid', 'openSession']);

// Typed arrays in a result are transferred, not copied.
function transferables(value) {
  if (!value || typeof value !== 'object') return [];
  return Object.values(value)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => v.buffer);
}

self.onmessage = async (event) => {
  const { id, op, args } = event.data ?? {};
  if (typeof id !== 'number' || typeof op !== 'string' || !Array.isArray(args)) return;
  try {
    const core = await ready;
    let value;
    if (op === 'prefetch') {
      // Load (and register) the data set a problem needs, ahead of use.
      await core.prepare({ problem: { name: String(args[0]) } });
      value = true;
    } else {
      if (!Object.hasOwn(core, op) || op === 'prepare') throw new Error(`unknown engine operation "${op}"`);
      if (TAKES_CONFIG.has(op)) await core.prepare(args[0]);
      value = core[op](...args);
    }
    self.postMessage({ id, ok: true, value }, transferables(value));
  } catch (err) {
    self.postMessage({
      id,
      ok: false,
      error: { name: err?.name ?? 'Error', message: String(err?.message ?? err), issues: err?.issues ?? null },
    });
  }
};
