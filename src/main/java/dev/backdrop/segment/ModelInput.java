package dev.backdrop.segment;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * The image input tensor for one input size. Callers write RGB in [0,1], pixels interleaved, into
 * {@link #rgb}; {@link #commit} converts it, in place, to the range, colour order and layout model.yaml
 * declares.
 */
final class ModelInput implements AutoCloseable {
    final float[] rgb;
    private final int plane;
    private final float lo;
    private final float span;
    private final boolean bgr;
    private final boolean nchw;
    private final float[] scratch;
    private final TFloat32 tensor;
    private final FloatDataBuffer data;

    ModelInput(ModelDescriptor d, int width, int height) {
        this.plane = width * height;
        this.rgb = new float[plane * 3];
        this.lo = d.rangeMin();
        this.span = d.rangeMax() - d.rangeMin();
        this.bgr = d.bgr();
        this.nchw = d.nchw();
        this.scratch = nchw ? new float[rgb.length] : null;
        this.tensor = nchw ? TFloat32.tensorOf(Shape.of(1, 3, height, width))
                : TFloat32.tensorOf(Shape.of(1, height, width, 3));
        this.data = tensor.asRawTensor().data().asFloats();
    }

    /** Writes {@link #rgb}, converted, into the tensor and returns it; the tensor stays owned by this input. */
    TFloat32 commit() {
        float[] a = rgb;
        if (lo != 0 || span != 1) {
            for (int i = 0; i < a.length; i++) {
                a[i] = lo + a[i] * span;
            }
        }
        if (bgr) {
            for (int i = 0; i < a.length; i += 3) {
                float r = a[i];
                a[i] = a[i + 2];
                a[i + 2] = r;
            }
        }
        if (nchw) {
            for (int p = 0; p < plane; p++) {
                scratch[p] = a[p * 3];
                scratch[plane + p] = a[p * 3 + 1];
                scratch[2 * plane + p] = a[p * 3 + 2];
            }
            System.arraycopy(scratch, 0, a, 0, a.length);
        }
        data.write(a);
        return tensor;
    }

    @Override
    public void close() {
        tensor.close();
    }
}
