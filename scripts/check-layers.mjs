// The layering rules of the code base, checked on its imports and includes
// (README "How the layers fit"). `npm test` runs them (tests/js/layers.test.js);
// `node scripts/check-layers.mjs` prints every forbidden arrow.
//
// C++ (cpp/): each layer includes only itself and the layers before it,
//   core → problems → optimizers → schedules → training → config → engine,
//   and nothing includes the programs (cli, bindings, bench, fuzz).
// Web (web/src/): engine and model stand alone; ui draws and may use model;
//   export writes files and code from model; figures use all four; the page's
//   entry points (article.js, lrlab-figure.js, …) use anything.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CPP_ORDER = ['core', 'problems', 'optimizers', 'schedules', 'training', 'config', 'engine'];
const CPP_PROGRAMS = ['cli', 'bindings', 'bench', 'fuzz'];

// Which layers a web layer may import; "site" is web/src's top level.
const WEB_ALLOWED = {
  engine: ['engine', 'wasm'],
  model: ['model'],
  ui: ['ui', 'model', 'vendor'],
  export: ['export', 'model'],
  figures: ['figures', 'ui', 'export', 'model', 'engine', 'site'],
  site: ['site', 'figures', 'ui', 'export', 'model', 'engine', 'vendor'],
  page: ['site', 'figures', 'ui', 'export', 'model', 'engine', 'vendor', 'page'],
};

// --- C++ -----------------------------------------------------------------------------
// The layer of a C++ file (a path relative to the root), or null.
export function cppLayer(file) {
  const parts = file.split('/');
  if (parts[0] !== 'cpp') return null;
  if (parts[1] === 'include' && parts[2] === 'lrlab') return parts[3];
  if (CPP_PROGRAMS.includes(parts[1])) return parts[1];
  if (parts[1] === 'src') {
    const base = path.basename(file, path.extname(file));
    if (base.startsWith('config') || base === 'reader') return 'config';
    if (base === 'dataset') return 'core';
    if (base === 'trainer') return 'training';
    if (base === 'engine' || base === 'job') return 'engine';
  }
  return null;
}

function cppIncludes(text) {
  return [...text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)].map((m) => m[1]);
}

// The layer an include names, from the including file's place.
function cppTarget(file, include) {
  const m = /^lrlab\/([^/]+)\//.exec(include);
  if (m) return m[1];
  return cppLayer(path.posix.join(path.posix.dirname(file), include));
}

function cppAllowed(from, to) {
  if (!to || from === to) return true;
  if (CPP_PROGRAMS.includes(to)) return false;  // nothing includes a program
  if (CPP_PROGRAMS.includes(from)) return true;
  const a = CPP_ORDER.indexOf(from), b = CPP_ORDER.indexOf(to);
  return a >= 0 && b >= 0 && b <= a;
}

// --- web ---------------------------------------------------------------------------------
// The layer of a web file (a path relative to the root), or null.
export function webLayer(file) {
  const parts = file.split('/');
  if (parts[0] !== 'web') return null;
  if (parts[1] === 'vendor') return 'vendor';
  if (parts[1] === 'wasm') return 'wasm';
  if (parts[1] !== 'src') return parts.length === 2 ? 'page' : null;
  if (parts.length === 3) return 'site';
  return parts[2];
}

function webImports(text) {
  const out = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

function webTarget(file, specifier) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return 'package';
  const resolved = specifier.startsWith('/') ? path.posix.join('web', specifier) : path.posix.join(path.posix.dirname(file), specifier);
  return webLayer(resolved);
}

// --- checking ------------------------------------------------------------------------------
// files: [{file (relative to the root, '/'-separated), text}] → ["from → to: file imports x"]
export function violations(files) {
  const out = [];
  for (const { file, text } of files) {
    const cpp = cppLayer(file);
    if (cpp) {
      for (const include of cppIncludes(text)) {
        const to = cppTarget(file, include);
        if (!cppAllowed(cpp, to)) out.push(`${cpp} → ${to}: ${file} includes "${include}"`);
      }
      continue;
    }
    const web = webLayer(file);
    if (!web || !WEB_ALLOWED[web]) continue;
    for (const specifier of webImports(text)) {
      const to = webTarget(file, specifier);
      if (to === 'package' || to === null) {
        if (web !== 'page') out.push(`${web} → ${to ?? 'outside web/'}: ${file} imports "${specifier}"`);
      } else if (!WEB_ALLOWED[web].includes(to)) {
        out.push(`${web} → ${to}: ${file} imports "${specifier}"`);
      }
    }
  }
  return out;
}

function walk(dir, exts) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, exts));
    else if (exts.includes(path.extname(entry.name))) out.push(full);
  }
  return out;
}

// Every source file the rules apply to.
export function projectFiles(root = ROOT) {
  const files = [...walk(path.join(root, 'cpp'), ['.hpp', '.cpp', '.h']), ...walk(path.join(root, 'web'), ['.js', '.mjs'])];
  return files.map((full) => ({ file: path.relative(root, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = violations(projectFiles());
  for (const v of found) console.log(v);
  console.log(found.length ? `${found.length} forbidden imports` : 'the layers hold');
  process.exit(found.length ? 1 : 0);
}
