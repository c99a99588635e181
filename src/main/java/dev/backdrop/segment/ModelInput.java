package dev.backdrop.segment;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * The image input tensor for one input size. Callers write RGB in [0,1], pixels interleaved, into
 * {@link #rgb}; {@link #commit} converts it to the range, colour order and layout model.yaml declares.
 * The conversion goes to a second array, never in place, so what the caller left untouched (letterbox bars)
 * keeps its value from frame to frame.
 */
final class ModelInput implements AutoCloseable {
    final float[] rgb;
    private final int width;
    private final int plane;
    private final float lo;
    private final float span;
    private final boolean bgr;
    private final boolean nchw;
    /** Null when the model takes [0,1] RGB interleaved as it is. */
    private final float[] converted;
    private final TFloat32 tensor;
    private final FloatDataBuffer data;
    /** {@link #rgb} mirrored left to right; allocated by the first {@link #commitMirrored}. */
    private float[] mirrored;

    ModelInput(ModelDescriptor d, int width, int height) {
        this.width = width;
        this.plane = width * height;
        this.rgb = new float[plane * 3];
        this.lo = d.rangeMin();
        this.span = d.rangeMax() - d.rangeMin();
        this.bgr = d.bgr();
        this.nchw = d.nchw();
        boolean asIs = lo == 0 && span == 1 && !bgr && !nchw;
        this.converted = asIs ? null : new float[rgb.length];
        this.tensor = nchw ? TFloat32.tensorOf(Shape.of(1, 3, height, width))
                : TFloat32.tensorOf(Shape.of(1, height, width, 3));
        this.data = tensor.asRawTensor().data().asFloats();
    }

    /** Writes {@link #rgb}, converted, into the tensor and returns it; the tensor stays owned by this input. */
    TFloat32 commit() {
        return commit(rgb);
    }

    /** {@link #commit} of {@link #rgb} mirrored left to right; {@link #rgb} itself is left as it is. */
    TFloat32 commitMirrored() {
        if (mirrored == null) {
            mirrored = new float[rgb.length];
        }
        for (int row = 0; row < plane; row += width) {
            for (int x = 0; x < width; x++) {
                System.arraycopy(rgb, (row + x) * 3, mirrored, (row + width - 1 - x) * 3, 3);
            }
        }
        return commit(mirrored);
    }

    private TFloat32 commit(float[] source) {
        if (converted == null) {
            data.write(source);
            return tensor;
        }
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float v = source[p * 3 + (bgr ? 2 - c : c)];
                converted[nchw ? c * plane + p : p * 3 + c] = lo + v * span;
            }
        }
        data.write(converted);
        return tensor;
    }

    @Override
    public void close() {
        tensor.close();
    }
}
