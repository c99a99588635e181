// Makes the reference data for SelfieReferenceTest: the bundled selfie model run by TF.js itself
// (pure JS CPU backend), so the Java loader can be checked against the converter's own runtime.
// Usage (from this directory): npm ci && node make-reference.js
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');

const repo = path.resolve(__dirname, '..', '..');
const photo = path.resolve(repo, '..', 'shared', 'testdata', 'photos', 'astronaut.png');
const modelDir = path.join(repo, 'models', 'selfie');
const outDir = path.join(repo, 'src', 'test', 'resources', 'segment');
const SIZE = 256;

async function main() {
  await tf.setBackend('cpu');
  fs.mkdirSync(outDir, { recursive: true });

  // Photo -> 256x256 RGB, rounded to 8 bits so the PNG we write is exactly what the model sees.
  const src = PNG.sync.read(fs.readFileSync(photo));
  const rgb = new Float32Array(src.width * src.height * 3);
  for (let i = 0; i < src.width * src.height; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = src.data[i * 4 + c];
  }
  const resized = tf.tidy(() => tf.image
      .resizeBilinear(tf.tensor3d(rgb, [src.height, src.width, 3]), [SIZE, SIZE])
      .round().clipByValue(0, 255));
  const pixels = resized.dataSync();
  const png = new PNG({ width: SIZE, height: SIZE, colorType: 2 });
  for (let i = 0; i < SIZE * SIZE; i++) {
    png.data[i * 4] = pixels[i * 3];
    png.data[i * 4 + 1] = pixels[i * 3 + 1];
    png.data[i * 4 + 2] = pixels[i * 3 + 2];
    png.data[i * 4 + 3] = 255;
  }
  fs.writeFileSync(path.join(outDir, 'astronaut-256.png'), PNG.sync.write(png, { colorType: 2 }));

  // Load the graph model from memory (tfjs-node's file:// handler is not available in pure JS).
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
  const weightSpecs = [];
  const shards = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(modelDir, p)));
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs, weightData,
    format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    signature: json.signature,
  }));

  const input = tf.tidy(() => resized.div(255).expandDims(0));
  const output = model.execute(input);
  const mask = output.dataSync();
  if (mask.length !== SIZE * SIZE) throw new Error(`unexpected output size ${mask.length}`);
  const bytes = Buffer.alloc(mask.length * 4);
  for (let i = 0; i < mask.length; i++) bytes.writeFloatLE(mask[i], i * 4);
  fs.writeFileSync(path.join(outDir, 'astronaut-256-mask-tfjs.f32'), bytes);

  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of mask) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
  console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}: mask min ${min} max ${max} mean ${sum / mask.length}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
