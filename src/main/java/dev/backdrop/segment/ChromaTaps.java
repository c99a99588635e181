package dev.backdrop.segment;

/**
 * Where along one axis each output pixel of a bilinear resize reads a half-size chroma plane, so that
 * the result is what the RGBA path gives: swscale's YUV to RGB repeats each chroma sample over its 2x2
 * luma pixels, and OpenCV's INTER_LINEAR resize then samples that at (i + 0.5) * scale - 0.5. Plain
 * bilinear on the half-size plane blends neighbours where the repeat does not, which moved the 99th
 * percentile of the model input 15 to 27 levels away from RGBA's at the sample clip's colour edges.
 */
final class ChromaTaps {
    /** Per output pixel: the two chroma samples and the weight of the second. */
    final int[] lo;
    final int[] hi;
    final float[] weight;
    private int fittedTo;

    ChromaTaps(int outSize) {
        lo = new int[outSize];
        hi = new int[outSize];
        weight = new float[outSize];
    }

    /** Sets the taps for a frame this many (luma) pixels long; nothing to do when it is the last size. */
    void fit(int frameSize) {
        if (frameSize == fittedTo) {
            return;
        }
        int out = lo.length;
        double scale = (double) frameSize / out;
        for (int i = 0; i < out; i++) {
            double at = (i + 0.5) * scale - 0.5;
            int left = (int) Math.floor(at);
            float f = (float) (at - left);
            if (left < 0) {
                left = 0;
                f = 0;
            }
            if (left >= frameSize - 1) {
                left = frameSize - 1;
                f = 0;
            }
            lo[i] = left / 2;
            hi[i] = Math.min(left + 1, frameSize - 1) / 2;
            weight[i] = f;
        }
        fittedTo = frameSize;
    }

    /** Output pixel i's taps as one position on the chroma plane: where a bilinear read of it gives the same. */
    float position(int i) {
        return lo[i] + (hi[i] - lo[i]) * weight[i];
    }
}
