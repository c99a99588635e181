package dev.backdrop.segment;

/**
 * Test-time mirroring: the model also runs on the input mirrored left to right, and the mirrored mask,
 * flipped back, is averaged with the plain one. A person is symmetric enough that the two runs err in
 * different places, so the mean is steadier at edges; it costs a second inference per frame. A recurrent
 * model keeps a separate state for the mirrored stream (its own {@link ModelRunner}).
 */
final class MirrorAverage implements AutoCloseable {
    private final ModelRunner runner;

    MirrorAverage(ModelRunner runner) {
        this.runner = runner;
    }

    /** {@code mask}, the plain run's inW*inH mask of {@code input}, becomes the mean of both runs. */
    void average(float[] mask, FittedInput input) {
        int w = input.fit.inW;
        float[] flipped = runner.run(input.mirrored(), input.fit);
        for (int row = 0; row < input.fit.inH * w; row += w) {
            for (int x = 0; x < w; x++) {
                mask[row + x] = 0.5f * (mask[row + x] + flipped[row + w - 1 - x]);
            }
        }
    }

    void resetState() {
        runner.resetState();
    }

    @Override
    public void close() {
        runner.close();
    }
}
