package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryUtil;

/**
 * Reads the bound framebuffer into a caller's buffer, through a pixel buffer object by default:
 * glReadPixels into the PBO lets Mesa pack (and convert, e.g. RGBA to BGR) with its own GPU-side
 * path instead of a CPU loop on the calling thread; the mapped result is then one memcpy. Set the
 * system property {@code backdrop.readback=direct} for plain glReadPixels into client memory.
 * Capacity: width * height pixels of up to 4 bytes.
 */
final class PixelReader implements AutoCloseable {
    static final boolean DIRECT = "direct".equals(System.getProperty("backdrop.readback"));

    private final int width;
    private final int height;
    private final int buffer;
    private final long capacity;

    PixelReader(int width, int height) {
        this.width = width;
        this.height = height;
        this.capacity = (long) GlCompositor.rowBytes(width * 4) * height;
        buffer = glGenBuffers();
        glBindBuffer(GL_PIXEL_PACK_BUFFER, buffer);
        glBufferData(GL_PIXEL_PACK_BUFFER, capacity, GL_STREAM_READ);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    }

    /** format: GL_BGR or GL_RED (bytes); rowBytes must be what GL makes of width at this alignment. */
    void read(int format, int alignment, int rowBytes, ByteBuffer out) {
        if (DIRECT) {
            glPixelStorei(GL_PACK_ALIGNMENT, alignment);
            glReadPixels(0, 0, width, height, format, GL_UNSIGNED_BYTE, out);
            return;
        }
        start(format, alignment);
        finish(rowBytes, out);
    }

    /**
     * The first half of {@link #read}: queues the copy of the bound framebuffer into this reader's
     * pixel buffer and returns without waiting for it.
     */
    void start(int format, int alignment) {
        glPixelStorei(GL_PACK_ALIGNMENT, alignment);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, buffer);
        glReadPixels(0, 0, width, height, format, GL_UNSIGNED_BYTE, 0L);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    }

    /** The second half: waits for the copy {@link #start} queued and copies it into out. */
    void finish(int rowBytes, ByteBuffer out) {
        long bytes = (long) rowBytes * height;
        glBindBuffer(GL_PIXEL_PACK_BUFFER, buffer);
        try {
            ByteBuffer mapped = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, bytes, GL_MAP_READ_BIT);
            if (mapped == null) {
                throw new IllegalStateException(String.format("cannot map the readback buffer: 0x%04X", glGetError()));
            }
            MemoryUtil.memCopy(MemoryUtil.memAddress(mapped), MemoryUtil.memAddress(out), bytes);
            glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
        } finally {
            glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        }
    }

    @Override
    public void close() {
        glDeleteBuffers(buffer);
    }
}
