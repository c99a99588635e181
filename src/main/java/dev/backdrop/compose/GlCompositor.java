package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.config.ComposeSettings;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * The compositing passes on OpenGL, for one frame size. Create, use and close it on the thread
 * whose {@link HeadlessGl} context is current.
 *
 * <p>Orientation: every image (frame, mask, background) is uploaded top row first into texture row
 * 0 and read back from framebuffer row 0, so the GL convention of row 0 being the bottom never
 * shows: the frame's top row stays on top and the mask's top-left lands on the frame's top-left.
 */
public final class GlCompositor implements Compositor {
    /** Frame rows are padded to 8 bytes (see {@link #frameStride}), which is GL's alignment 8. */
    private static final int FRAME_ROW_ALIGNMENT = 8;

    private final int width;
    private final int height;
    /** The frames given and read back: BGR24 or RGBA (which GL uploads and reads back without converting). */
    private final PixelLayout layout;
    private final int stride;
    /** The model's mask size: what {@link #render} is given. */
    private final int maskWidth;
    private final int maskHeight;

    private final FullscreenTriangle triangle;
    /**
     * The uploaded frame, which the blend then overwrites in place with the composite: tiles that
     * are all person are already right and are never drawn, and no second frame-sized target is
     * written or read back.
     */
    private final RenderTarget canvas;
    private final Texture frame;
    /** The model's mask into the shaped mask the blend reads. */
    private final MaskRefiner refiner;
    /** Whether render() also draws the full-size mask for readBackMask (see {@link #drawMask}). */
    private boolean drawsMask;
    /** Whether upsampledMask holds the last render's mask. */
    private boolean maskDrawn;
    private final RenderTarget upsampledMask;
    private final PixelReader reader;
    /** The YUV 4:2:0 conversion and its reader, made on the first {@link #readBackYuv420}; or null. */
    private Yuv420Pass yuv420;
    private PixelReader yuv420Reader;
    private final Path shaderDir;
    private final long wallClockOrigin = System.nanoTime();
    /** Every GL object above, closed in reverse order of making (the YUV pass's when it is made). */
    private final GlResources resources = new GlResources();

    // What the settings shape beyond the mask, each built from its own group and replaced by update().
    private ComposeSettings settings;
    private BackgroundLayer background;
    private MaskUpsamplePass maskUpsample;
    private BlendPass blend;
    private boolean live;
    private boolean closed;

    /** Names of the timed steps of {@link #render}, in order; see {@link #timePasses}. */
    static final String[] PASS_NAMES = {"upload", "mask", "background", "blend+upsample"};
    /** When true, render() waits for the GL after every pass and adds its time to {@link #passNanos} (benchmarks only). */
    boolean timePasses;
    final long[] passNanos = new long[PASS_NAMES.length];

    static int rowBytes(int bytes) {
        return (bytes + 7) & ~7;
    }

    /** A compositor for BGR24 frames, its background file (if any) opened here. */
    public GlCompositor(FrameGeometry geometry, ComposeSettings settings, Path shaderDir) {
        this(Compositor.builder(geometry).settings(settings).shaders(shaderDir));
    }

    GlCompositor(Compositor.Builder b) {
        FrameGeometry g = b.geometry();
        if (g.width() <= 0 || g.height() <= 0 || g.maskWidth() <= 0 || g.maskHeight() <= 0) {
            throw new IllegalArgumentException("sizes must be positive: frame " + g.width() + "x" + g.height()
                    + ", mask " + g.maskWidth() + "x" + g.maskHeight());
        }
        this.width = g.width();
        this.height = g.height();
        this.layout = b.layout();
        this.stride = layout.stride(width);
        this.maskWidth = g.maskWidth();
        this.maskHeight = g.maskHeight();
        this.shaderDir = b.shaderDir();
        // Built step by step so a failure part-way (a shader that does not compile) frees what exists.
        try {
            triangle = resources.add(new FullscreenTriangle());
            canvas = resources.add(new RenderTarget(GL_RGBA8, width, height));
            frame = canvas.texture;
            settings = b.settings();
            refiner = resources.add(new MaskRefiner(g, settings, shaderDir));
            upsampledMask = resources.add(new RenderTarget(GL_R8, width, height));
            reader = resources.add(new PixelReader(width, height));
            background = BackgroundLayer.choose(settings, b.backgroundFile(), width, height, shaderDir, triangle);
            maskUpsample = new MaskUpsamplePass(shaderDir);
            blend = blendPass(settings, background);
            checkGlError("setting up the compositor");
        } catch (RuntimeException | Error e) {
            closeReplaceable();
            resources.closeAll();
            throw e;
        }
    }

    private BlendPass blendPass(ComposeSettings s, BackgroundLayer layer) {
        return new BlendPass(shaderDir, width, height, refiner.width(), refiner.height(),
                layer.kind().replaces ? s.background().lightWrap() : 0f, layer.kind().texture);
    }

    /**
     * Applies new settings from the next frame on, replacing only what they change: the background
     * layer when the background (or, for a blurred one, the blur) changes, and each pass whose group
     * changes. The mask's history is kept, so nothing jumps. file: the new background opened, or
     * null to open it here when the background changed.
     */
    @Override
    public void update(ComposeSettings next, BackgroundFile file) {
        if (closed) {
            throw new IllegalStateException("compositor is closed");
        }
        boolean newLayer = BackgroundLayer.replacedBy(background.kind(), settings, next, file);
        // Everything new is made before anything old is closed, so a failure leaves this compositor as it was.
        BackgroundLayer layer = newLayer ? BackgroundLayer.choose(next, file, width, height, shaderDir, triangle) : background;
        GlResources made = new GlResources();
        try {
            BlendPass bl = newLayer || next.background().lightWrap() != settings.background().lightWrap()
                    ? made.add(blendPass(next, layer)) : null;
            refiner.update(settings, next);
            blend = replace(blend, bl);
        } catch (RuntimeException | Error e) {
            made.closeAll();
            if (layer != background) {
                layer.close();
            }
            throw e;
        }
        if (layer != background) {
            background.close();
            background = layer;
            background.live(live);
        }
        settings = next;
    }

    /** The settings in force. */
    @Override
    public ComposeSettings settings() {
        return settings;
    }

    private static <T extends AutoCloseable> T replace(T old, T next) {
        if (next == null) {
            return old;
        }
        try {
            old.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return next;
    }

    /**
     * Live (true): never wait for the background video's decoder, show the newest frame it has.
     * Files (false, the default): wait until the background frame for each output time is decoded,
     * so the result does not depend on the machine's speed. No effect without a background video.
     */
    @Override
    public void backgroundVideoLive(boolean live) {
        this.live = live;
        background.live(live);
    }

    /**
     * Forget the mask history: the next frame is not smoothed with the ones before it. Call at a new
     * clip or after a seek.
     */
    @Override
    public void reset() {
        refiner.reset();
        background.restart(); // a background video starts over too
    }

    /**
     * Forget the mask history alone (a background video plays on): the next mask is not smoothed
     * with the ones before it.
     */
    @Override
    public void forgetMask() {
        refiner.reset();
    }

    /**
     * The first half of {@link #composite}: uploads and renders, and waits for the GL to finish so
     * that the time spent here and in {@link #readBack} can be told apart. Frames must come in
     * order: the mask is smoothed over time (see {@link #reset}).
     */
    @Override
    public void render(ByteBuffer frameIn, int stride, FloatBuffer mask) {
        render(frameIn, stride, mask, (System.nanoTime() - wallClockOrigin) / 1000);
    }

    /**
     * {@link #render(ByteBuffer, int, FloatBuffer)} for the frame shown at this time (microseconds,
     * the input's presentation time): a background video plays in step with these times, starting at
     * its first frame with the first frame rendered (and again after {@link #reset}). Without a
     * timestamp the wall clock paces it.
     */
    @Override
    public void render(ByteBuffer frameIn, int stride, FloatBuffer mask, long timestampMicros) {
        if (closed) {
            throw new IllegalStateException("compositor is closed");
        }
        ComposeArguments.frame(frameIn, stride, this.stride, width, height, mask, maskWidth * maskHeight);
        long t = timePasses ? System.nanoTime() : 0;

        glPixelStorei(GL_UNPACK_ALIGNMENT, FRAME_ROW_ALIGNMENT);
        frame.bind(0);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, glFormatOf(layout), GL_UNSIGNED_BYTE, frameIn);
        refiner.upload(mask);
        t = mark(0, t);
        Texture shaped = refiner.run(frame, triangle);
        t = mark(1, t);
        // The guided upsampling runs inside blend.frag; the full-size mask is drawn on its own only
        // for readBackMask, and before the blend, which overwrites the frame that guides it.
        maskDrawn = drawsMask;
        if (drawsMask) {
            maskUpsample.run(frame, refiner.coefficients(), shaped, upsampledMask, triangle);
        }
        Texture behind = background.draw(frame, shaped, timestampMicros, triangle);
        t = mark(2, t);
        blend.run(canvas, shaped, refiner.coefficients(), behind, triangle);
        mark(3, t);
        glFinish();
    }

    private long mark(int pass, long since) {
        if (!timePasses) {
            return 0;
        }
        glFinish();
        long now = System.nanoTime();
        passNanos[pass] += now - since;
        return now;
    }

    /** The second half of {@link #composite}: reads the rendered frame into frameOut (same layout as the input). */
    @Override
    public void readBack(ByteBuffer frameOut) {
        readBack(frameOut, layout);
    }

    /** {@link #readBack(ByteBuffer)} in this layout, whichever the frames came in. */
    @Override
    public void readBack(ByteBuffer out, PixelLayout as) {
        int stride = as.stride(width);
        checkReadable(out, stride, "out");
        read(canvas, glFormatOf(as), stride, out);
    }

    /** Throws unless the compositor is open and out is a direct buffer with rowBytes * height bytes remaining. */
    private void checkReadable(ByteBuffer out, int rowBytes, String name) {
        if (closed) {
            throw new IllegalStateException("compositor is closed");
        }
        ComposeArguments.buffer(out, rowBytes, height, name);
    }

    /** Reads a frame-sized target into out, rows padded to 8 bytes. */
    private void read(RenderTarget source, int glFormat, int rowBytes, ByteBuffer out) {
        source.bind(); // the read framebuffer too: GL_FRAMEBUFFER binds both
        reader.read(glFormat, FRAME_ROW_ALIGNMENT, rowBytes, out);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    /**
     * The rendered frame as planar YUV 4:2:0, converted on the GL (yuv420_luma.frag, yuv420_chroma.frag): I420 (the Y plane,
     * then U, then V, each tightly packed; see {@link Compositor#yuv420Bytes}), BT.601 limited range, the
     * matrix and range swscale uses for BGR, so an encoder given this shows the same colours as one
     * given {@link #readBack}'s BGR, without converting on the CPU. Only for sizes that
     * {@link Compositor#yuv420Supported}; i420Out must be a direct buffer with that many bytes remaining. The
     * pass is compiled on the first call.
     */
    @Override
    public void readBackYuv420(ByteBuffer i420Out) {
        if (closed) {
            throw new IllegalStateException("compositor is closed");
        }
        if (!Compositor.yuv420Supported(width, height)) {
            throw new IllegalStateException("no YUV 4:2:0 readback at " + width + "x" + height
                    + ": the width must be a multiple of 8 and the height even");
        }
        int bytes = Compositor.yuv420Bytes(width, height);
        if (!i420Out.isDirect() || i420Out.remaining() < bytes) {
            throw new IllegalArgumentException("i420Out must be a direct buffer with " + bytes + " bytes remaining");
        }
        if (yuv420 == null) {
            yuv420 = resources.add(new Yuv420Pass(shaderDir, width, height));
            yuv420Reader = resources.add(new PixelReader(width / 4, height * 3 / 2));
        }
        yuv420.run(frame, triangle);
        yuv420Reader.read(GL_RGBA, 4, width, i420Out); // reads the pass's target, still bound
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    @Override
    public boolean convertsYuv420() {
        return true;
    }

    /** The composited frame of the last render, for benchmarks of what reads it. */
    Texture outputTexture() {
        return frame;
    }

    FullscreenTriangle triangleForBenchmarks() {
        return triangle;
    }

    /**
     * Transparent output: the rendered frame as BGRA, alpha = the refined mask (0 background, 255
     * person; straight, not premultiplied), rows top-first, each row padded to 8 bytes
     * ({@code (width * 4 + 7) & ~7}, JavaCV's layout for a 4-channel frame). With
     * a transparent background the colour is the frame's own; otherwise it is the usual
     * composite. bgraOut must be a direct buffer with that many bytes remaining, from its position.
     */
    @Override
    public void readBackBgra(ByteBuffer bgraOut) {
        int bgraStride = rowBytes(width * 4);
        checkReadable(bgraOut, bgraStride, "bgraOut");
        read(canvas, GL_BGRA, bgraStride, bgraOut);
    }

    /**
     * Whether each {@link #render} also draws the refined full-resolution mask for
     * {@link #readBackMask}: one more full-size pass per frame, so off unless asked for.
     */
    @Override
    public void drawMask(boolean draw) {
        drawsMask = draw;
    }

    /**
     * The refined full-resolution mask of the last {@link #render}, which must have run with
     * {@link #drawMask} on: one byte per pixel (0 background, 255 person), rows top-first, each row
     * padded to 8 bytes ({@code (width + 7) & ~7}); grey8Out must be a direct buffer with that many
     * bytes remaining, from its position.
     */
    @Override
    public void readBackMask(ByteBuffer grey8Out) {
        int maskStride = Compositor.maskStride(width);
        checkReadable(grey8Out, maskStride, "grey8Out");
        if (!maskDrawn) {
            throw new IllegalStateException("no mask drawn: call drawMask(true) before render");
        }
        read(upsampledMask, GL_RED, maskStride, grey8Out);
    }

    private static int glFormatOf(PixelLayout layout) {
        return layout == PixelLayout.RGBA ? GL_RGBA : GL_BGR;
    }

    private static void checkGlError(String what) {
        int error = glGetError();
        if (error != GL_NO_ERROR) {
            throw new IllegalStateException(String.format("OpenGL error 0x%04X while %s", error, what));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A program still in use would only be flagged for deletion, so leave nothing bound.
        glBindVertexArray(0);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        closeReplaceable();
        resources.closeAll();
    }

    /** The parts update() replaces, which are not in {@link #resources}. */
    private void closeReplaceable() {
        for (AutoCloseable part : new AutoCloseable[] {blend, maskUpsample, background}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
