#!/usr/bin/env node
// Peer benchmark for Backdrop: MediaPipe's selfie segmentation in headless Chromium, fed the same clip's
// frames, blurring the background on a 2D canvas. Peers: webgl (@mediapipe/selfie_segmentation, its
// WebGL graph) and tasks-cpu (@mediapipe/tasks-vision ImageSegmenter, CPU delegate: XNNPACK in wasm).
// Prints one JSON line per peer on stdout; everything else goes to stderr.
//
// Usage: node run.js [--peer webgl|tasks-cpu|all] [--clip samples/astronaut.mp4] [--size 1280x720]
//                    [--frames 300] [--warmup 10] [--model-selection 0|1] [--blur 12]
//                    [--chromium /usr/bin/chromium] [--ffmpeg PATH] [--timeout 900] [--sample out.jpg] [--keep]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..');
const MP_DIR = path.join(HERE, 'node_modules', '@mediapipe', 'selfie_segmentation');
const TV_DIR = path.join(HERE, 'node_modules', '@mediapipe', 'tasks-vision');
const MODELS = ['selfie_segmentation.tflite', 'selfie_segmentation_landscape.tflite']; // by --model-selection

// What each peer's page is, and which npm package it measures.
const PEERS = {
  webgl: { name: 'mediapipe-selfie-web', page: 'index.html', pkg: MP_DIR },
  'tasks-cpu': { name: 'mediapipe-tasks-cpu', page: 'tasks.html', pkg: TV_DIR },
};

function log(s) { process.stderr.write(`[peer] ${s}\n`); }
function die(s) { process.stderr.write(`peer benchmark: ${s}\n`); process.exit(1); }

function parseArgs(argv) {
  const o = {
    peer: 'webgl',
    clip: path.join(REPO, 'samples', 'astronaut.mp4'),
    size: '1280x720',
    frames: 300,
    warmup: 10,
    modelSelection: 0,
    blur: 12,
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    ffmpeg: process.env.BACKDROP_FFMPEG || null,
    timeout: 900,
    sample: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    const val = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (key) {
      case '--peer': o.peer = val(); break;
      case '--clip': o.clip = path.resolve(val()); break;
      case '--size': o.size = val(); break;
      case '--frames': o.frames = parseInt(val(), 10); break;
      case '--warmup': o.warmup = parseInt(val(), 10); break;
      case '--model-selection': case '--model': o.modelSelection = parseInt(val(), 10); break;
      case '--blur': o.blur = parseFloat(val()); break;
      case '--chromium': o.chromium = val(); break;
      case '--ffmpeg': o.ffmpeg = val(); break;
      case '--timeout': o.timeout = parseInt(val(), 10); break;
      case '--sample': o.sample = path.resolve(val()); break;
      case '--keep': o.keep = true; break;
      case '-h': case '--help':
        process.stderr.write(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 11).join('\n') + '\n');
        process.exit(0);
        break;
      default: die(`unknown argument ${a} (see --help)`);
    }
  }
  const m = /^(\d+)x(\d+)$/.exec(o.size);
  if (!m) die(`--size must be WIDTHxHEIGHT, got ${o.size}`);
  o.width = +m[1]; o.height = +m[2];
  if (!(o.frames > 0)) die('--frames must be a positive integer');
  if (!(o.warmup >= 0)) die('--warmup must be >= 0');
  if (o.peer !== 'all' && !PEERS[o.peer]) die(`--peer must be ${Object.keys(PEERS).join(', ')} or all, got ${o.peer}`);
  o.peers = o.peer === 'all' ? Object.keys(PEERS) : [o.peer];
  if (o.modelSelection !== 0 && o.modelSelection !== 1) die('--model-selection must be 0 (general 256x256) or 1 (landscape 144x256)');
  return o;
}

function findFfmpeg(explicit) {
  if (explicit) {
    if (!fs.existsSync(explicit)) die(`ffmpeg not found at ${explicit}`);
    return { bin: explicit, env: { ...process.env, LD_LIBRARY_PATH: [path.dirname(explicit), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } };
  }
  // The ffmpeg binary JavaCV ships, unpacked by JavaCPP into its cache (./backdrop --help does that once).
  const cache = path.join(os.homedir(), '.javacpp', 'cache');
  let jars = [];
  try { jars = fs.readdirSync(cache).filter((n) => /^ffmpeg-.*-gpl\.jar$/.test(n)).sort().reverse(); } catch (_) { /* no cache */ }
  for (const jar of jars) {
    const dir = path.join(cache, jar, 'org', 'bytedeco', 'ffmpeg', 'linux-x86_64-gpl');
    const bin = path.join(dir, 'ffmpeg');
    if (fs.existsSync(bin)) {
      return { bin, env: { ...process.env, LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } };
    }
  }
  for (const d of (process.env.PATH || '').split(':')) {
    const bin = path.join(d, 'ffmpeg');
    if (d && fs.existsSync(bin)) return { bin, env: process.env };
  }
  die("no ffmpeg: JavaCV's is unpacked by running `./backdrop --help` once in the repo root (or pass --ffmpeg PATH)");
}

function extractFrames(o, dir) {
  const ff = findFfmpeg(o.ffmpeg);
  const want = o.frames + o.warmup;
  log(`extracting up to ${want} frames of ${o.clip} at ${o.width}x${o.height} with ${ff.bin}`);
  const t0 = Date.now();
  try {
    execFileSync(ff.bin, [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-i', o.clip, '-an',
      '-vf', `scale=${o.width}:${o.height}:flags=bicubic`,
      '-frames:v', String(want), '-q:v', '2',
      path.join(dir, 'f%05d.jpg'),
    ], { env: ff.env, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    die(`ffmpeg failed to extract frames from ${o.clip} (${e.message.split('\n')[0]})`);
  }
  const list = fs.readdirSync(dir).filter((n) => n.endsWith('.jpg')).sort();
  if (list.length === 0) die(`ffmpeg produced no frames from ${o.clip}`);
  log(`${list.length} distinct frames in ${Date.now() - t0} ms` + (list.length < want ? ` (the clip is shorter than ${want} frames: the page cycles through them)` : ''));
  return list;
}

// CPU seconds used by each Chromium process type (browser, gpu-process, renderer, utility...) among
// this process's descendants; Linux /proc only, best effort. It shows where the work runs: with
// --disable-gpu, WebGL is SwiftShader inside the gpu-process, while wasm runs in the renderer.
let clkTck = 100;
try { clkTck = parseInt(execFileSync('getconf', ['CLK_TCK']).toString(), 10) || 100; } catch (_) { /* default */ }
function cpuByProcessType() {
  const procs = new Map();
  let pids = [];
  try { pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)); } catch (_) { return null; }
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(+pid, { ppid: +f[1], ticks: +f[11] + +f[12] });
    } catch (_) { /* gone */ }
  }
  const kids = new Map();
  for (const [pid, p] of procs) { if (!kids.has(p.ppid)) kids.set(p.ppid, []); kids.get(p.ppid).push(pid); }
  const out = {};
  const stack = [...(kids.get(process.pid) || [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(kids.get(pid) || []));
    let type = 'other';
    try {
      // Chromium rewrites its children's titles, so the arguments may be joined by spaces.
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (/chrom/.test(cmd.split(' ')[0])) {
        const t = /--type=([\w-]+)/.exec(cmd);
        type = t ? t[1] : 'browser';
      }
    } catch (_) { continue; }
    out[type] = (out[type] || 0) + procs.get(pid).ticks / clkTck;
  }
  return out;
}

function chromiumVersion(bin) {
  try {
    const out = execFileSync(bin, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const m = /(\d+\.\d+\.\d+\.\d+)/.exec(out);
    return m ? m[1] : out.trim();
  } catch (_) {
    return null;
  }
}

// The sample path for one peer: as given for a single peer, with the peer's name added for --peer all.
function samplePath(o, peer) {
  if (!o.sample || o.peers.length === 1) return o.sample;
  const ext = path.extname(o.sample);
  return o.sample.slice(0, o.sample.length - ext.length) + '-' + peer + ext;
}

// One peer in a fresh browser (its own profile, so neither peer's CPU time or caches reach the other).
async function runPeer(o, peer, srv, profileDir, version) {
  const { chromium } = require('playwright-core');
  const spec = PEERS[peer];
  // A fresh --user-data-dir: Playwright takes it as the persistent context's directory.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: o.chromium,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      // Without a GPU, WebGL2 is SwiftShader (CPU). Headless Chromium 156 falls back to it on its own,
      // but Chromium is phasing that out; MediaPipe's webgl graph cannot run without WebGL2.
      '--enable-unsafe-swiftshader',
    ],
    viewport: { width: 800, height: 600 },
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const consoleLines = [];
    page.on('console', (m) => { const t = m.text(); consoleLines.push(t); process.stderr.write(`[chromium:${m.type()}] ${t}\n`); });
    page.on('pageerror', (e) => process.stderr.write(`[chromium:pageerror] ${e.message}\n`));
    // Nothing leaves the machine: tasks-vision posts usage logs to Google once a task runs; those (and
    // anything else not for the local server) are refused here, which the library tolerates.
    await context.route((u) => u.origin !== srv.url, (route) => {
      log(`${peer}: blocked a request to ${route.request().url()}`);
      return route.abort('blockedbyclient');
    });
    page.setDefaultTimeout(o.timeout * 1000);
    let cpuStart = null;
    await page.exposeFunction('peerMark', (what) => {
      const now = cpuByProcessType();
      if (what === 'start' || !cpuStart || !now) { cpuStart = now; return null; }
      const d = {};
      for (const k of Object.keys(now)) {
        const v = now[k] - (cpuStart[k] || 0);
        if (v > 0.005) d[k] = +v.toFixed(2);
      }
      return d;
    });
    await page.goto(`${srv.url}/${spec.page}`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 30000 });
    log(`${peer}: running ${o.warmup} warm-up + ${o.frames} timed frames at ${o.size}, modelSelection=${o.modelSelection}`);
    const r = await page.evaluate((p) => window.runBench(p), {
      width: o.width, height: o.height, frames: o.frames, warmup: o.warmup,
      modelSelection: o.modelSelection, blurPx: o.blur, model: '/model/' + MODELS[o.modelSelection],
    });
    const sample = samplePath(o, peer);
    if (sample) {
      fs.writeFileSync(sample, Buffer.from(r.sample.split(',')[1], 'base64'));
      log(`wrote a composited frame to ${sample}`);
    }

    const wgl = r.env.webgl.webgl2 || r.env.webgl.webgl;
    const renderer = wgl && typeof wgl === 'object' ? wgl.renderer : null;
    // TFLite logs its CPU delegate when it creates it. The webgl peer's graph is SelfieSegmentationGpu:
    // image-to-tensor, the inference (GPU delegate) and the mask all run on its WebGL2 context.
    const xnnpack = consoleLines.some((l) => /XNNPACK delegate for CPU/i.test(l));
    const gl = !renderer ? 'no WebGL' : /swiftshader/i.test(renderer) ? 'SwiftShader cpu' : 'gpu';
    const backend = xnnpack ? 'wasm cpu (XNNPACK)' : `webgl2 (${gl})`;
    log(`${peer}: WebGL renderer ${renderer || 'none'}; mask ${r.mask_size}; init ${r.init_ms.toFixed(0)} ms; `
      + `start-up ${r.startup_ms.toFixed(0)} ms; CPU seconds per Chromium process type during the timed loop: ${JSON.stringify(r.cpu)}`);
    const round = (x) => +x.toFixed(2);
    return {
      peer: spec.name,
      fps: round(r.fps),
      ms_per_frame: round(r.ms_per_frame),
      ms_segment: round(r.ms_segment),
      ms_composite: round(r.ms_composite),
      ms_p50: round(r.ms_p50),
      ms_p95: round(r.ms_p95),
      // Start-up, not in the fps: initialisation (wasm, model, graph) + the first segmented, composited frame.
      startup_ms: Math.round(r.startup_ms),
      init_ms: Math.round(r.init_ms),
      frames: o.frames,
      warmup: o.warmup,
      distinct_frames: r.distinct_frames,
      size: o.size,
      model_selection: o.modelSelection,
      mask_size: r.mask_size,
      blur_px: o.blur,
      clip: path.relative(REPO, o.clip).startsWith('..') ? o.clip : path.relative(REPO, o.clip),
      chromium: version,
      backend,
      webgl_renderer: renderer,
      ...(r.wasm ? { wasm: r.wasm } : {}),
      cpu_s: r.cpu,
      hardware_concurrency: r.env.hardwareConcurrency,
      package: require(path.join(spec.pkg, 'package.json')).version,
    };
  } finally {
    await context.close();
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  for (const dir of [path.join(HERE, 'node_modules', 'playwright-core'), path.join(HERE, 'node_modules', 'flatbuffers'), TV_DIR, MP_DIR]) {
    if (!fs.existsSync(path.join(dir, 'package.json'))) die('node_modules missing: run npm ci in bench/peer');
  }
  if (!fs.existsSync(o.chromium)) die(`chromium not found at ${o.chromium} (apt-get install -y chromium, or pass --chromium PATH)`);
  if (!fs.existsSync(o.clip)) die(`clip not found: ${o.clip}`);

  const { startServer } = require('./server');
  const { patchModel } = require('./add-metadata');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'backdrop-peer-'));
  const framesDir = path.join(work, 'frames');
  fs.mkdirSync(framesDir);
  let srv = null;
  const cleanup = async () => {
    if (srv) { await srv.close(); srv = null; }
    if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  };
  process.on('SIGINT', () => { cleanup().finally(() => process.exit(130)); });
  process.on('SIGTERM', () => { cleanup().finally(() => process.exit(143)); });

  try {
    const list = extractFrames(o, framesDir);
    // The tasks-cpu peer's model: the same .tflite as the webgl peer's, plus input metadata (made here,
    // in memory, each run: 250 KB, a few ms).
    const model = patchModel(fs.readFileSync(path.join(MP_DIR, MODELS[o.modelSelection])));
    srv = await startServer({
      mounts: [['/mp/', MP_DIR], ['/tv/', TV_DIR], ['/frames/', framesDir], ['/', path.join(HERE, 'page')]],
      extra: {
        '/favicon.ico': () => ({ type: 'image/x-icon', body: '' }),
        '/frames/list.json': () => ({ type: 'application/json', body: JSON.stringify(list) }),
        ['/model/' + MODELS[o.modelSelection]]: () => ({ type: 'application/octet-stream', body: Buffer.from(model) }),
      },
      log,
    });
    log(`serving on ${srv.url}`);
    const version = chromiumVersion(o.chromium);
    for (const peer of o.peers) {
      const profileDir = path.join(work, 'profile-' + peer);
      fs.mkdirSync(profileDir);
      const out = await runPeer(o, peer, srv, profileDir, version);
      process.stdout.write(JSON.stringify(out) + '\n');
    }
  } finally {
    await cleanup();
  }
}

main().catch((e) => die(String(e && e.stack ? e.stack.split('\n')[0] : e)));
