package dev.backdrop.bench;

import dev.backdrop.segment.SegmentationModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The network alone: predict() on one frame size again and again (preprocessing included, as the pipeline
 * runs it), after a warm-up. How models are compared for speed, e.g. on one thread.
 */
public final class InferenceTiming {

    /** Milliseconds per predict(): mean and median over the timed runs. */
    public record Result(double meanMs, double medianMs, int runs) {
    }

    private InferenceTiming() {
    }

    public static Result measure(SegmentationModel model, int width, int height, int runs) {
        ByteBuffer bgr = ByteBuffer.allocateDirect(width * height * 3);
        for (int i = 0; i < bgr.capacity(); i++) {
            bgr.put(i, (byte) (i * 31));
        }
        FloatBuffer mask = ByteBuffer.allocateDirect(model.maskWidth(width, height) * model.maskHeight(width, height) * 4)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < Math.max(5, runs / 10); i++) {
            model.predict(bgr, width, height, width * 3, mask);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            model.predict(bgr, width, height, width * 3, mask);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElse(0);
        Arrays.sort(ms);
        return new Result(mean, ms[runs / 2], runs);
    }
}
