#!/usr/bin/env node
// Adds TFLite model metadata (input normalisation) to MediaPipe's selfie_segmentation.tflite, so that
// @mediapipe/tasks-vision's ImageSegmenter accepts it: the stock model has a float32 input and no
// metadata, and the task refuses it ("Input tensor has type float32: it requires specifying
// NormalizationOptions metadata"). The metadata says what MediaPipe's own selfie graph does: input in
// [0, 1], i.e. (pixel - 0) / 255. Nothing else in the model changes.
//
// Usage: node add-metadata.js [in.tflite] out.tflite   (run.js calls patchModel() directly)
//
// How: a FlatBuffer cannot be extended in place, and rebuilding a whole TFLite model needs its whole
// schema. Instead the old file is embedded unchanged, as one byte vector at the end of a new FlatBuffer
// (offsets inside a FlatBuffer are relative, so its tables stay valid wherever it sits), and a new root
// Model table points into it for every field the old root had, plus one more buffer holding the
// ModelMetadata and a `metadata` entry "TFLITE_METADATA" naming that buffer.
// Field ids: TFLite schema.fbs (Model, Buffer, Metadata) and tflite-support's metadata_schema.fbs.
'use strict';
const fs = require('fs');
const path = require('path');
const { Builder, ByteBuffer } = require('flatbuffers');

const STOCK = path.join(__dirname, 'node_modules', '@mediapipe', 'selfie_segmentation', 'selfie_segmentation.tflite');

// Model fields: 0 version:uint, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers:[Buffer],
// 5 metadata_buffer:[int], 6 metadata:[Metadata], 7 signature_defs.
const MODEL_FIELDS = 8;
const F_VERSION = 0;
const F_BUFFERS = 4;
const F_METADATA = 6;

/** A vector of offsets to tables already built (FlatBuffers are written back to front). */
function offsetVector(b, offsets) {
  b.startVector(4, offsets.length, 4);
  for (const o of [...offsets].reverse()) b.addOffset(o);
  return b.endVector();
}

/** The ModelMetadata FlatBuffer ("M001"): one subgraph, its input normalised by (x - mean) / std. */
function modelMetadata(mean, std) {
  const b = new Builder(256);
  const floats = (xs) => {
    b.startVector(4, xs.length, 4);
    for (const x of [...xs].reverse()) b.addFloat32(x);
    return b.endVector();
  };
  const meanV = floats(mean);
  const stdV = floats(std);
  b.startObject(2); // NormalizationOptions { mean:[float]; std:[float]; }
  b.addFieldOffset(0, meanV, 0);
  b.addFieldOffset(1, stdV, 0);
  const norm = b.endObject();
  b.startObject(2); // ProcessUnit { options:ProcessUnitOptions } = union type (id 0) + value (id 1)
  b.addFieldInt8(0, 1, 0); // 1 = NormalizationOptions
  b.addFieldOffset(1, norm, 0);
  const unit = b.endObject();
  const tensor = (name, processUnits) => {
    const n = b.createString(name);
    b.startObject(5); // TensorMetadata { name; description; dimension_names; content; process_units; ... }
    b.addFieldOffset(0, n, 0);
    if (processUnits) b.addFieldOffset(4, processUnits, 0);
    return b.endObject();
  };
  const inputs = offsetVector(b, [tensor('image', offsetVector(b, [unit]))]);
  const outputs = offsetVector(b, [tensor('segmentation_mask', null)]);
  b.startObject(4); // SubGraphMetadata { name; description; input_tensor_metadata; output_tensor_metadata; ... }
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraph = b.endObject();
  const subgraphs = offsetVector(b, [subgraph]);
  const name = b.createString('selfie_segmentation');
  const parser = b.createString('1.0.0');
  b.startObject(8); // ModelMetadata { name; description; version; subgraph_metadata; ...; min_parser_version (7) }
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(7, parser, 0);
  b.finish(b.endObject(), 'M001');
  return b.asUint8Array();
}

/** Returns a copy of the .tflite bytes with a TFLITE_METADATA entry (input normalisation) added. */
function patchModel(src, { mean = [0], std = [255] } = {}) {
  // Pad the old file to 16 bytes so its weights keep their alignment (Buffer.data is force_align 16).
  const old = new Uint8Array(Math.ceil(src.length / 16) * 16);
  old.set(src);
  const bb = new ByteBuffer(old);
  if (!bb.__has_identifier('TFL3')) throw new Error('not a TFLite model (no TFL3 identifier)');
  const root = bb.readUint32(0);
  // Reading the old root Model: a field's position (0 when absent), where an offset points, a vector's tables.
  const field = (id) => { const o = bb.__offset(root, 4 + 2 * id); return o ? root + o : 0; };
  const target = (p) => p + bb.readUint32(p);
  const vector = (id) => {
    if (!field(id)) return [];
    const v = target(field(id));
    return Array.from({ length: bb.readUint32(v) }, (_, i) => target(v + 4 + 4 * i));
  };
  if (vector(F_METADATA).some((t) => bb.__string(t + bb.__offset(t, 4)) === 'TFLITE_METADATA')) {
    throw new Error('the model already has TFLITE_METADATA');
  }

  const b = new Builder(old.length + 4096);
  // The old file, first, so that it ends up as the last old.length bytes of the new buffer: an old
  // position q is then the Builder offset (old.length - q).
  const embedded = b.createByteVector(old);
  if (embedded !== old.length + 4) throw new Error('unexpected padding before the embedded model');
  const at = (q) => old.length - q;
  b.prep(16, 0); // the whole buffer's size becomes a multiple of 16, so the old file keeps its alignment

  const meta = modelMetadata(mean, std);
  b.startVector(1, meta.length, 16);
  for (let i = meta.length - 1; i >= 0; i--) b.addInt8(meta[i]);
  const metaData = b.endVector();
  b.startObject(3); // Buffer { data:[ubyte]; offset:ulong; size:ulong }
  b.addFieldOffset(0, metaData, 0);
  const metaBuffer = b.endObject();

  const oldBuffers = vector(F_BUFFERS);
  const buffersV = offsetVector(b, [...oldBuffers.map(at), metaBuffer]);

  const name = b.createString('TFLITE_METADATA');
  b.startObject(2); // Metadata { name:string; buffer:uint }
  b.addFieldOffset(0, name, 0);
  b.addFieldInt32(1, oldBuffers.length, 0);
  const entry = b.endObject();
  const metadataV = offsetVector(b, [...vector(F_METADATA).map(at), entry]);

  b.startObject(MODEL_FIELDS);
  for (let id = 0; id < MODEL_FIELDS; id++) {
    if (id === F_BUFFERS) b.addFieldOffset(id, buffersV, 0);
    else if (id === F_METADATA) b.addFieldOffset(id, metadataV, 0);
    else if (id === F_VERSION) { if (field(id)) b.addFieldInt32(id, bb.readUint32(field(id)), 0); }
    else if (field(id)) b.addFieldOffset(id, at(target(field(id))), 0);
  }
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}

module.exports = { patchModel, STOCK };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length < 1 || args.length > 2) {
    process.stderr.write('usage: node add-metadata.js [in.tflite] out.tflite\n');
    process.exit(2);
  }
  const [src, dst] = args.length === 2 ? args : [STOCK, args[0]];
  const out = patchModel(fs.readFileSync(src));
  fs.writeFileSync(dst, out);
  process.stderr.write(`${dst}: ${out.length} bytes (${src} with input NormalizationOptions mean 0, std 255)\n`);
}
