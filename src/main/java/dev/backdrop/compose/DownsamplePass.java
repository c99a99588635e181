package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/**
 * A texture box-filtered to a smaller target with bilinear taps spread over each target texel's
 * footprint (their count compiled in): the frame to the blur's size, weighted by background-ness
 * (background_downsample.frag), or a large model mask to the size the mask passes run at
 * (mask_downsample.frag).
 */
final class DownsamplePass implements AutoCloseable {
    private final ShaderProgram program;
    private final int sourceTexel;
    private final int footprint;

    /** The taps follow from the source size and the target's. */
    DownsamplePass(Path shaderDir, String shader, int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
        float footprintX = (float) sourceWidth / targetWidth;
        float footprintY = (float) sourceHeight / targetHeight;
        program = new ShaderProgram(shaderDir, shader,
                "#define TAPS_X " + Math.max(1, (int) Math.ceil(footprintX / 2)) + "\n"
                + "#define TAPS_Y " + Math.max(1, (int) Math.ceil(footprintY / 2)) + "\n");
        program.sampler("source", 0);
        program.optionalSampler("mask", 1);
        sourceTexel = program.optionalUniform("sourceTexel");
        footprint = program.optionalUniform("footprint");
    }

    /** shapedMask: the weights for background_downsample.frag (alpha); null for a shader that takes none. */
    void run(Texture source, Texture shapedMask, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        float footprintX = (float) source.width / target.width();
        float footprintY = (float) source.height / target.height();
        glUniform2f(sourceTexel, 1f / source.width, 1f / source.height);
        glUniform2f(footprint, footprintX, footprintY);
        source.bind(0);
        if (shapedMask != null) {
            shapedMask.bind(1);
        }
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
