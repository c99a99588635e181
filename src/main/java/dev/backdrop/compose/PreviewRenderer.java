package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Draws composited BGR frames into the current window, letterboxed to keep their aspect. Made
 * and used on the window's thread, with the window's GL context current.
 */
public final class PreviewRenderer implements AutoCloseable {

    private final int width;
    private final int height;
    private final FullscreenTriangle triangle = new FullscreenTriangle();
    private final Texture frame;
    private final ShaderProgram program;

    public PreviewRenderer(int width, int height, Path shaderDir) {
        this.width = width;
        this.height = height;
        frame = new Texture(GL_RGBA8, width, height, GL_LINEAR);
        program = new ShaderProgram(shaderDir, "preview.frag");
        program.use();
        glUniform1i(program.uniform("frame"), 0);
    }

    /** Uploads one frame (rows padded to 8 bytes) and draws it into a window of the given size. */
    public void draw(ByteBuffer bgr, int windowWidth, int windowHeight) {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glClearColor(0, 0, 0, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        double scale = Math.min((double) windowWidth / width, (double) windowHeight / height);
        int w = (int) Math.round(width * scale);
        int h = (int) Math.round(height * scale);
        glViewport((windowWidth - w) / 2, (windowHeight - h) / 2, w, h);
        frame.bind(0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 8);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_BGR, GL_UNSIGNED_BYTE, bgr);
        program.use();
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
        frame.close();
        triangle.close();
    }
}
