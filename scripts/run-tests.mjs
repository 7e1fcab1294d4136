// Runs every test suite and ends with one summary line, "N passed, N failed".
// Exits non-zero if any test failed or any suite could not run.
//
//   node scripts/run-tests.mjs [native] [wasm] [sanitize] [fuzz] [js] [browser]   (default: all)
//
// Expects the builds in build/native, build/wasm and build/sanitize
// (scripts/lrlab.sh test makes them first). FUZZ_SECONDS sets the short
// fuzz run (default 60).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Runs a command with its output shown live; resolves to {code, output}.
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, ...options });
    let output = '';
    const relay = (stream, target) => stream.on('data', (chunk) => {
      output += chunk;
      target.write(chunk);
    });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on('error', (err) => resolve({ code: 127, output: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function ctest(buildDir) {
  const { code, output } = await run('ctest', ['--test-dir', buildDir, '--no-tests=error', '-j', String(os.availableParallelism?.() ?? 2), '--output-on-failure']);
  const m = output.match(/(\d+)% tests passed, (\d+) tests? failed out of (\d+)/);
  if (!m) return { passed: 0, failed: 1, note: `ctest in ${buildDir} ran no tests (exit ${code})` };
  const failed = Number(m[2]);
  const total = Number(m[3]);
  return { passed: total - failed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) };
}

async function nodeTests(dir) {
  const tap = path.join(os.tmpdir(), `lrlab-${path.basename(dir)}-${process.pid}.tap`);
  const files = fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.test.js')).map((f) => path.join(dir, f));
  if (files.length === 0) return { passed: 0, failed: 1, note: `no test files in ${dir}` };
  const { code } = await run(process.execPath, [
    '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files,
  ]);
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(tap, { force: true });
  const count = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? NaN);
  const passed = count('pass');
  const failed = count('fail') + (count('cancelled') || 0);
  if (!Number.isFinite(passed) || !Number.isFinite(failed)) return { passed: 0, failed: 1, note: `node --test in ${dir} did not report (exit ${code})` };
  if (passed + failed === 0) return { passed: 0, failed: 1, note: `node --test in ${dir} ran no tests` };
  return { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) };
}

// One of scripts/fuzz.mjs's commands; its last line is a JSON summary.
async function fuzzTool(args) {
  const { output } = await run(process.execPath, ['scripts/fuzz.mjs', ...args]);
  const last = output.trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    return null;
  }
}

// The Catch2 suite under ASan + UBSan, then the sanitized CLI over the seed corpus.
async function sanitize() {
  const suite = await ctest('build/sanitize');
  const cli = await fuzzTool(['cli']);
  if (!cli) return { passed: suite.passed, failed: suite.failed + 1, note: 'the CLI over the corpus did not report' };
  // The CLI over the corpus counts as one test: every run exits 0 or 2 with no report.
  return {
    passed: suite.passed + (cli.ok ? 1 : 0),
    failed: suite.failed + (cli.ok ? 0 : 1),
    note: `CLI over ${cli.files} corpus files: ${cli.runs} runs (${cli.skipped ?? 0} long runs skipped), ${cli.failures.length} failed${suite.note ? `; ${suite.note}` : ''}`,
  };
}

async function shortFuzz() {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  const r = await fuzzTool(['run', String(seconds)]);
  if (!r) return { passed: 0, failed: 1, note: 'the fuzzer did not report' };
  const note = `${r.executions} configs in ${r.seconds} s, ${r.findings.length} findings`;
  return r.ok ? { passed: 1, failed: 0, note } : { passed: 0, failed: 1, note: `${note}: ${r.findings.join(', ')}` };
}

const SUITES = {
  native: ['C++ (Catch2, native)', () => ctest('build/native')],
  wasm: ['C++ (Catch2, WebAssembly under Node)', () => ctest('build/wasm')],
  sanitize: ['C++ under ASan + UBSan (Catch2, CLI)', sanitize],
  fuzz: ['fuzzing the config language (libFuzzer)', shortFuzz],
  js: ['JS engine API (node --test)', () => nodeTests('tests/js')],
  browser: ['browser (Chromium via playwright-core)', () => nodeTests('tests/e2e')],
};

const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!SUITES[name]) {
    console.error(`unknown suite "${name}"; choose from: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
}

const rows = [];
for (const name of chosen.length ? chosen : Object.keys(SUITES)) {
  const [title, runSuite] = SUITES[name];
  console.log(`\n===== ${title} =====`);
  const started = Date.now();
  const result = await runSuite();
  rows.push({ title, ...result, seconds: (Date.now() - started) / 1000 });
}

console.log('\n===== summary =====');
let passed = 0;
let failed = 0;
for (const row of rows) {
  passed += row.passed;
  failed += row.failed;
  console.log(`${row.title.padEnd(42)} ${String(row.passed).padStart(4)} passed ${String(row.failed).padStart(3)} failed  ${row.seconds.toFixed(1)} s${row.note ? `  (${row.note})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
