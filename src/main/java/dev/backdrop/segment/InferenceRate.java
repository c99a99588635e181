package dev.backdrop.segment;

import java.nio.FloatBuffer;
import java.util.function.Consumer;

/**
 * Runs the model on one frame in every N of a sequence; the frames between get the last mask
 * again, which the compositor's temporal pass then treats like any other. Saves (N-1)/N of the
 * inference at the cost of masks up to N-1 frames old (BENCHMARKS.md, "Inference rate").
 */
public final class InferenceRate {

    private final int every;
    private long frame;
    /** A copy of the last mask predicted, allocated once per mask size; none when every frame runs. */
    private FloatBuffer last;

    /** every: 1 runs the model on every frame. */
    public InferenceRate(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, got " + every);
        }
        this.every = every;
    }

    /**
     * Fills mask for the next frame of the sequence: by running predict on it, or with the last mask
     * predicted. Returns whether the model ran.
     */
    public boolean next(FloatBuffer mask, Consumer<FloatBuffer> predict) {
        int n = mask.capacity();
        boolean run = every == 1 || frame % every == 0 || last == null || last.capacity() != n;
        frame++;
        if (run) {
            predict.accept(mask);
            if (every > 1) {
                if (last == null || last.capacity() != n) {
                    last = FloatBuffer.allocate(n);
                }
                last.put(0, mask, 0, n);
            }
        } else {
            mask.put(0, last, 0, n);
        }
        return run;
    }

    /** The next frame starts a new sequence: the model runs on it. */
    public void restart() {
        frame = 0;
    }
}
