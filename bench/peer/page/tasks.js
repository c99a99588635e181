// Peer "tasks-cpu": @mediapipe/tasks-vision ImageSegmenter with the CPU delegate (TFLite + XNNPACK in
// WebAssembly) on the same selfie model (with input metadata added by add-metadata.js). The timed loop is
//   segmentForVideo(bitmap) -> confidence mask (Float32Array, frame size) -> alpha of the 2D canvas ->
//   the same compositing as the webgl peer.
import { FilesetResolver, ImageSegmenter } from '/tv/vision_bundle.mjs';

window.runBench = async function runBench(params) {
  const { width, height, frames, warmup, blurPx, model } = params;
  const env = { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, webgl: webglInfo() };
  const bitmaps = await loadFrames();

  const canvas = document.getElementById('out');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: false });

  const tInit = performance.now();
  const fileset = await FilesetResolver.forVisionTasks('/tv/wasm');
  const segmenter = await ImageSegmenter.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: model, delegate: 'CPU' },
    runningMode: 'VIDEO',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
  const initMs = performance.now() - tInit;
  peerLog(`initialized in ${initMs.toFixed(0)} ms (${fileset.wasmBinaryPath})`);

  let maskData = null; // the person's confidence as the canvas's alpha, reused across frames
  let firstMaskSize = null;
  let ts = 0;
  function one(i) {
    const t0 = performance.now();
    let t = null;
    // The mask lives only during the callback (no copy out of the graph).
    segmenter.segmentForVideo(bitmaps[i % bitmaps.length], ++ts, (result) => {
      const tIn = performance.now();
      const mask = result.confidenceMasks[0];
      if (!firstMaskSize) firstMaskSize = `${mask.width}x${mask.height}`;
      if (mask.width !== width || mask.height !== height) throw new Error(`mask ${firstMaskSize}, frame ${width}x${height}`);
      if (!maskData) maskData = new ImageData(width, height);
      const m = mask.getAsFloat32Array();
      const px = new Uint32Array(maskData.data.buffer); // RGBA little-endian: alpha is the top byte
      for (let k = 0; k < m.length; k++) px[k] = (m[k] * 255) << 24;
      // putImageData replaces the pixels, like the webgl peer's 'copy' of its mask.
      ctx.putImageData(maskData, 0, 0);
      compositeOverMask(ctx, bitmaps[i % bitmaps.length], width, height, blurPx);
      t = { seg: tIn - t0, draw: performance.now() - tIn };
    });
    return t;
  }
  const t = await timeFrames({ frames, warmup, one, tInit });

  const sample = canvas.toDataURL('image/jpeg', 0.85);
  segmenter.close();
  return {
    ...t, init_ms: initMs, distinct_frames: bitmaps.length, mask_size: firstMaskSize, env, sample,
    wasm: fileset.wasmBinaryPath.split('/').pop(),
  };
};
