package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Soft threshold and directed feather of the mask at mask size (mask_edge.frag). */
final class EdgePass implements AutoCloseable {
    /** Must equal MAX_RADIUS in mask_edge.frag. */
    static final int MAX_RADIUS = 8;

    private final ShaderProgram program;

    /** featherSigma in mask texels. */
    EdgePass(Path shaderDir, float low, float high, float featherSigma, ComposeSettings.FeatherDirection direction) {
        program = new ShaderProgram(shaderDir, "mask_edge.frag");
        program.sampler("state", 0);
        glUniform1f(program.uniform("low"), low);
        glUniform1f(program.uniform("high"), high);
        int radius = radius(featherSigma);
        glUniform1i(program.uniform("featherRadius"), radius);
        if (radius > 0) {
            double q = Math.exp(-1.0 / (2.0 * featherSigma * featherSigma));
            double total = 0;
            for (int i = -radius; i <= radius; i++) {
                total += Math.pow(q, (double) i * i);
            }
            glUniform1f(program.uniform("firstWeight"), (float) Math.pow(q, (double) radius * radius));
            glUniform1f(program.uniform("firstStep"), (float) Math.pow(q, 1.0 - 2.0 * radius));
            glUniform1f(program.uniform("stepStep"), (float) (q * q));
            glUniform1f(program.uniform("invTotal"), (float) (1.0 / (total * total)));
        }
        glUniform1i(program.uniform("direction"), direction.ordinal());
    }

    /**
     * ceil(1.5 sigma), capped; 0 when the feather is too small to matter (under 0.1 texel). The pass
     * is fetch-bound ((2r+1)^2 fetches a texel), so the kernel is cut at 1.5 sigma and renormalised.
     */
    static int radius(float featherSigma) {
        return featherSigma < 0.1f ? 0 : Math.min(MAX_RADIUS, (int) Math.ceil(1.5 * featherSigma));
    }

    void run(Texture state, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        state.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
