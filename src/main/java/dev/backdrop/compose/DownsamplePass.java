package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/**
 * The frame box-filtered down to mask size for the guide colours (downsample.frag). The guide only
 * needs a fair mean colour, so taps are spread a texel apart (a fetch per 4x4 pixels, not 2x2).
 */
final class DownsamplePass implements AutoCloseable {
    private final ShaderProgram program;
    private final int sourceTexel;
    private final int footprint;
    private final int taps;

    DownsamplePass(Path shaderDir) {
        program = new ShaderProgram(shaderDir, "downsample.frag");
        program.sampler("source", 0);
        sourceTexel = program.uniform("sourceTexel");
        footprint = program.uniform("footprint");
        taps = program.uniform("taps");
    }

    void run(Texture source, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        float footprintX = (float) source.width / target.width();
        float footprintY = (float) source.height / target.height();
        glUniform2f(sourceTexel, 1f / source.width, 1f / source.height);
        glUniform2f(footprint, footprintX, footprintY);
        glUniform2i(taps, Math.max(1, Math.round(footprintX / 4)), Math.max(1, Math.round(footprintY / 4)));
        source.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
