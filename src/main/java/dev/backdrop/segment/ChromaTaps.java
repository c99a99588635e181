package dev.backdrop.segment;

/**
 * Where along one axis each output pixel of a bilinear resize reads a half-size chroma plane, so that
 * the result is what the RGBA path gives: swscale's YUV to RGB repeats each chroma sample over its 2x2
 * luma pixels, and OpenCV's INTER_LINEAR resize then samples that at (i + 0.5) * scale - 0.5. Plain
 * bilinear on the half-size plane blends neighbours where the repeat does not, which moved the 99th
 * percentile of the model input 15 to 27 levels away from RGBA's at the sample clip's colour edges.
 */
final class ChromaTaps {
    private ChromaTaps() {
    }

    /**
     * Per output pixel, for a frame frameSize (luma) pixels long resized to outSize: the position on the
     * chroma plane where a bilinear read gives the repeat-then-resize value. The two luma pixels the resize
     * reads fall in one chroma sample (a whole position) or in two neighbours (between them, at its weight).
     */
    static float[] positions(int frameSize, int outSize) {
        float[] at = new float[outSize];
        double scale = (double) frameSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double x = (i + 0.5) * scale - 0.5;
            int left = (int) Math.floor(x);
            float f = (float) (x - left);
            if (left < 0) {
                left = 0;
                f = 0;
            }
            if (left >= frameSize - 1) {
                left = frameSize - 1;
                f = 0;
            }
            int lo = left / 2;
            int hi = Math.min(left + 1, frameSize - 1) / 2;
            at[i] = lo + (hi - lo) * f;
        }
        return at;
    }
}
