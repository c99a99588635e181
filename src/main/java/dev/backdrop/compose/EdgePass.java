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
        glUniform1f(program.uniform("featherSigma"), Math.max(featherSigma, 1e-3f));
        glUniform1i(program.uniform("featherRadius"), radius(featherSigma));
        glUniform1i(program.uniform("direction"), direction.ordinal());
    }

    /** ceil(2 sigma), capped; 0 when the feather is too small to matter (under 0.1 texel). */
    static int radius(float featherSigma) {
        return featherSigma < 0.1f ? 0 : Math.min(MAX_RADIUS, (int) Math.ceil(2 * featherSigma));
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
