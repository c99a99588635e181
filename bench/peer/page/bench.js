// Peer "webgl": @mediapipe/selfie_segmentation in headless Chromium. run.js calls window.runBench(params)
// and gets the result object back. The timed loop is only
//   selfieSegmentation.send({image}) -> onResults -> blurred background + sharp person on a 2D canvas.
'use strict';

window.runBench = async function runBench(params) {
  const { width, height, frames, warmup, modelSelection, blurPx } = params;
  const env = { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, webgl: webglInfo() };
  peerLog('webgl: ' + JSON.stringify(env.webgl));
  const bitmaps = await loadFrames();

  const canvas = document.getElementById('out');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: false });

  let resolveFrame = null;
  let firstMaskSize = null;
  const seg = new SelfieSegmentation({ locateFile: (file) => '/mp/' + file });
  seg.setOptions({ modelSelection, selfieMode: false });
  let tSent = 0;
  seg.onResults((results) => {
    const tIn = performance.now();
    const m = results.segmentationMask;
    if (!firstMaskSize) firstMaskSize = m ? `${m.width}x${m.height}` : 'none';
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(m, 0, 0, width, height);
    ctx.restore();
    compositeOverMask(ctx, results.image, width, height, blurPx);
    // send() -> onResults (upload, segmentation graph, mask) and onResults -> drawn (compositing, blur, readback)
    if (resolveFrame) { const r = resolveFrame; resolveFrame = null; r({ seg: tIn - tSent, draw: performance.now() - tIn }); }
  });

  const tInit = performance.now();
  await seg.initialize();
  const initMs = performance.now() - tInit;
  peerLog(`initialized in ${initMs.toFixed(0)} ms (modelSelection=${modelSelection})`);

  async function one(i) {
    const done = new Promise((r) => { resolveFrame = r; });
    tSent = performance.now();
    await seg.send({ image: bitmaps[i % bitmaps.length] });
    return done;
  }
  const t = await timeFrames({ frames, warmup, one, tInit });

  // Keep one composited frame for a visual check.
  const sample = canvas.toDataURL('image/jpeg', 0.85);
  seg.close();
  return { ...t, init_ms: initMs, distinct_frames: bitmaps.length, mask_size: firstMaskSize, env, sample };
};
