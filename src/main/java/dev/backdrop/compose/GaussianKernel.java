package dev.backdrop.compose;

/**
 * Normalised 1-D Gaussian weights for gaussian_blur.frag, with neighbouring texel pairs merged into
 * single bilinear taps. Radius is 3 sigma (under 0.3% of the weight left out), capped by
 * {@link #MAX_TAPS}; the weights are renormalised over what is kept, so flat areas stay exact.
 */
final class GaussianKernel {
    /** Must equal MAX_TAPS in gaussian_blur.frag. */
    static final int MAX_TAPS = 64;

    final float centreWeight;
    /** Distance of each tap from the centre, in texels; used for both sides. */
    final float[] offsets = new float[MAX_TAPS];
    final float[] weights = new float[MAX_TAPS];
    final int taps;
    final int radius;

    GaussianKernel(float sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        radius = Math.min(2 * MAX_TAPS, Math.max(1, (int) Math.ceil(3 * sigma)));
        double[] discrete = new double[radius + 2]; // one spare zero so pairs never run off the end
        double total = 0;
        for (int i = 0; i <= radius; i++) {
            discrete[i] = Math.exp(-(double) i * i / (2.0 * sigma * sigma));
            total += i == 0 ? discrete[i] : 2 * discrete[i];
        }
        centreWeight = (float) (discrete[0] / total);
        int n = 0;
        for (int i = 1; i <= radius; i += 2) {
            double pair = discrete[i] + discrete[i + 1];
            // Sampling at i + t with bilinear filtering gives texel i weight (1 - t) and texel i+1 weight t.
            offsets[n] = (float) (i + discrete[i + 1] / pair);
            weights[n] = (float) (pair / total);
            n++;
        }
        taps = n;
    }
}
