package dev.backdrop.compose;

import java.nio.file.Path;

/** The refined mask at frame size on its own, the guided filter applied to the frame (mask_upsample.frag). */
final class MaskUpsamplePass implements AutoCloseable {
    private final ShaderProgram program;

    MaskUpsamplePass(Path shaderDir) {
        program = new ShaderProgram(shaderDir, "mask_upsample.frag");
        program.sampler("frame", 0);
        program.sampler("coefficients", 1);
        program.sampler("shaped", 2);
    }

    /** coefficients: the guided filter's, from {@link GuidedFilterPass}; shaped: the mask it filtered. */
    void run(Texture frame, Texture coefficients, Texture shaped, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        frame.bind(0);
        coefficients.bind(1);
        shaped.bind(2);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
