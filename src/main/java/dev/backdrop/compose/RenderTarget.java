package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

/** A texture with its framebuffer object: one pass renders into it, the next samples it. */
final class RenderTarget implements AutoCloseable {
    final Texture texture;
    private final int framebuffer;

    RenderTarget(int internalFormat, int width, int height) {
        texture = new Texture(internalFormat, width, height, GL_LINEAR);
        framebuffer = glGenFramebuffers();
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture.id, 0);
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            glDeleteFramebuffers(framebuffer);
            texture.close();
            throw new IllegalStateException(String.format("framebuffer %dx%d incomplete: 0x%04X", width, height, status));
        }
    }

    /**
     * Adds {@code second} (same size) as colour attachment 1: a pass then writes both (layout
     * location 1 in its shader). The texture stays owned by the caller.
     */
    RenderTarget withSecond(Texture second) {
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT1, GL_TEXTURE_2D, second.id, 0);
        glDrawBuffers(new int[] {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1});
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            throw new IllegalStateException(String.format("framebuffer with two targets incomplete: 0x%04X", status));
        }
        return this;
    }

    /** Makes this the draw target, with the viewport covering it. */
    void bind() {
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
        glViewport(0, 0, texture.width, texture.height);
    }

    int width() {
        return texture.width;
    }

    int height() {
        return texture.height;
    }

    @Override
    public void close() {
        glDeleteFramebuffers(framebuffer);
        texture.close();
    }
}
