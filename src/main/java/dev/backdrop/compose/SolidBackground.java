package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import java.nio.ByteBuffer;

/** A solid colour behind the person: a 1x1 texture the blend samples everywhere. */
final class SolidBackground implements BackgroundLayer {

    private final Texture colour;

    /** rgb: 0xRRGGBB. */
    SolidBackground(int rgb) {
        colour = new Texture(GL_RGB8, 1, 1, GL_NEAREST);
        colour.bind(0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        ByteBuffer pixel = ByteBuffer.allocateDirect(3).put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, 1, 1, GL_RGB, GL_UNSIGNED_BYTE, pixel.flip());
    }

    @Override
    public Kind kind() {
        return Kind.SOLID;
    }

    @Override
    public Texture draw(Texture frame, Texture shaped, long timestampMicros, FullscreenTriangle triangle) {
        return colour;
    }

    @Override
    public void close() {
        colour.close();
    }
}
