package dev.backdrop.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorflow.proto.DataType;

/**
 * Turns the bytes a TF.js converter stored for one weight into TensorFlow {@code tensor_content}
 * (little-endian, the graph dtype). TF.js shrinks weights with float16 or affine uint8/uint16
 * quantisation; TensorFlow knows nothing of that, so we expand them back here.
 */
final class WeightDecoder {
    private WeightDecoder() {
    }

    static int storedBytesPerElement(WeightSpec spec) {
        if (spec.quantDtype() != null) {
            switch (spec.quantDtype()) {
                case "float16":
                case "uint16":
                    return 2;
                case "uint8":
                    return 1;
                default:
                    throw new ModelException("weight '" + spec.name() + "' uses quantisation dtype '"
                            + spec.quantDtype() + "', which Backdrop does not know (expected float16, uint8 or uint16)");
            }
        }
        return plainBytesPerElement(spec);
    }

    static DataType dataType(WeightSpec spec) {
        switch (spec.dtype()) {
            case "float32":
                return DataType.DT_FLOAT;
            case "int32":
                return DataType.DT_INT32;
            case "bool":
                return DataType.DT_BOOL;
            default:
                throw new ModelException("weight '" + spec.name() + "' has dtype '" + spec.dtype()
                        + "', which Backdrop does not support (float32, int32 and bool only)");
        }
    }

    private static int plainBytesPerElement(WeightSpec spec) {
        return dataType(spec) == DataType.DT_BOOL ? 1 : 4;
    }

    /**
     * @param src positioned at the weight's first stored byte; advanced past it
     * @return the tensor_content bytes for the weight's graph dtype
     */
    static byte[] decode(WeightSpec spec, ByteBuffer src) {
        src.order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(spec.elementCount());
        DataType type = dataType(spec);
        int outBytes = type == DataType.DT_BOOL ? n : n * 4;
        byte[] out = new byte[outBytes];
        ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        String q = spec.quantDtype();
        if (q == null) {
            src.get(out);
            return out;
        }
        if (type == DataType.DT_BOOL) {
            throw new ModelException("weight '" + spec.name() + "' is a quantised bool, which TF.js never writes; the model file is damaged");
        }
        boolean intOut = type == DataType.DT_INT32;
        for (int i = 0; i < n; i++) {
            float v;
            switch (q) {
                case "float16":
                    v = halfToFloat(src.getShort());
                    break;
                case "uint8":
                    v = (src.get() & 0xff) * spec.scale() + spec.min();
                    break;
                case "uint16":
                    v = (src.getShort() & 0xffff) * spec.scale() + spec.min();
                    break;
                default:
                    throw new ModelException("weight '" + spec.name() + "': unknown quantisation '" + q + "'");
            }
            if (intOut) {
                // TF.js rounds dequantised integer weights back to integers.
                dst.putInt(Math.round(v));
            } else {
                dst.putFloat(v);
            }
        }
        return out;
    }

    /** IEEE 754 half to float (Java 17 has no Float.float16ToFloat yet). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // Inf or NaN: keep the mantissa so NaN stays NaN.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal half: value = mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
