package dev.backdrop.compose;

import java.nio.file.Path;

/**
 * The composited frame converted to planar YUV 4:2:0 for the encoder (yuv420.frag), into its own
 * target: RGBA8, a quarter of the frame's width and 1.5 times its height, whose bytes read in
 * order are the I420 buffer (see {@link Compositor#readBackYuv420}).
 */
final class Yuv420Pass implements AutoCloseable {
    private final ShaderProgram program;
    final RenderTarget target;

    /** width a multiple of 8, height even (see {@link Compositor#yuv420Supported}). */
    Yuv420Pass(Path shaderDir, int width, int height) {
        if (!Compositor.yuv420Supported(width, height)) {
            throw new IllegalArgumentException("YUV 4:2:0 readback needs a width that is a multiple of 8 and an even"
                    + " height, got " + width + "x" + height);
        }
        program = new ShaderProgram(shaderDir, "yuv420.frag",
                "#define WIDTH " + width + "\n#define HEIGHT " + height + "\n");
        try {
            program.sampler("frame", 0);
            target = new RenderTarget(org.lwjgl.opengl.GL11.GL_RGBA8, width / 4, height * 3 / 2);
        } catch (RuntimeException e) {
            program.close();
            throw e;
        }
    }

    void run(Texture frame, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        frame.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        target.close();
        program.close();
    }
}
