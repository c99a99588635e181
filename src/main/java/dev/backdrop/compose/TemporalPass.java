package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import dev.backdrop.config.Edge;
import dev.backdrop.config.Temporal;
import java.nio.file.Path;

/**
 * Guide colours, motion-aware temporal smoothing and the soft threshold, at mask size, in one pass
 * (mask_temporal.frag). Writes two targets: the state (rgb guide, a smoothed mask) and the
 * thresholded mask that {@link EdgePass} feathers.
 */
final class TemporalPass implements AutoCloseable {
    private final ShaderProgram program;
    private final int reset;
    private final int frameTexel;
    private final int footprint;

    private final float footprintX;
    private final float footprintY;

    /** Frame and mask sizes fix the guide's taps, which are compiled in; edge gives the soft threshold. */
    TemporalPass(Path shaderDir, int frameWidth, int frameHeight, int maskWidth, int maskHeight, Temporal temporal,
                 Edge edge) {
        footprintX = (float) frameWidth / maskWidth;
        footprintY = (float) frameHeight / maskHeight;
        // The guide only needs a fair mean colour: a bilinear fetch per 4x4 frame pixels.
        program = new ShaderProgram(shaderDir, "mask_temporal.frag",
                "#define TAPS_X " + Math.max(1, Math.round(footprintX / 4)) + "\n"
                + "#define TAPS_Y " + Math.max(1, Math.round(footprintY / 4)) + "\n");
        program.sampler("mask", 0);
        program.sampler("frame", 1);
        program.sampler("previous", 2);
        glUniform1f(program.uniform("stillWeight"), temporal.weight());
        glUniform1f(program.uniform("motionThreshold"), temporal.motionThreshold());
        glUniform1f(program.uniform("low"), edge.low());
        glUniform1f(program.uniform("high"), edge.high());
        reset = program.uniform("reset");
        frameTexel = program.optionalUniform("frameTexel");
        footprint = program.optionalUniform("footprint");
    }

    /** target: the state (attachment 0) with the thresholded mask as attachment 1 (see {@link RenderTarget#withSecond}). */
    void run(Texture mask, Texture frame, Texture previous, boolean startOver, RenderTarget target,
             FullscreenTriangle triangle) {
        target.bind();
        program.use();
        glUniform1i(reset, startOver ? 1 : 0);
        glUniform2f(frameTexel, 1f / frame.width, 1f / frame.height);
        glUniform2f(footprint, footprintX, footprintY);
        mask.bind(0);
        frame.bind(1);
        previous.bind(2);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
