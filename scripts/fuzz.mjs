// Fuzzing the config language and the sanitized CLI (README "Reliability").
// Needs build/sanitize (scripts/lrlab.sh builds it with clang: lrlab_fuzz,
// and lrlab and lrlab_tests under AddressSanitizer + UBSan).
//
//   node scripts/fuzz.mjs corpus            the seed corpus: every JSON config in the README
//                                           and the C++ tests → build/fuzz/seeds/
//   node scripts/fuzz.mjs run [SECONDS]     libFuzzer for SECONDS (default 600) over the seeds
//                                           and what earlier runs found (build/fuzz/found/);
//                                           a crash or hang is saved in build/fuzz/crashes/
//   node scripts/fuzz.mjs cli [--all]       every seed (--all: and every input found) through
//                                           every command of the sanitized CLI: exit 0 or 2,
//                                           nothing from a sanitizer
//
// Each prints one summary line as JSON ({"ok": …, …}) last, for run-tests.mjs.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.join(ROOT, 'build/sanitize');
const DIR = path.join(ROOT, 'build/fuzz');
const SEEDS = path.join(DIR, 'seeds');
const FOUND = path.join(DIR, 'found');
const CRASHES = path.join(DIR, 'crashes');
// Inputs that once broke something (tests/fuzz/regressions): seeds as well,
// and run by the Catch2 suite.
const REGRESSIONS = path.join(ROOT, 'tests/fuzz/regressions');

function run(command, args, { input, timeout = 0 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = timeout ? setTimeout(() => child.kill('SIGKILL'), timeout) : null;
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

// --- the seed corpus ----------------------------------------------------------------
// JSON objects in ```json blocks of the README, and in the raw strings R"(…)"
// of the C++ tests; each written once, named by its hash.
function seedsFrom(text, pattern) {
  const out = [];
  for (const m of text.matchAll(pattern)) {
    const candidate = m[1].trim();
    try {
      JSON.parse(candidate);
      out.push(candidate);
    } catch {
      // Not a whole JSON text (a fragment of a test): left out.
    }
  }
  return out;
}

function writeCorpus() {
  fs.mkdirSync(SEEDS, { recursive: true });
  const texts = [];
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  texts.push(...seedsFrom(readme, /```json\n([\s\S]*?)```/g));
  const testDir = path.join(ROOT, 'tests/cpp');
  for (const f of fs.readdirSync(testDir).filter((n) => n.endsWith('.cpp'))) {
    texts.push(...seedsFrom(fs.readFileSync(path.join(testDir, f), 'utf8'), /R"\(([\s\S]*?)\)"/g));
  }
  let written = 0;
  for (const t of new Set(texts)) {
    const name = crypto.createHash('sha1').update(t).digest('hex').slice(0, 16);
    fs.writeFileSync(path.join(SEEDS, `${name}.json`), t);
    written++;
  }
  return written;
}

function corpusFiles(all) {
  const dirs = [SEEDS, REGRESSIONS, ...(all ? [FOUND] : [])].filter((d) => fs.existsSync(d));
  return dirs.flatMap((d) => fs.readdirSync(d).filter((n) => !n.startsWith('.') && n !== 'README.md').map((n) => path.join(d, n)));
}

// --- libFuzzer -----------------------------------------------------------------------
async function fuzz(seconds) {
  const binary = path.join(BUILD, 'lrlab_fuzz');
  if (!fs.existsSync(binary)) throw new Error(`${path.relative(ROOT, binary)} is missing: build with scripts/lrlab.sh build test`);
  const seeds = writeCorpus();
  for (const d of [FOUND, CRASHES]) fs.mkdirSync(d, { recursive: true });
  const args = [
    FOUND, SEEDS, ...(fs.existsSync(REGRESSIONS) ? [REGRESSIONS] : []),
    `-max_total_time=${seconds}`, '-timeout=10', '-rss_limit_mb=2560', '-max_len=65536',
    `-artifact_prefix=${CRASHES}/`, '-print_final_stats=1',
  ];
  const started = Date.now();
  const result = await run(binary, args, { timeout: (seconds + 120) * 1000 });
  const log = result.stderr;
  fs.writeFileSync(path.join(DIR, 'last-run.log'), log);
  const stat = (name) => Number(new RegExp(`stat::${name}:\\s+(\\d+)`).exec(log)?.[1] ?? NaN);
  const crashes = fs.readdirSync(CRASHES).filter((n) => /^(crash|timeout|oom|leak|slow-unit)-/.test(n));
  const summary = {
    ok: result.code === 0 && crashes.length === 0,
    seconds: Math.round((Date.now() - started) / 1000),
    seeds,
    executions: stat('number_of_executed_units'),
    per_second: stat('average_exec_per_sec'),
    corpus: fs.readdirSync(FOUND).length,
    findings: crashes.map((n) => path.join('build/fuzz/crashes', n)),
    exit: result.code,
  };
  if (!summary.ok) console.error(log.split('\n').slice(-60).join('\n'));
  return summary;
}

// --- the sanitized CLI over the corpus -------------------------------------------------
// A few seeds are accepted configs just under the work limit (tests/cpp/config_limits_test.cpp):
// run to the end under ASan they take about a minute each and reach no code a short run does
// not. Their `run` is skipped (and counted); the other commands still read them.
const HEAVY_PARAM_STEPS = 2e7;
function heavy(text) {
  try {
    const c = JSON.parse(text);
    const steps = Number(c?.steps) || 0;
    const dim = Number(c?.problem?.dim) || 1;
    return steps * dim > HEAVY_PARAM_STEPS;
  } catch {
    return false;
  }
}

async function cliOverCorpus(all) {
  const binary = path.join(BUILD, 'lrlab');
  if (!fs.existsSync(binary)) throw new Error(`${path.relative(ROOT, binary)} is missing`);
  writeCorpus();
  const files = corpusFiles(all);
  const failures = [];
  let runs = 0;
  let skipped = 0;
  for (const file of files) {
    const big = heavy(fs.readFileSync(file, 'utf8'));
    for (const command of ['run', 'sweep', 'range-test', 'grid']) {
      if (big && command === 'run') {
        skipped++;
        continue;
      }
      const r = await run(binary, [command, file], { timeout: 60000 });
      runs++;
      const sanitizer = /(AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer)/.test(r.stderr);
      if (r.signal || (r.code !== 0 && r.code !== 2) || sanitizer) {
        failures.push(`${command} ${path.relative(ROOT, file)}: exit ${r.code ?? r.signal}${sanitizer ? ', a sanitizer report' : ''}: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`);
      }
    }
  }
  return { ok: failures.length === 0 && runs > 0, files: files.length, runs, skipped, failures };
}

const [what = 'run', arg] = process.argv.slice(2);
let summary;
if (what === 'corpus') summary = { ok: true, seeds: writeCorpus() };
else if (what === 'run') summary = await fuzz(Number(arg ?? 600));
else if (what === 'cli') summary = await cliOverCorpus(arg === '--all');
else {
  console.error('usage: node scripts/fuzz.mjs corpus | run [SECONDS] | cli');
  process.exit(2);
}
for (const f of summary.failures ?? []) console.error(f);
console.log(JSON.stringify(summary));
process.exit(summary.ok ? 0 : 1);
