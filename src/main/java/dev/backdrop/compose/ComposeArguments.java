package dev.backdrop.compose;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** The argument checks both engines make of what they are given, so the bounds and messages are one. */
final class ComposeArguments {

    private ComposeArguments() {
    }

    /** A frame of height rows of stride bytes (the only stride this width takes) and its model mask of so many floats. */
    static void frame(ByteBuffer frameIn, int stride, int expectedStride, int width, int height, FloatBuffer mask,
                      int maskTexels) {
        if (stride != expectedStride) {
            throw new IllegalArgumentException("stride must be " + expectedStride + " for width " + width + ", got " + stride);
        }
        buffer(frameIn, stride, height, "frameIn");
        if (!mask.isDirect() || mask.order() != ByteOrder.nativeOrder() || mask.remaining() < maskTexels) {
            throw new IllegalArgumentException("mask must be a direct, native-order buffer with "
                    + maskTexels + " floats remaining");
        }
    }

    /** A direct buffer with rowBytes * height bytes remaining. */
    static void buffer(ByteBuffer buffer, int rowBytes, int height, String name) {
        long bytes = (long) rowBytes * height;
        if (!buffer.isDirect() || buffer.remaining() < bytes) {
            throw new IllegalArgumentException(name + " must be a direct buffer with " + bytes + " bytes remaining");
        }
    }
}
