package dev.backdrop.segment;

/**
 * One entry of a TF.js weights manifest: where the Const named {@code name} gets its value from.
 *
 * @param dtype          the tensor's dtype in the graph ("float32", "int32", "bool")
 * @param quantDtype     storage dtype when quantised ("float16", "uint8", "uint16"), else null
 * @param min            affine dequantisation offset (uint8/uint16 only)
 * @param scale          affine dequantisation scale (uint8/uint16 only)
 */
record WeightSpec(String name, long[] shape, String dtype, String quantDtype, float min, float scale) {

    long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes this weight takes in the shard files. */
    long storedBytes() {
        return elementCount() * WeightDecoder.storedBytesPerElement(this);
    }
}
