package dev.backdrop.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
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

    /**
     * The layout of every frame captured into the ring: RGBA, which the GL uploads as it is (the
     * decoder's swscale converts to it as fast as to BGR24).
     */
    public static final PixelLayout LAYOUT = PixelLayout.RGBA;

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

    /** {@link #LAYOUT} pixels, rows padded to 8 bytes: what capture fills, and segmentation and compositing read. */
    public final Frame image;
    /**
     * The same memory seen as BGR24, where compositing reads its result back for most outputs:
     * FFmpeg's swscale converts BGR24 to YUV 4:2:0 on a fast path it has for no 4-byte layout.
     */
    public final Frame bgr;
    /**
     * What the outputs are given, set by compositing: {@link #bgr}, or {@link #image} overwritten
     * with the result in RGBA, alpha = the refined mask, for a transparent output.
     */
    public Frame composite;
    /**
     * The output as I420 (YUV 4:2:0, converted on the GL) when an output encodes that, allocated by
     * compositing on the slot's first trip round the ring and filled on every trip; null when
     * compositing reads back BGR only. See {@link Readback}.
     */
    public Yuv420Image yuv420;
    /** Person probability per mask pixel in [0,1], rows top-first. */
    public final FloatBuffer mask;
    /** Live: segmentation failed or missed its bound for this frame; compositing hides the whole picture. */
    public boolean maskMissing;

    /**
     * The refined full-size mask, 8-bit grey, when a debug mask video is written (else null);
     * allocated by compositing on the slot's first trip round the ring.
     */
    public Frame refinedMask;
    /** Whether refinedMask holds this frame's mask (read back only while something shows or writes it). */
    public boolean hasRefinedMask;

    /** Interleaved float audio samples of an AUDIO slot; grows (rarely) if a packet is larger. */
    public FloatBuffer audio;
    public int audioChannels;
    public int audioSampleRate;

    public FrameSlot(FrameGeometry geometry) {
        image = new Frame(geometry.width(), geometry.height(), Frame.DEPTH_UBYTE, LAYOUT.channels);
        bgr = view(image, PixelLayout.BGR24);
        composite = bgr;
        mask = geometry.newMask();
        audio = ByteBuffer.allocateDirect(8192 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** A frame over the same pixel memory, in another layout (which must fit in it). */
    private static Frame view(Frame frame, PixelLayout layout) {
        Frame view = new Frame();
        view.imageWidth = frame.imageWidth;
        view.imageHeight = frame.imageHeight;
        view.imageDepth = Frame.DEPTH_UBYTE;
        view.imageChannels = layout.channels;
        view.imageStride = layout.stride(frame.imageWidth);
        view.image = frame.image;
        return view;
    }

    public ByteBuffer pixels() {
        return (ByteBuffer) image.image[0];
    }

    /** Bytes per row of {@link #pixels()}. */
    public int stride() {
        return image.imageStride;
    }
}
