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

    /** Elements of the shape; Long.MAX_VALUE when that overflows (refused by the model limits). */
    long elementCount() {
        try {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** Bytes this weight takes in the shard files (Long.MAX_VALUE when that overflows). */
    long storedBytes() {
        long n = elementCount();
        int per = WeightDecoder.storedBytesPerElement(this);
        return n > Long.MAX_VALUE / per ? Long.MAX_VALUE : n * per;
    }
}
