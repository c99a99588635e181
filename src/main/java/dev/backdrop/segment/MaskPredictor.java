package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** Something that predicts a frame's person mask: a {@link SegmentationModel}, or one wrapped by a test to fail. */
@FunctionalInterface
public interface MaskPredictor {

    /** See {@link SegmentationModel#predict(ByteBuffer, PixelLayout, int, int, int, FloatBuffer)}. */
    void predict(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, FloatBuffer mask);
}
