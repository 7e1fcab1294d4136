// The Web Worker that owns the WASM module: every computation happens here so
// that the page never blocks. Messages: {id, op, args} in; {id, ok, value} or
// {id, ok: false, error: {name, message, messages}} out.
import createLrlabModule from '../../wasm/lrlab.mjs';
import { createCore } from './core.js';

const ready = createLrlabModule().then(createCore);

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
    if (!Object.hasOwn(core, op)) throw new Error(`unknown engine operation "${op}"`);
    const value = core[op](...args);
    self.postMessage({ id, ok: true, value }, transferables(value));
  } catch (err) {
    self.postMessage({
      id,
      ok: false,
      error: { name: err?.name ?? 'Error', message: String(err?.message ?? err), messages: err?.messages ?? null },
    });
  }
};
