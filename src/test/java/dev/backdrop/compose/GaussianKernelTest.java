package dev.backdrop.compose;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class GaussianKernelTest {
    /** Spreads each bilinear tap back over its two texels, as GL_LINEAR sampling does. */
    private static double[] perTexel(GaussianKernel k) {
        double[] w = new double[k.radius + 2];
        w[0] = k.centreWeight;
        for (int i = 0; i < k.taps; i++) {
            int left = (int) Math.floor(k.offsets[i]);
            double t = k.offsets[i] - left;
            w[left] += k.weights[i] * (1 - t);
            w[left + 1] += k.weights[i] * t;
        }
        return w;
    }

    @Test
    void mergedTapsReproduceTheNormalisedDiscreteGaussian() {
        for (float sigma : new float[] {0.4f, 1f, 3f, 7.5f}) {
            GaussianKernel k = new GaussianKernel(sigma);
            assertEquals((int) Math.ceil(3 * sigma), k.radius);
            double[] w = perTexel(k);
            double norm = 0;
            for (int i = -k.radius; i <= k.radius; i++) {
                norm += Math.exp(-i * i / (2.0 * sigma * sigma));
            }
            double sum = w[0];
            for (int i = 0; i <= k.radius; i++) {
                assertEquals(Math.exp(-i * i / (2.0 * sigma * sigma)) / norm, w[i], 1e-6, "sigma " + sigma + " texel " + i);
                if (i > 0) {
                    sum += 2 * w[i];
                }
            }
            assertEquals(1.0, sum, 1e-5);
            assertEquals(0.0, w[k.radius + 1], 1e-9);
        }
    }

    @Test
    void hugeSigmaIsCappedAndStillNormalised() {
        GaussianKernel k = new GaussianKernel(500f);
        assertEquals(GaussianKernel.MAX_TAPS, k.taps);
        double sum = k.centreWeight;
        for (int i = 0; i < k.taps; i++) {
            sum += 2 * k.weights[i];
        }
        assertEquals(1.0, sum, 1e-5);
    }
}
