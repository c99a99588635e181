// Shared by both peers' pages: frame loading, WebGL probing, the timed loop and compositing.
'use strict';

window.peerLog = (s) => console.log('[page] ' + s);

window.webglInfo = function webglInfo() {
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
};

// Every frame decoded up front (not timed): the timed loop sees ready ImageBitmaps.
window.loadFrames = async function loadFrames() {
  const list = await (await fetch('/frames/list.json')).json();
  const t0 = performance.now();
  const bitmaps = [];
  for (const name of list) {
    const resp = await fetch('/frames/' + name);
    if (!resp.ok) throw new Error('frame ' + name + ': HTTP ' + resp.status);
    bitmaps.push(await createImageBitmap(await resp.blob()));
  }
  peerLog(`decoded ${bitmaps.length} frames in ${(performance.now() - t0).toFixed(0)} ms`);
  return bitmaps;
};

// MediaPipe's demo compositing with a blurred frame as the background, once the canvas holds the mask
// (alpha = person): source-in the frame (sharp person) -> destination-atop the blurred frame.
window.compositeOverMask = function compositeOverMask(ctx, image, width, height, blurPx) {
  ctx.save();
  ctx.globalCompositeOperation = 'source-in';
  ctx.drawImage(image, 0, 0, width, height);
  ctx.globalCompositeOperation = 'destination-atop';
  ctx.filter = `blur(${blurPx}px)`;
  ctx.drawImage(image, 0, 0, width, height);
  ctx.restore();
  // Force the (otherwise deferred) 2D canvas work to actually run before the frame counts as done.
  ctx.getImageData(0, 0, 1, 1);
};

/**
 * Runs `warmup` untimed then `frames` timed frames, one after another. one(i) does frame i and returns
 * (or resolves to) {seg, draw} in ms. tInit: when the peer's initialisation started, so that start-up is
 * initialisation + the first frame.
 */
window.timeFrames = async function timeFrames({ frames, warmup, one, tInit }) {
  let startupMs = null;
  const tWarm = performance.now();
  for (let i = 0; i < warmup; i++) {
    await one(i);
    if (i === 0) startupMs = performance.now() - tInit;
  }
  const warmupMs = performance.now() - tWarm;
  peerLog(`warm-up ${warmup} frames in ${warmupMs.toFixed(0)} ms`);

  const per = new Float64Array(frames);
  let segMs = 0;
  let drawMs = 0;
  if (window.peerMark) await window.peerMark('start');
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    const a = performance.now();
    const { seg, draw } = await one(warmup + i);
    per[i] = performance.now() - a;
    if (startupMs === null) startupMs = performance.now() - tInit;
    segMs += seg;
    drawMs += draw;
    if ((i + 1) % 50 === 0) peerLog(`${i + 1}/${frames} frames, ${((i + 1) * 1000 / (performance.now() - t0)).toFixed(2)} fps so far`);
  }
  const wallMs = performance.now() - t0;
  const cpu = window.peerMark ? await window.peerMark('end') : null;
  const sorted = Array.from(per).sort((x, y) => x - y);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    fps: frames * 1000 / wallMs,
    ms_per_frame: wallMs / frames,
    ms_segment: segMs / frames,
    ms_composite: drawMs / frames,
    ms_p50: pct(0.5),
    ms_p95: pct(0.95),
    wall_ms: wallMs,
    warmup_ms: warmupMs,
    startup_ms: startupMs,
    cpu,
  };
};
