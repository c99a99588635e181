package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

/**
 * Draws the one viewport-covering triangle of fullscreen.vert. Its corners come from gl_VertexID,
 * but a core profile still insists on a bound vertex array object, so an empty one is kept.
 */
final class FullscreenTriangle implements AutoCloseable {
    private final int vertexArray = glGenVertexArrays();

    void draw() {
        glBindVertexArray(vertexArray);
        glDrawArrays(GL_TRIANGLES, 0, 3);
    }

    @Override
    public void close() {
        glDeleteVertexArrays(vertexArray);
    }
}
