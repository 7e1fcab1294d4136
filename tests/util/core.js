// The engine core over the WASM module, in Node, with the digits data set
// read from the source tree: what tests/js suites run configs through.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import createLrlabModule from '../../build/wasm/web/lrlab.mjs';
import { createCore } from '../../web/src/engine/core.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function loadCore() {
  const module = await createLrlabModule({ wasmBinary: fs.readFileSync(path.join(ROOT, 'build/wasm/web/lrlab.wasm')) });
  const core = createCore(module, {
    loadDataset: async (name) => new Uint8Array(fs.readFileSync(path.join(ROOT, 'web/data', `${name}.bin`))),
  });
  return { module, core };
}
