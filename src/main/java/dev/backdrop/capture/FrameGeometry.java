package dev.backdrop.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The sizes one run works at: the frames, as the input delivers them, and the masks the model
 * predicts for them (the model's output grid, which the compositor scales up to the frame).
 */
public record FrameGeometry(int width, int height, int maskWidth, int maskHeight) {

    /** A buffer for one mask: a float per mask pixel, rows top-first, in native order for the GL and the model. */
    public FloatBuffer newMask() {
        return ByteBuffer.allocateDirect(maskWidth * maskHeight * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
