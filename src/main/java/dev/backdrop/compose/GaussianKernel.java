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
        double[] texels = texelWeights(sigma, radius);
        double[] discrete = new double[radius + 2]; // from the centre out, one spare zero so pairs never run off the end
        System.arraycopy(texels, radius, discrete, 0, radius + 1);
        centreWeight = (float) discrete[0];
        int n = 0;
        for (int i = 1; i <= radius; i += 2) {
            double pair = discrete[i] + discrete[i + 1];
            // Sampling at i + t with bilinear filtering gives texel i weight (1 - t) and texel i+1 weight t.
            offsets[n] = (float) (i + discrete[i + 1] / pair);
            weights[n] = (float) pair;
            n++;
        }
        taps = n;
    }

    /**
     * The Gaussian of this sigma over texels -radius..radius (index i + radius), normalised to sum to
     * 1 over them: what both the blur's and the feather's bilinear taps merge, and what the CPU
     * compositor filters with directly.
     */
    static double[] texelWeights(double sigma, int radius) {
        double[] w = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            w[i + radius] = Math.exp(-(double) i * i / (2.0 * sigma * sigma));
            total += w[i + radius];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= total;
        }
        return w;
    }

    /** {@link #texelWeights} as a 1 x (2 radius + 1) float Mat, OpenCV's form of a separable kernel. */
    static org.bytedeco.opencv.opencv_core.Mat texelKernel(double sigma, int radius) {
        double[] w = texelWeights(sigma, radius);
        org.bytedeco.opencv.opencv_core.Mat k = new org.bytedeco.opencv.opencv_core.Mat(1, w.length,
                org.bytedeco.opencv.global.opencv_core.CV_32F);
        java.nio.FloatBuffer values = k.createBuffer();
        for (int i = 0; i < w.length; i++) {
            values.put(i, (float) w[i]);
        }
        return k;
    }
}
