package dev.backdrop.eval;

/**
 * How close a predicted mask is to the truth. Masks are full-resolution, one byte per pixel
 * (0..255), rows packed ({@code width} bytes each). A pixel is "person" at 128 and above.
 */
public final class MaskMetrics {

    private MaskMetrics() {
    }

    /** Intersection over union of the person regions; 1 when both are empty. */
    public static double iou(byte[] predicted, byte[] truth) {
        checkSameSize(predicted, truth);
        long both = 0;
        long either = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean p = person(predicted[i]);
            boolean t = person(truth[i]);
            both += p && t ? 1 : 0;
            either += p || t ? 1 : 0;
        }
        return either == 0 ? 1 : (double) both / either;
    }

    /**
     * Boundary F-measure: how well the outline of the prediction lies on the outline of the truth.
     * A boundary pixel counts as matched when the other outline passes within {@code tolerance}
     * pixels (chessboard distance). Insensitive to the large easy interior that dominates IoU.
     */
    public static double boundaryF(byte[] predicted, byte[] truth, int width, int height, int tolerance) {
        checkSameSize(predicted, truth);
        boolean[] pb = boundary(predicted, width, height);
        boolean[] tb = boundary(truth, width, height);
        boolean[] pNear = dilate(pb, width, height, tolerance);
        boolean[] tNear = dilate(tb, width, height, tolerance);
        long pCount = 0;
        long pMatched = 0;
        long tCount = 0;
        long tMatched = 0;
        for (int i = 0; i < pb.length; i++) {
            if (pb[i]) {
                pCount++;
                pMatched += tNear[i] ? 1 : 0;
            }
            if (tb[i]) {
                tCount++;
                tMatched += pNear[i] ? 1 : 0;
            }
        }
        if (pCount == 0 && tCount == 0) {
            return 1;
        }
        double precision = pCount == 0 ? 0 : (double) pMatched / pCount;
        double recall = tCount == 0 ? 0 : (double) tMatched / tCount;
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /** The customary tolerance: 0.75% of the image diagonal, at least one pixel. */
    public static int boundaryTolerance(int width, int height) {
        return Math.max(1, (int) Math.round(0.0075 * Math.hypot(width, height)));
    }

    /** Mean absolute difference in alpha, 0..1: the measure for a soft matte. */
    public static double meanAbsoluteError(byte[] predicted, byte[] truth) {
        checkSameSize(predicted, truth);
        long sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum += Math.abs((predicted[i] & 0xff) - (truth[i] & 0xff));
        }
        return sum / 255.0 / truth.length;
    }

    /** True when the truth is a soft matte rather than a hard mask: over 1% of pixels strictly between 0 and 255. */
    public static boolean isMatte(byte[] truth) {
        long soft = 0;
        for (byte b : truth) {
            int v = b & 0xff;
            soft += v > 8 && v < 247 ? 1 : 0;
        }
        return soft > truth.length / 100;
    }

    /** Mean absolute change between two consecutive masks, 0..1: flicker. */
    public static double meanAbsoluteChange(byte[] previous, byte[] current) {
        return meanAbsoluteError(previous, current);
    }

    /**
     * Temporal error, 0..1: the mean over pixels of |(predicted change) - (true change)| between two consecutive
     * frames. Flicker counts every change; this counts only the changes the truth does not make, so a mask that
     * lags a moving person scores as badly as one that shimmers on a still one.
     */
    public static double temporalError(byte[] previousPredicted, byte[] predicted, byte[] previousTruth, byte[] truth) {
        checkSameSize(previousPredicted, predicted);
        checkSameSize(previousTruth, truth);
        checkSameSize(predicted, truth);
        long sum = 0;
        for (int i = 0; i < truth.length; i++) {
            int dp = (predicted[i] & 0xff) - (previousPredicted[i] & 0xff);
            int dt = (truth[i] & 0xff) - (previousTruth[i] & 0xff);
            sum += Math.abs(dp - dt);
        }
        return sum / 255.0 / truth.length;
    }

    private static boolean person(byte b) {
        return (b & 0xff) >= 128;
    }

    /** Person pixels with a 4-neighbour outside the person (or at the image border). */
    private static boolean[] boundary(byte[] mask, int width, int height) {
        boolean[] out = new boolean[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (!person(mask[i])) {
                    continue;
                }
                out[i] = (x > 0 && !person(mask[i - 1])) || (x < width - 1 && !person(mask[i + 1]))
                        || (y > 0 && !person(mask[i - width])) || (y < height - 1 && !person(mask[i + width]));
            }
        }
        return out;
    }

    /** Square dilation by r pixels, separable: rows then columns. */
    private static boolean[] dilate(boolean[] in, int width, int height, int r) {
        boolean[] rows = new boolean[in.length];
        for (int y = 0; y < height; y++) {
            int last = Integer.MIN_VALUE / 2;
            for (int x = 0; x < width; x++) {
                if (in[y * width + x]) {
                    last = x;
                }
                rows[y * width + x] = x - last <= r;
            }
            last = Integer.MAX_VALUE / 2;
            for (int x = width - 1; x >= 0; x--) {
                if (in[y * width + x]) {
                    last = x;
                }
                rows[y * width + x] |= last - x <= r;
            }
        }
        boolean[] out = new boolean[in.length];
        for (int x = 0; x < width; x++) {
            int last = Integer.MIN_VALUE / 2;
            for (int y = 0; y < height; y++) {
                if (rows[y * width + x]) {
                    last = y;
                }
                out[y * width + x] = y - last <= r;
            }
            last = Integer.MAX_VALUE / 2;
            for (int y = height - 1; y >= 0; y--) {
                if (rows[y * width + x]) {
                    last = y;
                }
                out[y * width + x] |= last - y <= r;
            }
        }
        return out;
    }

    private static void checkSameSize(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("masks differ in size: " + a.length + " vs " + b.length + " pixels");
        }
    }
}
