package dev.backdrop.compose;

import dev.backdrop.config.Guide;
import java.nio.file.Path;

/** The shaped mask upsampled to frame size, guided by the frame: a joint bilateral filter (mask_upsample.frag). */
final class MaskUpsamplePass implements AutoCloseable {
    private final ShaderProgram program;

    MaskUpsamplePass(Path shaderDir, Guide guide) {
        program = new ShaderProgram(shaderDir, "mask_upsample.frag");
        program.sampler("frame", 0);
        program.sampler("shaped", 1);
        GuidedMask.setSigmas(program, guide);
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
