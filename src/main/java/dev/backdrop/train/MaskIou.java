package dev.backdrop.train;

/** Mean intersection-over-union of predicted and true masks, each thresholded at 0.5. */
final class MaskIou {
    private MaskIou() {
    }

    /** Mean over n masks of {@code pixels} values each; a mask empty in both counts as a perfect 1. */
    static double mean(float[] predicted, float[] truth, int n, int pixels) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long inter = 0;
            long union = 0;
            for (int p = i * pixels, end = p + pixels; p < end; p++) {
                boolean a = predicted[p] > 0.5f;
                boolean b = truth[p] > 0.5f;
                inter += a && b ? 1 : 0;
                union += a || b ? 1 : 0;
            }
            sum += union == 0 ? 1 : (double) inter / union;
        }
        return sum / n;
    }
}
