package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;

/**
 * Says whether a frame is still close enough to the one the model last ran on for its mask to be
 * reused, from a coarse grid of the frame's green channel (32x18 cells, each the mean of 4x4
 * samples): the mean change over the grid, and the largest change of any one cell, in grey levels.
 * The mean alone misses motion in a small part of the picture (hands juggling at the side of a
 * still body changed 54 of 247 frames by less than 1 level on average); the largest cell catches it,
 * while a talking head's mouth and eyes mostly stay under it. About 9,000 bytes read per frame,
 * whatever its size. In an I420 frame the Y plane stands in for green: luma is mostly green (0.59 of
 * it), and it lies first in the buffer with one byte a pixel, so the same samples cost no
 * conversion. Being limited range (16..235), a grey change reads 0.86 times as large in it.
 */
public final class MotionGate {

    static final int COLUMNS = 32;
    static final int ROWS = 18;
    private static final int SAMPLES = 4;

    private final double stillBelow;
    private final double cellBelow;
    private int[] current = new int[COLUMNS * ROWS];
    private int[] reference = new int[COLUMNS * ROWS];
    private boolean hasReference;

    /** stillBelow: as {@link #MotionGate(double, double)}, with no limit on any one cell. */
    public MotionGate(double stillBelow) {
        this(stillBelow, 255);
    }

    /**
     * stillBelow: a frame whose mean change is under this many grey levels (0..255) is still; 0 =
     * every frame is. cellBelow: and only when no cell changed by this many or more (1..255).
     */
    public MotionGate(double stillBelow, double cellBelow) {
        if (!(stillBelow >= 0 && stillBelow <= 255)) {
            throw new IllegalArgumentException("stillBelow must be 0..255, got " + stillBelow);
        }
        if (!(cellBelow >= 1 && cellBelow <= 255)) {
            throw new IllegalArgumentException("cellBelow must be 1..255, got " + cellBelow);
        }
        this.stillBelow = stillBelow;
        this.cellBelow = cellBelow;
    }

    /** Whether the mask predicted for the frame last {@link #kept} may stand for this one. */
    public boolean still(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride) {
        if (stillBelow == 0) {
            return true;
        }
        sample(pixels, layout, width, height, stride);
        return hasReference && change() < stillBelow && largestCellChange() < cellBelow;
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

    /** The largest |current - reference| of any one cell, in grey levels. */
    double largestCellChange() {
        int largest = 0;
        for (int i = 0; i < current.length; i++) {
            largest = Math.max(largest, Math.abs(current[i] - reference[i]));
        }
        return largest / (double) (SAMPLES * SAMPLES);
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
