package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;

/**
 * Says whether a frame is still close enough to the one the model last ran on for its mask to be
 * reused: the mean change of a coarse grid of the frame's green channel (32x18 cells, each the mean
 * of 4x4 samples), in grey levels. About 9,000 bytes read per frame, whatever its size. In an I420
 * frame the Y plane stands in for green: luma is mostly green (0.59 of it), and it lies first in
 * the buffer with one byte a pixel, so the same samples cost no conversion. Being limited range (16..235),
 * a grey change reads 0.86 times as large in it.
 */
public final class MotionGate {

    static final int COLUMNS = 32;
    static final int ROWS = 18;
    private static final int SAMPLES = 4;

    private final double stillBelow;
    private int[] current = new int[COLUMNS * ROWS];
    private int[] reference = new int[COLUMNS * ROWS];
    private boolean hasReference;

    /** stillBelow: a frame whose change is under this many grey levels (0..255) is still; 0 = every frame is. */
    public MotionGate(double stillBelow) {
        if (!(stillBelow >= 0 && stillBelow <= 255)) {
            throw new IllegalArgumentException("stillBelow must be 0..255, got " + stillBelow);
        }
        this.stillBelow = stillBelow;
    }

    /** Whether the mask predicted for the frame last {@link #kept} may stand for this one. */
    public boolean still(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride) {
        if (stillBelow == 0) {
            return true;
        }
        sample(pixels, layout, width, height, stride);
        return hasReference && change() < stillBelow;
    }

    /** Whether {@link #still} compares pictures at all (with 0 it finds every frame still). */
    public boolean measures() {
        return stillBelow > 0;
    }

    /** The model ran on the frame last given to {@link #still}: later frames are compared with it. */
    public void kept() {
        int[] swap = reference;
        reference = current;
        current = swap;
        hasReference = stillBelow > 0;
    }

    /** Forgets the reference frame: the next frame is not still. */
    public void restart() {
        hasReference = false;
    }

    /** Mean |current - reference| over the grid, in grey levels. */
    double change() {
        long sum = 0;
        for (int i = 0; i < current.length; i++) {
            sum += Math.abs(current[i] - reference[i]);
        }
        return sum / (double) (current.length * SAMPLES * SAMPLES);
    }

    /** Fills current: per cell, the sum of the green channel (I420: luma) at 4x4 points spread over the cell. */
    void sample(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride) {
        int channels = layout.channels;
        int green = layout == PixelLayout.I420 ? 0 : 1; // offset 1 in RGBA and BGR; the Y plane's byte in I420
        for (int row = 0; row < ROWS; row++) {
            for (int col = 0; col < COLUMNS; col++) {
                int sum = 0;
                for (int sy = 0; sy < SAMPLES; sy++) {
                    int y = (int) (((row * SAMPLES + sy) * 2L + 1) * height / (2L * ROWS * SAMPLES));
                    for (int sx = 0; sx < SAMPLES; sx++) {
                        int x = (int) (((col * SAMPLES + sx) * 2L + 1) * width / (2L * COLUMNS * SAMPLES));
                        sum += pixels.get(y * stride + x * channels + green) & 0xff;
                    }
                }
                current[row * COLUMNS + col] = sum;
            }
        }
    }
}
