package dev.backdrop.compose;

import static org.lwjgl.opengl.GL11.*;

import java.nio.file.Path;

/**
 * The composited frame converted to planar YUV 4:2:0 for the encoder, in two passes into one
 * target: yuv420_luma.frag (the Y plane) and yuv420_chroma.frag (U and V). The target is RGBA8, a
 * quarter of the frame's width and 1.5 times its height, and its bytes read in order are the I420
 * buffer (see {@link Compositor#readBackYuv420}).
 */
final class Yuv420Pass implements AutoCloseable {
    private final int width;
    private final int height;
    private final ShaderProgram luma;
    private final ShaderProgram chroma;
    final RenderTarget target;

    /** width a multiple of 8, height even (see {@link Compositor#yuv420Supported}). */
    Yuv420Pass(Path shaderDir, int width, int height) {
        if (!Compositor.yuv420Supported(width, height)) {
            throw new IllegalArgumentException("YUV 4:2:0 readback needs a width that is a multiple of 8 and an even"
                    + " height, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        String size = "#define WIDTH " + width + "\n#define HEIGHT " + height + "\n";
        luma = new ShaderProgram(shaderDir, "yuv420_luma.frag", size);
        try {
            luma.sampler("frame", 0);
            chroma = new ShaderProgram(shaderDir, "yuv420_chroma.frag", size);
        } catch (RuntimeException e) {
            luma.close();
            throw e;
        }
        try {
            chroma.sampler("frame", 0);
            target = new RenderTarget(GL_RGBA8, width / 4, height * 3 / 2);
        } catch (RuntimeException e) {
            chroma.close();
            luma.close();
            throw e;
        }
    }

    /** Converts frame (frame size) into {@link #target}, which it leaves bound. */
    void run(Texture frame, FullscreenTriangle triangle) {
        target.bind();
        frame.bind(0);
        glViewport(0, 0, width / 4, height);
        luma.use();
        triangle.draw();
        glViewport(0, height, width / 4, height / 2);
        chroma.use();
        triangle.draw();
    }

    @Override
    public void close() {
        target.close();
        chroma.close();
        luma.close();
    }
}
