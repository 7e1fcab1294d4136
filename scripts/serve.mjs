// A small static server for the article during development and tests.
// URL layout (the same one `dist/` will have):
//   /                 web/            (HTML, CSS, ES modules)
//   /wasm/            build/wasm/web/ (the Embind module and its .wasm)
//   /vendor/uplot/    node_modules/uplot/dist/
//   /vendor/katex/    node_modules/katex/dist/ (KaTeX and its fonts)
// Only GET and HEAD; nothing outside those folders is reachable.
//
// createServer({mounts, cors, hashed}) serves other folders instead, e.g. the
// built site: createServer({mounts: [['/', 'dist']], cors: true, hashed: true})
// (cors adds Access-Control-Allow-Origin: *, needed when another origin loads
// lrlab.js; hashed marks dist/'s content-hashed assets, assets/name-HASH.ext,
// immutable, as a static host would be set up for them).
// `node scripts/serve.mjs --dist` serves dist/ that way. Every other file is
// "no-cache" with an ETag: a browser revalidates it and gets 304 Not Modified
// when it has not changed.
import http from 'node:http';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MOUNTS = [
  ['/wasm/', path.join(ROOT, 'build/wasm/web')],
  ['/vendor/uplot/', path.join(ROOT, 'node_modules/uplot/dist')],
  ['/vendor/katex/', path.join(ROOT, 'node_modules/katex/dist')],
  ['/', path.join(ROOT, 'web')],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

// What a host compresses when the browser accepts gzip (every common static
// host does), so transfer sizes measured against this server are the ones a
// reader would see. Compressed once per file version.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.bin', '.txt', '.ttf']);
const gzipped = new Map();
function gzipOf(file, stat) {
  const key = `${file}:${stat.mtimeMs}:${stat.size}`;
  if (!gzipped.has(key)) gzipped.set(key, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
  return gzipped.get(key);
}

// Maps a URL path to a file inside one of the mounts, or null.
export function resolvePath(urlPath, mounts = MOUNTS) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  for (const [prefix, dir] of mounts) {
    if (!decoded.startsWith(prefix)) continue;
    let file = path.join(dir, decoded.slice(prefix.length));
    if (file !== dir && !file.startsWith(dir + path.sep)) return null;
    if (decoded.endsWith('/')) file = path.join(file, 'index.html');
    return file;
  }
  return null;
}

// dist/'s content-hashed names (build-dist.mjs): a segment ending in -HASH
// before the extension, or a folder -HASH/ (KaTeX's), under /assets/.
const HASHED = /^\/assets\/(?:.*\/)?[^/]*-[0-9A-Z]{8,}(?:\.[^/]*)?(?:\/|$)/;

export function createServer({ mounts = MOUNTS, cors = false, hashed = false } = {}) {
  mounts = mounts.map(([prefix, dir]) => [prefix, path.resolve(ROOT, dir)]);
  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url, 'http://localhost');
    const file = resolvePath(url.pathname, mounts);
    const extra = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
    fs.stat(file ?? '', (err, stat) => {
      if (err || !stat.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...extra }).end('not found\n');
        return;
      }
      const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
      const headers = {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': hashed && HASHED.test(url.pathname) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
        Vary: 'Accept-Encoding',
        ...extra,
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      const gzip = COMPRESSIBLE.has(path.extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (gzip) {
        const body = gzipOf(file, stat);
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': stat.size });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
}

// Listens on host:port (port 0 picks a free one); resolves to the base URL.
export function listen(server, port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(`http://${host}:${server.address().port}/`));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.env.PORT ?? '8080';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer in [0, 65535], got "${raw}"`);
    process.exit(1);
  }
  const dist = process.argv.includes('--dist');
  const server = dist ? createServer({ mounts: [['/', 'dist']], cors: true, hashed: true }) : createServer();
  listen(server, port)
    .then((url) => console.log(`lrlab: serving ${dist ? 'dist/' : 'the article'} at ${url}  (Ctrl+C to stop)`))
    .catch((err) => {
      console.error(`lrlab: cannot listen on port ${port}: ${err.message}` +
        (err.code === 'EADDRINUSE' ? ' (set PORT to use another port)' : ''));
      process.exit(1);
    });
}
