package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import org.tensorflow.types.TFloat32;

/**
 * The input side for one frame size: the frame scaled by the {@link FramePreprocessor}, placed per the
 * {@link FrameFit} into the {@link ModelInput}. Built when the frame size changes, reused for every frame.
 */
final class FittedInput implements AutoCloseable {
    final FrameFit fit;
    private final FramePreprocessor preprocessor;
    private final ModelInput input;

    FittedInput(FrameFit fit, ModelDescriptor d) {
        this.fit = fit;
        this.preprocessor = new FramePreprocessor(fit.scaledW, fit.scaledH);
        this.input = new ModelInput(d, fit.inW, fit.inH);
    }

    /** A frame of the fit's size -> the input tensor, owned by this object. */
    TFloat32 fill(ByteBuffer pixels, PixelLayout layout, int stride) {
        fit.placeInput(preprocessor.process(pixels, layout, fit.frameW, fit.frameH, stride), input.rgb);
        return input.commit();
    }

    /** The input of the last {@link #fill}, mirrored left to right, as the input tensor. */
    TFloat32 mirrored() {
        return input.commitMirrored();
    }

    /** RGB in [0,1] already at the input size, inW*inH*3 floats from index 0 -> the input tensor. */
    TFloat32 fill(FloatBuffer rgb) {
        if (rgb.capacity() < input.rgb.length) {
            throw new IllegalArgumentException("rgb holds " + rgb.capacity() + " floats, the model needs "
                    + input.rgb.length);
        }
        rgb.get(0, input.rgb);
        return input.commit();
    }

    @Override
    public void close() {
        preprocessor.close();
        input.close();
    }
}
