package dev.backdrop.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The sizes one run works at: the frames, as the input delivers them, and the masks the model
 * predicts for them (the model's output grid, which the compositor scales up to the frame); and
 * the layout the frames travel the ring in.
 */
public record FrameGeometry(int width, int height, int maskWidth, int maskHeight, PixelLayout layout) {

    /** RGBA frames, the layout the GL takes. */
    public FrameGeometry(int width, int height, int maskWidth, int maskHeight) {
        this(width, height, maskWidth, maskHeight, PixelLayout.RGBA);
    }

    /** The same sizes, frames in another layout. */
    public FrameGeometry in(PixelLayout other) {
        return new FrameGeometry(width, height, maskWidth, maskHeight, other);
    }

    /** Bytes per row of a frame (of its Y plane, in I420). */
    public int stride() {
        return layout.stride(width);
    }

    /** A buffer for one mask: a float per mask pixel, rows top-first, in native order for the GL and the model. */
    public FloatBuffer newMask() {
        return ByteBuffer.allocateDirect(maskWidth * maskHeight * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
