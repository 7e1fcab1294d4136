// Writes the config schema — what `lrlab schema` prints — to a JSON file,
// asking the freshly built WebAssembly module for it. The build runs this
// whenever the module is relinked or the file is missing (CMakeLists.txt,
// target lrlab_schema), so the page, the Node tests and dist/ import a
// schema that is always the core's own:
//
//   node scripts/write-schema.mjs build/wasm/web web/src/model/schema.json
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [moduleDir, out] = process.argv.slice(2);
if (!moduleDir || !out) {
  console.error('usage: node scripts/write-schema.mjs MODULE_DIR OUT.json');
  process.exit(1);
}
const { default: createLrlabModule } = await import(pathToFileURL(path.resolve(moduleDir, 'lrlab.mjs')).href);
const module = await createLrlabModule({ wasmBinary: fs.readFileSync(path.resolve(moduleDir, 'lrlab.wasm')) });
const text = `${module.command('schema', '')}\n`;
fs.writeFileSync(out, text);
