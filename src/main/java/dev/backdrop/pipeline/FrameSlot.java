package dev.backdrop.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import dev.backdrop.output.Yuv420Image;
import org.bytedeco.javacv.Frame;

/**
 * One preallocated slot of the ring buffer. Capture fills it, segmentation writes the mask into
 * it, compositing replaces its pixels with the result, output encodes it. Because the mask is
 * written into the same slot as the pixels it came from, a mask can never meet another frame.
 */
public final class FrameSlot {

    /** What a slot carries on this trip round the ring. */
    public enum Kind { VIDEO, AUDIO, END }

    public Kind kind = Kind.END;
    /** Position of this video frame in the input, counting from 0 (audio slots keep the last one). */
    public long index;
    /** Presentation time in microseconds, as the input reported it. */
    public long timestampMicros;
    /** Set by compositing once this frame's output pixels are final; only such frames are written. */
    public boolean composited;
    /** Set by a live stage that skipped this frame because a newer one was waiting. */
    public boolean dropped;
    /** The slot after this one in the ring (set once by FramePipeline): what a live stage looks ahead to. */
    FrameSlot next;
    /** When capture published the slot, System.nanoTime(): the start of this frame's latency. */
    public long capturedNanos;

    /** BGR24 pixels, rows padded to 8 bytes; compositing overwrites them with its output. */
    public final Frame image;
    /**
     * The output as I420 (YUV 4:2:0, converted on the GL) when an output encodes that, allocated by
     * compositing on the slot's first trip round the ring and filled on every trip; null when
     * compositing reads back BGR only. See {@link Readback}.
     */
    public Yuv420Image yuv420;
    /** BGRA output of a transparent run (alpha = the refined mask), allocated once per slot; else null. */
    public Frame withAlpha;
    /** Person probability per mask pixel in [0,1], rows top-first. */
    public final FloatBuffer mask;

    /**
     * The refined full-size mask, 8-bit grey, when a debug mask video is written (else null);
     * allocated by compositing on the slot's first trip round the ring.
     */
    public Frame refinedMask;

    /** Interleaved float audio samples of an AUDIO slot; grows (rarely) if a packet is larger. */
    public FloatBuffer audio;
    public int audioChannels;
    public int audioSampleRate;

    public FrameSlot(int width, int height, int maskWidth, int maskHeight) {
        image = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
        mask = ByteBuffer.allocateDirect(maskWidth * maskHeight * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        audio = ByteBuffer.allocateDirect(8192 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public ByteBuffer pixels() {
        return (ByteBuffer) image.image[0];
    }

    /** Bytes per row of {@link #pixels()}. */
    public int stride() {
        return image.imageStride;
    }
}
