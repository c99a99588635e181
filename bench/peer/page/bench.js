// Runs inside headless Chromium. run.js calls window.runBench(params) and gets the result object back.
// Decoding is done up front (createImageBitmap); the timed loop is only
//   selfieSegmentation.send({image}) -> onResults -> blurred background + sharp person on a 2D canvas.
'use strict';

function webglInfo() {
  const info = {};
  for (const kind of ['webgl2', 'webgl']) {
    try {
      const c = document.createElement('canvas');
      const gl = c.getContext(kind);
      if (!gl) { info[kind] = null; continue; }
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      info[kind] = {
        vendor: ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR),
        renderer: ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
        version: gl.getParameter(gl.VERSION),
      };
      const lose = gl.getExtension('WEBGL_lose_context');
      if (lose) lose.loseContext();
    } catch (e) {
      info[kind] = 'error: ' + e;
    }
  }
  return info;
}

async function loadFrames(list, log) {
  const t0 = performance.now();
  const bitmaps = [];
  for (const name of list) {
    const resp = await fetch('/frames/' + name);
    if (!resp.ok) throw new Error('frame ' + name + ': HTTP ' + resp.status);
    bitmaps.push(await createImageBitmap(await resp.blob()));
  }
  log(`decoded ${bitmaps.length} frames in ${(performance.now() - t0).toFixed(0)} ms`);
  return bitmaps;
}

window.runBench = async function runBench(params) {
  const log = (s) => console.log('[page] ' + s);
  const { width, height, frames, warmup, modelSelection, blurPx } = params;
  const env = { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, webgl: webglInfo() };
  log('webgl: ' + JSON.stringify(env.webgl));

  const list = await (await fetch('/frames/list.json')).json();
  const bitmaps = await loadFrames(list, log);

  const canvas = document.getElementById('out');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: false });

  let resolveFrame = null;
  let firstMaskSize = null;
  let nResults = 0;
  const seg = new SelfieSegmentation({ locateFile: (file) => '/mp/' + file });
  seg.setOptions({ modelSelection, selfieMode: false });
  let tSent = 0;
  let segMs = 0;
  let drawMs = 0;
  let timing = false;
  seg.onResults((results) => {
    const tIn = performance.now();
    // Same compositing as MediaPipe's selfie-segmentation demo, with a blurred frame as the background:
    // mask -> source-in the frame (sharp person, alpha = mask) -> destination-atop the blurred frame.
    if (!firstMaskSize) {
      const m = results.segmentationMask;
      firstMaskSize = m ? `${m.width}x${m.height}` : 'none';
    }
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(results.segmentationMask, 0, 0, width, height);
    ctx.globalCompositeOperation = 'source-in';
    ctx.drawImage(results.image, 0, 0, width, height);
    ctx.globalCompositeOperation = 'destination-atop';
    ctx.filter = `blur(${blurPx}px)`;
    ctx.drawImage(results.image, 0, 0, width, height);
    ctx.restore();
    // Force the (otherwise deferred) 2D canvas work to actually run before the frame counts as done.
    ctx.getImageData(0, 0, 1, 1);
    nResults++;
    if (timing) { segMs += tIn - tSent; drawMs += performance.now() - tIn; }
    if (resolveFrame) { const r = resolveFrame; resolveFrame = null; r(); }
  });

  const tInit = performance.now();
  await seg.initialize();
  const initMs = performance.now() - tInit;
  log(`initialized in ${initMs.toFixed(0)} ms (modelSelection=${modelSelection})`);

  async function one(i) {
    const done = new Promise((r) => { resolveFrame = r; });
    tSent = performance.now();
    await seg.send({ image: bitmaps[i % bitmaps.length] });
    await done;
  }

  const tWarm = performance.now();
  for (let i = 0; i < warmup; i++) await one(i);
  const warmupMs = performance.now() - tWarm;
  log(`warm-up ${warmup} frames in ${warmupMs.toFixed(0)} ms`);

  const per = new Float64Array(frames);
  timing = true;
  if (window.peerMark) await window.peerMark('start');
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    const a = performance.now();
    await one(warmup + i);
    per[i] = performance.now() - a;
    if ((i + 1) % 50 === 0) log(`${i + 1}/${frames} frames, ${((i + 1) * 1000 / (performance.now() - t0)).toFixed(2)} fps so far`);
  }
  const wallMs = performance.now() - t0;
  const cpu = window.peerMark ? await window.peerMark('end') : null;
  const sorted = Array.from(per).sort((x, y) => x - y);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

  // Keep one composited frame for a visual check.
  const sample = canvas.toDataURL('image/jpeg', 0.85);
  seg.close();
  return {
    fps: frames * 1000 / wallMs,
    ms_per_frame: wallMs / frames,
    // send() -> onResults (upload, segmentation graph, mask) and onResults -> drawn (compositing, blur, readback)
    ms_segment: segMs / frames,
    ms_composite: drawMs / frames,
    ms_p50: pct(0.5),
    ms_p95: pct(0.95),
    wall_ms: wallMs,
    init_ms: initMs,
    warmup_ms: warmupMs,
    distinct_frames: bitmaps.length,
    cpu,
    mask_size: firstMaskSize,
    results: nResults,
    env,
    sample,
  };
};
