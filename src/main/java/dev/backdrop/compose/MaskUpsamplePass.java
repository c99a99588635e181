package dev.backdrop.compose;

import java.nio.file.Path;

/** The shaped mask upsampled to frame size, guided by the frame: a joint bilateral filter (mask_upsample.frag). */
final class MaskUpsamplePass implements AutoCloseable {
    private final ShaderProgram program;

    /** sigmaSpace in mask texels, sigmaColour in 0..1 colour units. */
    MaskUpsamplePass(Path shaderDir, float sigmaSpace, float sigmaColour) {
        program = new ShaderProgram(shaderDir, "mask_upsample.frag");
        program.sampler("frame", 0);
        program.sampler("shaped", 1);
        GuidedMask.setSigmas(program, sigmaSpace, sigmaColour);
    }

    void run(Texture frame, Texture shaped, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        frame.bind(0);
        shaped.bind(1);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
