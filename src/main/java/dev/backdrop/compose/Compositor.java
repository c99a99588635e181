package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.config.ComposeSettings;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Person over background, one frame at a time, for one frame size: the model's mask refined
 * (smoothed over time, feathered, its edge put on the frame's own edges by the guided filter), the
 * background blurred or replaced, and the two blended. Two engines give the same pictures within a
 * few levels: {@link GlCompositor} (shaders, for a GPU) and {@link CpuCompositor} (OpenCV and plain
 * loops, for machines whose GL is itself a CPU rasteriser such as llvmpipe, where it costs a
 * fraction). Chosen once by {@link Builder#build}; use and close it on one thread.
 *
 * <p>Frames are given and read back with rows top first, padded to 8 bytes ({@link PixelLayout#stride});
 * masks are floats in [0,1] at the model's size, rows top first, stretched over the frame.
 */
public interface Compositor extends AutoCloseable {

    /** Where compositing runs; see {@link Builder#engine}. */
    enum Engine {
        /** OpenGL shaders ({@link GlCompositor}). */
        GL,
        /** The CPU ({@link CpuCompositor}). */
        CPU
    }

    /**
     * Bytes per row of a BGR24 frame: rows padded to 8 bytes, as JavaCV allocates a Frame and as GL
     * packs and unpacks with alignment 8 ({@link PixelLayout#stride}).
     */
    static int frameStride(int width) {
        return PixelLayout.BGR24.stride(width);
    }

    /** Bytes per row of a one-byte-per-pixel mask from {@link #readBackMask}: padded to 8 bytes. */
    static int maskStride(int width) {
        return (width + 7) & ~7;
    }

    /**
     * Whether {@link #readBackYuv420} takes frames of this size: a width that is a multiple of 8 (so
     * each chroma row is whole groups of four bytes) and an even height.
     */
    static boolean yuv420Supported(int width, int height) {
        return width > 0 && height > 0 && width % 8 == 0 && height % 2 == 0;
    }

    /** Bytes of an I420 frame from {@link #readBackYuv420}: Y (width x height), then U and V (half size each). */
    static int yuv420Bytes(int width, int height) {
        return PixelLayout.I420.frameBytes(width, height);
    }

    /** The frame size and the model's mask size; everything else has a default. */
    static Builder builder(FrameGeometry geometry) {
        return new Builder(geometry);
    }

    /** How a compositor is made: sizes, settings, shaders, the frames' layout, an opened background file, the engine. */
    final class Builder {
        private final FrameGeometry geometry;
        private ComposeSettings settings = ComposeSettings.DEFAULT;
        private Path shaderDir;
        private PixelLayout layout = PixelLayout.BGR24;
        private BackgroundFile backgroundFile;
        private Engine engine = Engine.GL;

        private Builder(FrameGeometry geometry) {
            this.geometry = geometry;
        }

        public Builder settings(ComposeSettings value) {
            settings = value;
            return this;
        }

        /** Where the shaders are read from; null = the copies on the classpath. */
        public Builder shaders(Path dir) {
            shaderDir = dir;
            return this;
        }

        /**
         * Of every frame given to {@link #render} and read back by {@link #readBack}; BGR24 by
         * default. With RGBA the alpha read back is the refined mask (as {@link #readBackBgra}'s),
         * provided the frames given are opaque (alpha 255, as FFmpeg's RGBA is): all-person tiles
         * keep the frame as it came.
         */
        public Builder layout(PixelLayout value) {
            layout = value;
            return this;
        }

        /** The background already opened (a job opens it before any output exists); else opened from the settings. */
        public Builder background(BackgroundFile file) {
            backgroundFile = file;
            return this;
        }

        /** GL (the default; needs a current context on this thread) or CPU (needs none). */
        public Builder engine(Engine value) {
            engine = value;
            return this;
        }

        public Compositor build() {
            return engine == Engine.CPU ? new CpuCompositor(this) : new GlCompositor(this);
        }

        FrameGeometry geometry() {
            return geometry;
        }

        ComposeSettings settings() {
            return settings;
        }

        Path shaderDir() {
            return shaderDir;
        }

        PixelLayout layout() {
            return layout;
        }

        BackgroundFile backgroundFile() {
            return backgroundFile;
        }
    }

    /**
     * Applies new settings from the next frame on, replacing only what they change; the mask's
     * history is kept, so nothing jumps. file: the new background opened, or null to open it here
     * when the background changed. A failure leaves the compositor as it was.
     */
    void update(ComposeSettings next, BackgroundFile file);

    /** The settings in force. */
    ComposeSettings settings();

    /**
     * Live (true): never wait for the background video's decoder, show the newest frame it has.
     * Files (false, the default): wait until the background frame for each output time is decoded,
     * so the result does not depend on the machine's speed. No effect without a background video.
     */
    void backgroundVideoLive(boolean live);

    /**
     * Composites one frame: frameIn in this compositor's layout, {@code stride} bytes per row; mask
     * maskWidth * maskHeight floats, native order. Both direct; data from each buffer's position.
     * Frames must come in order: the mask is smoothed over time (see {@link #reset}). A background
     * video plays in step with timestampMicros (the input's presentation time), from its first frame
     * at the first frame rendered. The result is read with {@link #readBack} and the others; frameIn
     * may be overwritten with it meanwhile (the CPU engine composites in place).
     */
    void render(ByteBuffer frameIn, int stride, FloatBuffer mask, long timestampMicros);

    /**
     * For the next render alone: the frame (a sequence number) since which the picture has been
     * still, as the segmenter's motion gate found it, and whose mask the next frame reuses; or the
     * next frame's own number. A compositor may keep what it made from that frame's picture (the CPU
     * engine: the blurred background) rather than make it again. Unset, every frame is made anew.
     */
    default void stillSince(long frame) {
    }

    /** {@link #render(ByteBuffer, int, FloatBuffer, long)} paced by the wall clock. */
    void render(ByteBuffer frameIn, int stride, FloatBuffer mask);

    /** The last rendered frame into out, in this compositor's layout (a direct buffer, from its position). */
    void readBack(ByteBuffer out);

    /** {@link #readBack(ByteBuffer)} in this layout, whichever the frames came in. */
    void readBack(ByteBuffer out, PixelLayout as);

    /** render and readBack in one; frameOut may be frameIn. */
    default void composite(ByteBuffer frameIn, int stride, FloatBuffer mask, ByteBuffer frameOut) {
        render(frameIn, stride, mask);
        readBack(frameOut);
    }

    /**
     * Transparent output: the rendered frame as BGRA, alpha = the refined mask (straight), rows
     * padded to 8 bytes.
     */
    void readBackBgra(ByteBuffer bgraOut);

    /**
     * The rendered frame as I420 (see {@link #yuv420Bytes}), BT.601 limited range, for sizes that
     * {@link #yuv420Supported}; only where {@link #convertsYuv420}.
     */
    void readBackYuv420(ByteBuffer i420Out);

    /** Whether {@link #readBackYuv420} is offered. */
    boolean convertsYuv420();

    /** Whether each render also makes the full-resolution mask for {@link #readBackMask} (off unless asked for). */
    void drawMask(boolean draw);

    /**
     * The refined full-resolution mask of the last render (which ran with {@link #drawMask} on): one
     * byte per pixel, 0 background to 255 person, rows padded to 8 bytes ({@link #maskStride}).
     */
    void readBackMask(ByteBuffer grey8Out);

    /** Forget the mask history and start a background video over: call at a new clip or after a seek. */
    void reset();

    /** Forget the mask history alone (a background video plays on). */
    void forgetMask();

    @Override
    void close();
}
