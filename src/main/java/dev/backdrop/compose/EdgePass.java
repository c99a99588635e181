package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import dev.backdrop.config.Edge;
import java.nio.file.Path;

/** Directed feather of the soft-thresholded mask at mask size, with bilinear taps (mask_edge.frag). */
final class EdgePass implements AutoCloseable {
    static final int MAX_RADIUS = 8;
    /** Must equal MAX_TAPS in mask_edge.frag. */
    static final int MAX_TAPS = MAX_RADIUS + 1;

    private final ShaderProgram program;

    /** featherSigma in mask texels. */
    EdgePass(Path shaderDir, float featherSigma, Edge.FeatherDirection direction) {
        float[][] kernel = taps(featherSigma);
        program = new ShaderProgram(shaderDir, "mask_edge.frag", "#define TAPS " + kernel[0].length + "\n");
        program.sampler("state", 0);
        program.sampler("thresholded", 1);
        if (kernel[0].length > 0) {
            glUniform1fv(program.uniform("offsets"), kernel[0]);
            glUniform1fv(program.uniform("weights"), kernel[1]);
        }
        glUniform1i(program.optionalUniform("direction"), direction.ordinal()); // dropped when TAPS is 0
    }

    /**
     * ceil(1.5 sigma), capped; 0 when the feather is too small to matter (under 0.1 texel). The kernel
     * is cut at 1.5 sigma and renormalised.
     */
    static int radius(float featherSigma) {
        return featherSigma < 0.1f ? 0 : Math.min(MAX_RADIUS, (int) Math.ceil(1.5 * featherSigma));
    }

    /**
     * The 1-D kernel over texels -r..r as r+1 bilinear taps: {offsets, weights}. Neighbouring texels
     * are merged into one tap placed where bilinear filtering weighs them as the Gaussian does; for
     * an odd radius the centre texel is split in half between the two taps beside it. Empty for no feather.
     */
    static float[][] taps(float featherSigma) {
        int radius = radius(featherSigma);
        if (radius == 0) {
            return new float[][] {new float[0], new float[0]};
        }
        double[] g = GaussianKernel.texelWeights(featherSigma, radius); // texel i at g[i + radius]
        float[] offsets = new float[radius + 1];
        float[] weights = new float[radius + 1];
        int n = 0;
        // Pairs of (texel a with weight wa, texel a + 1 with weight wb), left to right.
        java.util.List<double[]> pairs = new java.util.ArrayList<>();
        if (radius % 2 == 0) {
            for (int a = -radius; a < 0; a += 2) {
                pairs.add(new double[] {a, g[a + radius], g[a + 1 + radius]});
            }
            pairs.add(new double[] {0, g[radius], 0});
            for (int a = 1; a < radius; a += 2) {
                pairs.add(new double[] {a, g[a + radius], g[a + 1 + radius]});
            }
        } else {
            for (int a = -radius; a < -1; a += 2) {
                pairs.add(new double[] {a, g[a + radius], g[a + 1 + radius]});
            }
            pairs.add(new double[] {-1, g[radius - 1], g[radius] / 2});
            pairs.add(new double[] {0, g[radius] / 2, g[radius + 1]});
            for (int a = 2; a < radius; a += 2) {
                pairs.add(new double[] {a, g[a + radius], g[a + 1 + radius]});
            }
        }
        for (double[] pair : pairs) {
            double w = pair[1] + pair[2];
            offsets[n] = (float) (pair[0] + pair[2] / w);
            weights[n] = (float) w;
            n++;
        }
        if (n != radius + 1) {
            throw new IllegalStateException("feather kernel of radius " + radius + " has " + n + " taps");
        }
        return new float[][] {offsets, weights};
    }

    void run(Texture state, Texture thresholded, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        state.bind(0);
        thresholded.bind(1);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
