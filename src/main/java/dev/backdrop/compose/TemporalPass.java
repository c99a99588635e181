package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Temporal smoothing of the mask at mask size, motion-aware (mask_temporal.frag). */
final class TemporalPass implements AutoCloseable {
    private final ShaderProgram program;
    private final int reset;

    TemporalPass(Path shaderDir, float stillWeight, float motionThreshold) {
        program = new ShaderProgram(shaderDir, "mask_temporal.frag");
        program.sampler("mask", 0);
        program.sampler("guide", 1);
        program.sampler("previous", 2);
        glUniform1f(program.uniform("stillWeight"), stillWeight);
        glUniform1f(program.uniform("motionThreshold"), motionThreshold);
        reset = program.uniform("reset");
    }

    void run(Texture mask, Texture guide, Texture previous, boolean startOver, RenderTarget target,
             FullscreenTriangle triangle) {
        target.bind();
        program.use();
        glUniform1i(reset, startOver ? 1 : 0);
        mask.bind(0);
        guide.bind(1);
        previous.bind(2);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
