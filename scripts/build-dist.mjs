// Builds dist/: the self-contained static site (see README "Publishing and
// embedding"). Needs build/wasm/web (scripts/lrlab.sh build makes it).
//
//   dist/index.html       the article
//   dist/embed.html       one figure, for iframes (embed.html?figure=<id>)
//   dist/lrlab.js         ES module defining <lrlab-figure>
//   dist/embed-resize.js  classic script for host pages (iframe heights)
//   dist/assets/…         content-hashed JS/CSS, the worker, the WASM,
//                         KaTeX (CSS + fonts), data/digits.bin
//
// Every URL is relative, so dist/ works from any host and any sub-path. All
// bundled JS sits in dist/assets/, so `new URL('./x', import.meta.url)` in a
// chunk points at dist/assets/x: the plugin below rewrites each such URL in
// the sources to the hashed asset's file name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import katex from 'katex';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const WASM = path.join(ROOT, 'build/wasm/web');
const DIST = path.join(ROOT, 'dist');
const ASSETS = path.join(DIST, 'assets');

// /vendor/ is a mount of the dev server; in the bundle it is node_modules.
const VENDOR = {
  uplot: path.join(ROOT, 'node_modules/uplot/dist'),
  katex: path.join(ROOT, 'node_modules/katex/dist'),
};
const WASM_DIR_IN_WEB = path.join(WEB, 'wasm'); // the dev server's /wasm/ mount

function hash(data) {
  return crypto.createHash('sha256').update(data).digest('hex').slice(0, 10).toUpperCase();
}

// Maps a source path as the dev server lays it out (web/vendor/…, web/wasm/…)
// to the real file.
function realPath(file) {
  const rel = path.relative(WEB, file);
  const parts = rel.split(path.sep);
  if (parts[0] === 'vendor' && VENDOR[parts[1]]) return path.join(VENDOR[parts[1]], ...parts.slice(2));
  if (parts[0] === 'wasm') return path.join(WASM, ...parts.slice(1));
  return file;
}

// Copies a file to dist/assets/<name>-<hash><ext>; returns that file name.
const copied = new Map();
function copyHashed(file) {
  if (copied.has(file)) return copied.get(file);
  const data = fs.readFileSync(file);
  const ext = path.extname(file);
  const name = `${path.basename(file, ext)}-${hash(data)}${ext}`;
  fs.writeFileSync(path.join(ASSETS, name), data);
  copied.set(file, name);
  return name;
}

// KaTeX's CSS loads fonts/… relative to itself: copy both into one folder
// named by the CSS's hash.
function copyKatex() {
  const css = fs.readFileSync(path.join(VENDOR.katex, 'katex.min.css'));
  const dir = `katex-${hash(css)}`;
  fs.mkdirSync(path.join(ASSETS, dir), { recursive: true });
  fs.writeFileSync(path.join(ASSETS, dir, 'katex.min.css'), css);
  fs.cpSync(path.join(VENDOR.katex, 'fonts'), path.join(ASSETS, dir, 'fonts'), { recursive: true });
  return `${dir}/katex.min.css`;
}

function prepare() {
  for (const need of [path.join(WASM, 'lrlab.mjs'), path.join(WASM, 'lrlab.wasm'), path.join(WASM, 'lrlab-hero.wasm')]) {
    if (!fs.existsSync(need)) {
      console.error(`build-dist: ${path.relative(ROOT, need)} is missing; run scripts/lrlab.sh build serve first`);
      process.exit(1);
    }
  }
  fs.rmSync(DIST, { recursive: true, force: true });
  fs.mkdirSync(ASSETS, { recursive: true });
}

// Resolves ../vendor/… and ../wasm/… imports, and rewrites every
// new URL('<relative>', import.meta.url) to a file inside dist/assets/.
function lrlabPlugin(assetFor) {
  return {
    name: 'lrlab',
    setup(build) {
      build.onResolve({ filter: /\/(vendor|wasm)\// }, (args) => {
        const file = realPath(path.resolve(args.resolveDir, args.path));
        return { path: file };
      });
      build.onLoad({ filter: /\.m?js$/ }, async (args) => {
        let text = await fs.promises.readFile(args.path, 'utf8');
        const dir = path.dirname(args.path);
        const sourceDir = args.path.startsWith(WASM) ? WASM_DIR_IN_WEB : dir;
        const pattern = /new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
        text = text.replace(pattern, (whole, quote, rel) => {
          const target = path.resolve(sourceDir, rel);
          const name = assetFor(target, args.path);
          if (name === null) throw new Error(`build-dist: no asset for ${rel} in ${path.relative(ROOT, args.path)}`);
          return `new URL(${quote}./${name}${quote}, import.meta.url)`;
        });
        // A Worker must be same-origin with the page that creates it. When
        // lrlab.js is loaded from another origin (the script + element way),
        // start the worker from a one-line blob: module that imports the real
        // one (CORS) — see README for the CSP this needs (worker-src blob:).
        if (args.path === path.join(WEB, 'src/engine/engine.js')) {
          const sites = text.match(/new Worker\(workerUrl,/g) ?? [];
          if (sites.length !== 1) throw new Error(`build-dist: expected one "new Worker(workerUrl," in engine.js, found ${sites.length}`);
          text = text.replace(/new Worker\(workerUrl,/, 'new Worker(lrlabWorkerUrl(workerUrl),');
          text += `
function lrlabWorkerUrl(url) {
  url = new URL(url, location.href);
  if (url.origin === location.origin) return url;
  const shim = 'import ' + JSON.stringify(url.href) + ';';
  return URL.createObjectURL(new Blob([shim], { type: 'text/javascript' }));
}
`;
        }
        return { contents: text, loader: 'js', resolveDir: dir };
      });
    },
  };
}

async function build() {
  prepare();
  const katexCss = copyKatex();
  fs.cpSync(path.join(WEB, 'data'), path.join(ASSETS, 'data'), { recursive: true, filter: (f) => !f.endsWith('.md') });

  const common = {
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: ROOT,
    outdir: DIST,
    metafile: true,
  };

  // The worker first: its hashed name is needed by engine.js.
  const staticAsset = (target) => {
    if (target.startsWith(path.join(WEB, 'data') + path.sep)) return `data/${path.relative(path.join(WEB, 'data'), target).split(path.sep).join('/')}`;
    if (target === path.join(WEB, 'vendor/katex/katex.min.css')) return katexCss;
    const real = realPath(target);
    return fs.existsSync(real) ? copyHashed(real) : null;
  };
  const workerBuild = await esbuild.build({
    ...common,
    entryPoints: { worker: path.join(WEB, 'src/engine/worker.js') },
    entryNames: 'assets/[name]-[hash]',
    plugins: [lrlabPlugin(staticAsset)],
  });
  const workerOut = Object.keys(workerBuild.metafile.outputs).find((f) => f.endsWith('.js'));
  const workerName = path.basename(workerOut);

  const pageBuild = await esbuild.build({
    ...common,
    entryPoints: {
      article: path.join(WEB, 'src/article.js'),
      lrlab: path.join(WEB, 'lrlab.js'),
      embed: path.join(WEB, 'embed.js'),
    },
    entryNames: 'assets/[name]-[hash]',
    chunkNames: 'assets/[name]-[hash]',
    splitting: true,
    plugins: [lrlabPlugin((target) => (target === path.join(WEB, 'src/engine/worker.js') ? workerName : staticAsset(target)))],
  });
  const entryOut = {};
  for (const [file, info] of Object.entries(pageBuild.metafile.outputs)) {
    if (info.entryPoint) entryOut[path.basename(info.entryPoint, '.js')] = path.relative(DIST, path.join(ROOT, file)).split(path.sep).join('/');
  }

  // Stable public names at the root.
  fs.writeFileSync(path.join(DIST, 'lrlab.js'),
    `// lrlab: defines <lrlab-figure>. Load with <script type="module" src="…/lrlab.js">.\nimport './${entryOut.lrlab}';\n`);
  const resize = await esbuild.transform(fs.readFileSync(path.join(WEB, 'embed-resize.js'), 'utf8'), { minify: true, target: 'es2020' });
  fs.writeFileSync(path.join(DIST, 'embed-resize.js'), resize.code);

  // HTML pages: every local src/href must map to a built file.
  const urlMap = {
    'src/theme-init.js': `assets/${copyHashed(path.join(WEB, 'src/theme-init.js'))}`,
    'vendor/katex/katex.min.css': `assets/${katexCss}`,
    'styles.css': `assets/${copyHashed(path.join(WEB, 'styles.css'))}`,
    'src/article.js': entryOut.article,
    'src/lrlab-figure.js': entryOut.lrlab,
    'lrlab.js': entryOut.lrlab,
    'embed.js': entryOut.embed,
  };
  for (const page of ['index.html', 'embed.html']) {
    let html = fs.readFileSync(path.join(WEB, page), 'utf8');
    html = html.replace(/\b(src|href)="([^"]*)"/g, (whole, attr, url) => {
      if (/^(#|data:|https?:|mailto:)/.test(url) || url === '') return whole;
      if (!urlMap[url]) throw new Error(`build-dist: ${page} refers to ${url}, which the build does not provide`);
      return `${attr}="${urlMap[url]}"`;
    });
    fs.writeFileSync(path.join(DIST, page), prerenderMath(html));
  }

  let bytes = 0;
  let files = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else { files += 1; bytes += fs.statSync(full).size; }
    }
  };
  walk(DIST);
  console.log(`build-dist: wrote dist/ (${files} files, ${(bytes / 1e6).toFixed(1)} MB)`);
}

// The article's formulas typeset now, so readers never see TeX source while
// the page loads (article.js skips elements marked data-typeset). The TeX
// is the text of <span class="tex"> (inline) and <div class="tex"> (display).
function prerenderMath(html) {
  const decode = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return html.replace(/<(span|div) class="tex">([^<]*)<\/\1>/g, (whole, tag, source) => {
    const rendered = katex.renderToString(decode(source), { displayMode: tag === 'div', throwOnError: true, output: 'htmlAndMathml' });
    return `<${tag} class="tex" data-typeset>${rendered}</${tag}>`;
  });
}

build().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
