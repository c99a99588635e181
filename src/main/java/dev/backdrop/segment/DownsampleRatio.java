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
    /** The encoder's longer side for {@link #auto}. */
    private final int encoderSide;
    private TFloat32 tensor;
    private float value = Float.NaN;

    /** @param input the graph's ratio input, or null when the model has none */
    DownsampleRatio(String input, double chosen, int encoderSide) {
        this.input = input;
        this.chosen = chosen;
        this.encoderSide = encoderSide;
    }

    /**
     * RVM's downsample ratio for an input that puts the encoder's longer side at encoderSide pixels (all of
     * the input when that is smaller): with 320, 0.25 at 1280x720 and 1 at 320x180.
     */
    static double auto(int width, int height, int encoderSide) {
        double r = (double) encoderSide / Math.max(width, height);
        return Math.round(Math.max(0.05, Math.min(1.0, r)) * 1000) / 1000.0;
    }

    boolean present() {
        return input != null;
    }

    /** "0.25", or "auto (encoder 320 px)" when chosen per input size. */
    String describe() {
        return chosen > 0 ? String.valueOf(chosen) : "auto (encoder " + encoderSide + " px)";
    }

    void feed(Session.Runner runner, int frameW, int frameH) {
        if (input == null) {
            return;
        }
        float ratio = (float) (chosen > 0 ? chosen : auto(frameW, frameH, encoderSide));
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
