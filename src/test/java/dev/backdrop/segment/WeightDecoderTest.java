package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class WeightDecoderTest {
    @Test
    void halfFloats() {
        assertEquals(1.0f, WeightDecoder.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, WeightDecoder.halfToFloat((short) 0xc000));
        assertEquals(65504f, WeightDecoder.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, WeightDecoder.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(Float.NEGATIVE_INFINITY, WeightDecoder.halfToFloat((short) 0xfc00));
        assertEquals(true, Float.isNaN(WeightDecoder.halfToFloat((short) 0x7e00)));
        assertEquals(0.333251953125f, WeightDecoder.halfToFloat((short) 0x3555));
    }

    @Test
    void affineUint8AndUint16() {
        WeightSpec u8 = new WeightSpec("w", new long[] {3}, "float32", "uint8", -1f, 0.5f);
        float[] v = floats(WeightDecoder.decode(u8, ByteBuffer.wrap(new byte[] {0, 2, (byte) 255})));
        assertEquals(-1f, v[0]);
        assertEquals(0f, v[1]);
        assertEquals(126.5f, v[2]);
        WeightSpec u16 = new WeightSpec("w", new long[] {1}, "float32", "uint16", 1f, 0.25f);
        // 0xff01 little-endian = 65281
        assertEquals(65281 * 0.25f + 1f, floats(WeightDecoder.decode(u16, ByteBuffer.wrap(new byte[] {1, (byte) 0xff})))[0]);
    }

    private static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
