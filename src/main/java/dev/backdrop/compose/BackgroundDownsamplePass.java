package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** The frame box-filtered to the blur resolution, weighted by background-ness, premultiplied (background_downsample.frag). */
final class BackgroundDownsamplePass implements AutoCloseable {
    private final ShaderProgram program;
    private final int sourceTexel;
    private final int footprint;

    /** The taps (compiled in) follow from the frame size and the blur's reduced size. */
    BackgroundDownsamplePass(Path shaderDir, int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
        float footprintX = (float) sourceWidth / targetWidth;
        float footprintY = (float) sourceHeight / targetHeight;
        program = new ShaderProgram(shaderDir, "background_downsample.frag",
                "#define TAPS_X " + Math.max(1, (int) Math.ceil(footprintX / 2)) + "\n"
                + "#define TAPS_Y " + Math.max(1, (int) Math.ceil(footprintY / 2)) + "\n");
        program.sampler("source", 0);
        program.sampler("mask", 1);
        sourceTexel = program.optionalUniform("sourceTexel");
        footprint = program.optionalUniform("footprint");
    }

    void run(Texture source, Texture shapedMask, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        float footprintX = (float) source.width / target.width();
        float footprintY = (float) source.height / target.height();
        glUniform2f(sourceTexel, 1f / source.width, 1f / source.height);
        glUniform2f(footprint, footprintX, footprintY);
        source.bind(0);
        shapedMask.bind(1);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
