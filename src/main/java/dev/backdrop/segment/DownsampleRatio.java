package dev.backdrop.segment;

import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The scalar downsample_ratio input of a model that has one (RVM): the options' ratio, or one chosen from the
 * frame size. The scalar tensor is kept until the ratio changes. Feeds nothing for models without the input.
 */
final class DownsampleRatio implements AutoCloseable {
    private final String input;
    /** From the options; 0 = {@link #auto}. */
    private final double chosen;
    private TFloat32 tensor;
    private float value = Float.NaN;

    /** @param input the graph's ratio input, or null when the model has none */
    DownsampleRatio(String input, double chosen) {
        this.input = input;
        this.chosen = chosen;
    }

    /**
     * The longer side the encoder runs at when the ratio is automatic. Measured on moving clips with truth
     * (BENCHMARKS.md): IoU rises with the encoder's size (256: 0.959, 320: 0.966, 384: 0.971, 640: 0.985) and
     * so does its time (40, 54, 73, 240 ms); 320 keeps the IoU RVM had at 720p with its old ratio.
     */
    static final int ENCODER_SIDE = 320;

    /** RVM's downsample ratio for an input: the encoder at {@link #ENCODER_SIDE}, 0.25 at 1280x720, 1 at 320x180. */
    static double auto(int width, int height) {
        double r = (double) ENCODER_SIDE / Math.max(width, height);
        return Math.round(Math.max(0.05, Math.min(1.0, r)) * 1000) / 1000.0;
    }

    boolean present() {
        return input != null;
    }

    /** "0.25", or "auto" when chosen per frame size. */
    String describe() {
        return chosen > 0 ? String.valueOf(chosen) : "auto";
    }

    void feed(Session.Runner runner, int frameW, int frameH) {
        if (input == null) {
            return;
        }
        float ratio = (float) (chosen > 0 ? chosen : auto(frameW, frameH));
        if (ratio != value) {
            if (tensor != null) {
                tensor.close();
            }
            tensor = TFloat32.scalarOf(ratio);
            value = ratio;
        }
        runner.feed(input, tensor);
    }

    @Override
    public void close() {
        if (tensor != null) {
            tensor.close();
            tensor = null;
        }
    }
}
