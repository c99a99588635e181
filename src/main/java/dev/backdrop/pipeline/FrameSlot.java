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

    /**
     * The layout capture fills the slot in: RGBA for the GL, which uploads it as it is; I420 for the
     * CPU compositor, which composites the decoder's planes in place and hands them to the encoders.
     */
    public final PixelLayout layout;
    /**
     * RGBA pixels, rows padded to 8 bytes: what capture fills, and segmentation and compositing read;
     * null in an I420 ring, whose frames are {@link #yuv420}.
     */
    public final Frame image;
    /**
     * BGR24, where compositing reads its result back for outputs that take no I420: in an RGBA ring
     * the same memory as {@link #image} (FFmpeg's swscale converts BGR24 to YUV 4:2:0 on a fast path
     * it has for no 4-byte layout); in an I420 ring made by compositing when an output needs it.
     */
    public Frame bgr;
    /**
     * What the outputs are given, set by compositing: {@link #bgr}, or {@link #image} overwritten
     * with the result in RGBA, alpha = the refined mask, for a transparent output.
     */
    public Frame composite;
    /**
     * The output as I420 (YUV 4:2:0) when an output encodes that. In an I420 ring, the frame itself
     * from capture on, composited in place. In an RGBA ring, converted on the GL, allocated by
     * compositing on the slot's first trip round the ring; null when compositing reads back BGR only.
     * See {@link Readback}.
     */
    public Yuv420Image yuv420;
    /** Person probability per mask pixel in [0,1], rows top-first. */
    public final FloatBuffer mask;
    /** Live: segmentation failed or missed its bound for this frame; compositing hides the whole picture. */
    public boolean maskMissing;
    /**
     * Set by segmentation: the sequence of the frame the model last ran on where the motion gate
     * found this frame's picture still since then (its mask is that frame's), else this frame's own;
     * -1 where nothing segmented it. Compositing may keep what it made from that frame's picture.
     */
    public long stillSince = -1;

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

    /** geometry: the frame and mask sizes, and the layout (RGBA or I420) capture fills the slot in. */
    public FrameSlot(FrameGeometry geometry) {
        layout = geometry.layout();
        if (layout == PixelLayout.I420) {
            image = null;
            yuv420 = new Yuv420Image(geometry.width(), geometry.height());
        } else if (layout == PixelLayout.RGBA) {
            image = new Frame(geometry.width(), geometry.height(), Frame.DEPTH_UBYTE, layout.channels);
            bgr = view(image, PixelLayout.BGR24);
        } else {
            throw new IllegalArgumentException("a ring carries RGBA or I420 frames, not " + layout);
        }
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

    /** The frame as capture filled it: RGBA, or the three planes of I420. */
    public ByteBuffer pixels() {
        return image != null ? (ByteBuffer) image.image[0] : yuv420.data;
    }

    /** Bytes per row of {@link #pixels()} (of the Y plane, in I420). */
    public int stride() {
        return image != null ? image.imageStride : yuv420.width;
    }
}
