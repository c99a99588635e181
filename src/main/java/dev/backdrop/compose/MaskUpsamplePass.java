package dev.backdrop.compose;

import java.nio.file.Path;

/** Pass 1: the low-resolution person mask stretched to frame size (mask_upsample.frag). */
final class MaskUpsamplePass implements AutoCloseable {
    private final ShaderProgram program;

    MaskUpsamplePass(Path shaderDir) {
        program = new ShaderProgram(shaderDir, "mask_upsample.frag");
        program.sampler("mask", 0);
    }

    void run(Texture mask, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        mask.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
