// Tiny static file server for the peer benchmark (no dependencies).
// Serves these roots on 127.0.0.1 with an OS-chosen free port:
//   /            -> bench/peer/page        (the pages)
//   /mp/         -> node_modules/@mediapipe/selfie_segmentation (js, wasm, data, tflite, binarypb)
//   /tv/         -> node_modules/@mediapipe/tasks-vision (bundle, wasm)
//   /frames/     -> the folder of extracted frames (+ /frames/list.json)
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.tflite': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
  '.data': 'application/octet-stream',
};

function resolveUnder(root, rel) {
  const p = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (p !== root && !p.startsWith(root + path.sep)) return null; // no escaping the root
  return p;
}

/**
 * @param {{mounts: Array<[string, string]>, extra?: Record<string, () => {type: string, body: string|Buffer}>, log?: (s: string) => void}} opts
 *   mounts: [urlPrefix, directory] pairs, longest prefix first.
 * @returns {Promise<{server: http.Server, port: number, url: string, close: () => Promise<void>}>}
 */
function startServer(opts) {
  const mounts = opts.mounts
    .map(([prefix, dir]) => [prefix, path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const extra = opts.extra || {};
  const log = opts.log || (() => {});
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (extra[urlPath]) {
      const { type, body } = extra[urlPath]();
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    let file = null;
    for (const [prefix, dir] of mounts) {
      if (urlPath.startsWith(prefix)) {
        let rel = urlPath.slice(prefix.length);
        if (rel === '' || rel.endsWith('/')) rel += 'index.html';
        file = resolveUnder(dir, rel);
        break;
      }
    }
    if (!file) {
      res.writeHead(404).end('not found');
      log(`404 ${urlPath}`);
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404).end('not found');
        log(`404 ${urlPath}`);
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        server,
        port,
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

module.exports = { startServer };
