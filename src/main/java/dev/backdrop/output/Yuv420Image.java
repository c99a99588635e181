package dev.backdrop.output;

import dev.backdrop.compose.Compositor;
import java.nio.ByteBuffer;

/**
 * A frame as planar YUV 4:2:0 in I420 order: the Y plane (width x height), then U, then V (half
 * the width and height each), tightly packed, BT.601 limited range, as
 * {@link Compositor#readBackYuv420} writes it. The buffer is direct and allocated once.
 */
public final class Yuv420Image {
    public final int width;
    public final int height;
    public final ByteBuffer data;

    public Yuv420Image(int width, int height) {
        this.width = width;
        this.height = height;
        this.data = ByteBuffer.allocateDirect(Compositor.yuv420Bytes(width, height));
    }

    /** Copies another image of the same size into this one. */
    public void copyFrom(Yuv420Image other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("cannot copy a " + other.width + "x" + other.height + " image into "
                    + width + "x" + height);
        }
        data.put(0, other.data, 0, data.capacity());
    }
}
