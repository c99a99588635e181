package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Pass 2: the frame box-filtered down to the blur resolution (downsample.frag). */
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
        // Each bilinear fetch averages up to 2x2 texels, so half the footprint in fetches covers it.
        glUniform2i(taps, Math.max(1, (int) Math.ceil(footprintX / 2)), Math.max(1, (int) Math.ceil(footprintY / 2)));
        source.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
