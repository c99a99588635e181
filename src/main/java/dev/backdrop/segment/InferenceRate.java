package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.function.Consumer;

/**
 * Which frames of a sequence the model runs on: at least one in every N, and, with a
 * {@link MotionGate}, every frame whose picture has moved since the last run. The frames between
 * get the last mask again, which the compositor's temporal pass then treats like any other. Saves
 * up to (N-1)/N of the inference at the cost of masks up to N-1 frames old (BENCHMARKS.md,
 * "Inference rate").
 */
public final class InferenceRate {

    private final int every;
    private final MotionGate gate;
    /** Frames that have used the last mask predicted, its own included; 0 at the start of a sequence. */
    private long framesOnLastMask;
    /** A copy of the last mask predicted, allocated once per mask size; none when every frame runs. */
    private FloatBuffer last;
    private boolean lastStill;

    /** every: 1 runs the model on every frame; more reuse a mask for up to every frames. */
    public InferenceRate(int every) {
        this(every, new MotionGate(0));
    }

    /** gate: a frame reuses the last mask only when the gate finds it still. */
    public InferenceRate(int every, MotionGate gate) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, got " + every);
        }
        this.every = every;
        this.gate = gate;
    }

    /**
     * Fills mask for the next frame of the sequence (pixels: the frame, as predict reads it): by
     * running predict on it, or with the last mask predicted. Returns whether the model ran.
     */
    public boolean next(FloatBuffer mask, ByteBuffer pixels, PixelLayout layout, int width, int height, int stride,
                        Consumer<FloatBuffer> predict) {
        int n = mask.capacity();
        // The gate samples every frame (once every > 1), so the reference it keeps is the frame the model ran on.
        boolean still = every > 1 && gate.still(pixels, layout, width, height, stride);
        boolean run = !still || framesOnLastMask == 0 || framesOnLastMask >= every || last == null
                || last.capacity() != n;
        framesOnLastMask = run ? 1 : framesOnLastMask + 1;
        lastStill = !run && gate.measures();
        if (run) {
            gate.kept();
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

    /**
     * Whether the last frame given to {@link #next} reused the mask because the gate found its picture
     * still since the frame the model last ran on (not by count alone, which knows nothing of the picture).
     */
    public boolean lastStill() {
        return lastStill;
    }

    /** The next frame starts a new sequence: the model runs on it. */
    public void restart() {
        framesOnLastMask = 0;
        gate.restart();
    }
}
