package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.compose.BackgroundFile;
import dev.backdrop.compose.Compositor;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Pipeline;
import dev.backdrop.compose.HeadlessGl;
import dev.backdrop.output.Yuv420Image;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2: blends each frame with its blurred or replaced background, in place, on the GL or the
 * CPU ({@link Pipeline.Compositing}). A GL context belongs to this stage's thread, so it is made in
 * onStart and destroyed in onShutdown.
 */
public final class ComposeStage implements EventHandler<FrameSlot> {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeStage.class);

    private final FrameGeometry geometry;
    private final int width;
    private final int height;
    private final ComposeSettings settings;
    private final Path shaderDir;
    private final PipelineStatus status;
    private final StageTimes times;
    private final DropPolicy policy;
    private final Backlog backlog = new Backlog();
    private final boolean keepMask;
    private HeadlessGl gl;
    private Compositor compositor;
    /** The configured background, opened when the job started; or null. */
    private BackgroundFile backgroundFile;
    /** Live controls, or null; the compositor's settings are updated when their version moves. */
    private LiveControls controls;
    private int controlsVersion;
    private int reportedVersion;
    private boolean showMask;
    /** The control page's mask view: masks read back for the preview alone. */
    private boolean previewMask;
    /** The compositing asked for (the controls change it) and the file of its background. */
    private ComposeSettings wanted;
    private BackgroundFile wantedFile;
    private boolean effectOn = true;
    /** Fail closed: frames without a mask get an empty one, so the background effect covers the whole picture. */
    private boolean hiding;
    private java.nio.FloatBuffer noMask;
    private ByteBuffer maskView;
    /** Which pictures the outputs take: BGR, I420 (converted on the GL) or both. */
    private Readback readback;
    private Pipeline.Compositing where = Pipeline.Compositing.AUTO;

    /** keepMask: also read each frame's refined mask into {@link FrameSlot#refinedMask} (for --debug-mask). */
    public ComposeStage(FrameGeometry geometry, ComposeSettings settings, Path shaderDir, PipelineStatus status,
                        StageTimes times, DropPolicy policy, boolean keepMask) {
        this.keepMask = keepMask;
        this.geometry = geometry;
        this.width = geometry.width();
        this.height = geometry.height();
        this.settings = settings;
        this.shaderDir = shaderDir;
        this.status = status;
        this.times = times;
        this.policy = policy;
        this.readback = Readback.bgrOnly(geometry);
        this.wanted = settings;
    }

    /** Reads back what the outputs take (the output stage must be given the same); BGR alone by default. */
    public ComposeStage readingBack(Readback pictures) {
        this.readback = pictures;
        return this;
    }

    /** The configured background as the job opened it (so a bad file fails before any output exists). */
    public ComposeStage background(BackgroundFile file) {
        this.backgroundFile = file;
        this.wantedFile = file;
        return this;
    }

    /** Where compositing runs (pipeline.compositor); auto by default. */
    public ComposeStage compositingOn(Pipeline.Compositing choice) {
        this.where = choice;
        return this;
    }

    /** Lets the live window's hotkeys change blur, background and the mask view while frames flow. */
    public ComposeStage controlledBy(LiveControls liveControls) {
        this.controls = liveControls;
        return this;
    }

    @Override
    public void onStart() {
        try {
            Compositor.Engine engine = engine();
            if (engine == Compositor.Engine.CPU) {
                // The stages already keep every core busy; OpenCV's own pool would only add hand-offs
                // (and its workers' CPU) to each resize and filter.
                org.bytedeco.opencv.global.opencv_core.setNumThreads(1);
            }
            Readback planned = readback;
            readback = engine == Compositor.Engine.GL ? readback.onGl(gl.rasterisesOnCpu())
                    : geometry.layout() == PixelLayout.I420 ? readback : Readback.bgrOnly(geometry);
            if (planned.yuv420() && geometry.layout() != PixelLayout.I420) {
                LOG.info(readback.yuv420() ? "x264 outputs take YUV 4:2:0 converted on the GL"
                        : "x264 outputs take BGR (swscale converts): cheaper than converting on a CPU rasteriser");
            }
            compositor = Compositor.builder(geometry).settings(settings).shaders(shaderDir).engine(engine)
                    .layout(geometry.layout()).background(backgroundFile).build();
            compositor.backgroundVideoLive(policy == DropPolicy.KEEP_NEWEST);
            compositor.drawMask(keepMask);
            noMask = geometry.newMask();
            warmUp();
        } finally {
            status.markStageReady();
        }
    }

    /**
     * The engine pipeline.compositor asks for; with auto, the CPU where the GL is itself a CPU
     * rasteriser (there the shaders cost about twice what the CPU compositor does: BENCHMARKS.md,
     * "The compositor alone"), known without a context where the machine shows no GPU at all. A GL
     * context is kept only for the GL engine.
     */
    private Compositor.Engine engine() {
        if (geometry.layout() == PixelLayout.I420) { // chosen for the CPU engine alone (PipelineAssembly.ringLayout)
            LOG.info("compositing on the CPU, in the decoder's YUV 4:2:0: no colour conversion on the way through");
            return Compositor.Engine.CPU;
        }
        if (where == Pipeline.Compositing.CPU) {
            LOG.info("compositing on the CPU");
            return Compositor.Engine.CPU;
        }
        if (where == Pipeline.Compositing.AUTO && !HeadlessGl.gpuPresent()) {
            LOG.info("compositing on the CPU: no GPU (no /dev/dri render node, no /dev/nvidia0)");
            return Compositor.Engine.CPU;
        }
        gl = HeadlessGl.create();
        if (where == Pipeline.Compositing.AUTO && gl.rasterisesOnCpu()) {
            LOG.info("compositing on the CPU: the GL, {}, rasterises on the CPU too, at about twice the cost", gl.renderer());
            gl.close();
            gl = null;
            return Compositor.Engine.CPU;
        }
        LOG.info("compositing on {}", gl.renderer());
        return Compositor.Engine.GL;
    }

    /**
     * Renders two frames: drivers such as llvmpipe compile shaders at the first draw, which would
     * otherwise cost the first real frames a few hundred milliseconds.
     */
    private void warmUp() {
        int stride = geometry.stride();
        ByteBuffer frame = ByteBuffer.allocateDirect(geometry.layout().frameBytes(width, height));
        java.nio.FloatBuffer mask = geometry.newMask();
        // A person on the left half: the edge tiles' loops run too, so the JIT has compiled them
        // before the first real frames (at 1080p, interpreted, they dropped the first frames).
        for (int y = 0; y < geometry.maskHeight(); y++) {
            for (int x = 0; x < geometry.maskWidth() / 2; x++) {
                mask.put(y * geometry.maskWidth() + x, 1f);
            }
        }
        ByteBuffer i420 = readback.yuv420() ? ByteBuffer.allocateDirect(Compositor.yuv420Bytes(width, height)) : null;
        for (int i = 0; i < 2; i++) {
            compositor.render(frame, stride, mask);
            compositor.readBack(frame);
            if (i420 != null) {
                compositor.readBackYuv420(i420); // compiles the conversion's shader
            }
        }
        compositor.reset(); // the blank frames must not linger in the temporal smoothing
    }

    @Override
    public void onBatchStart(long batchSize, long queueDepth) {
        backlog.onBatchStart(batchSize);
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) {
        if (slot.kind != FrameSlot.Kind.VIDEO || slot.dropped || status.hasFailed() || compositor == null) {
            return;
        }
        if (policy.dropsStale(slot, sequence, backlog)) {
            slot.dropped = true;
            return;
        }
        if (controls != null && controls.version() != controlsVersion) {
            applyControls();
        }
        boolean hide = slot.maskMissing && effectOn;
        if (hide != hiding) {
            hiding = hide;
            apply();
            compositor.forgetMask(); // the hidden frames' empty masks must not fade into the next real one
        }
        long start = System.nanoTime();
        compositor.stillSince(hiding ? -1 : slot.stillSince);
        compositor.render(slot.pixels(), slot.stride(), hiding ? noMask : slot.mask, slot.timestampMicros);
        long rendered = System.nanoTime();
        if (controls != null && reportedVersion != controlsVersion) {
            controls.applied(controlsVersion); // the first frame with this change: its latency
            reportedVersion = controlsVersion;
        }
        readBackForOutputs(slot);
        if (showMask) {
            showMaskInstead(slot);
        }
        slot.hasRefinedMask = keepMask || previewMask;
        if (slot.hasRefinedMask) {
            if (slot.refinedMask == null) {
                slot.refinedMask = new Frame(width, height, Frame.DEPTH_UBYTE, 1); // once per slot
            }
            compositor.readBackMask((ByteBuffer) slot.refinedMask.image[0]);
        }
        slot.composited = true;
        times.compose.add(rendered - start);
        times.readback.add(System.nanoTime() - rendered);
    }

    /** The controls' new state, applied from this frame on (the compositor swaps only what changed). */
    private void applyControls() {
        LiveControls.State state = controls.state();
        controlsVersion = state.version();
        showMask = state.showMask();
        previewMask = state.previewMask();
        effectOn = state.effectOn();
        wanted = state.compose();
        wantedFile = state.background();
        hiding &= effectOn; // the effect turned off by the user is shown as it is
        apply();
        compositor.drawMask(keepMask || showMask || previewMask);
    }

    /** What is wanted, or while hiding, the background effect strong enough to cover a room. */
    private void apply() {
        ComposeSettings next = hiding ? hidden(wanted) : wanted;
        BackgroundFile file = next.background().hasFile()
                && !next.background().equals(compositor.settings().background()) ? wantedFile : null;
        try {
            compositor.update(next, file);
        } catch (RuntimeException e) {
            LOG.warn("cannot apply the change ({}); the compositing before it stays", e.getMessage());
        }
    }

    /** A replacement covers the frame as it is; a blur is made at least a 24th of the frame's height. */
    private ComposeSettings hidden(ComposeSettings c) {
        if (c.background().replaces()) {
            return c;
        }
        return c.with(c.blur().withSigma(Math.max(c.blur().sigma(), height / 24f)));
    }

    private void readBackForOutputs(FrameSlot slot) {
        if (settings.background().transparent()) {
            compositor.readBack(slot.pixels()); // RGBA: alpha is the refined mask
            slot.composite = slot.image;
        } else if (readback.bgr()) {
            if (slot.bgr == null) {
                slot.bgr = new Frame(width, height, Frame.DEPTH_UBYTE, 3); // I420 ring: once per slot
            }
            compositor.readBack((ByteBuffer) slot.bgr.image[0], PixelLayout.BGR24);
            slot.composite = slot.bgr;
        }
        if (readback.yuv420()) {
            if (slot.yuv420 == null) {
                slot.yuv420 = new Yuv420Image(width, height); // once per slot
            }
            compositor.readBackYuv420(slot.yuv420.data);
        }
    }

    /**
     * The M view: the refined mask as grey, written over the frame in whichever pictures the
     * outputs take (a debugging view, not the hot path).
     */
    private void showMaskInstead(FrameSlot slot) {
        int maskStride = Compositor.maskStride(width);
        if (maskView == null) {
            maskView = ByteBuffer.allocateDirect(maskStride * height);
        }
        compositor.readBackMask(maskView);
        ByteBuffer pixels = readback.bgr() ? (ByteBuffer) slot.composite.image[0] : null;
        int stride = readback.bgr() ? slot.composite.imageStride : 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                byte v = maskView.get(y * maskStride + x);
                if (readback.bgr()) {
                    int i = y * stride + x * slot.composite.imageChannels;
                    pixels.put(i, v).put(i + 1, v).put(i + 2, v);
                }
                if (readback.yuv420()) { // grey in limited range: Y 16..235, no colour
                    slot.yuv420.data.put(y * width + x, (byte) (16 + Math.round((v & 0xFF) * 219 / 255f)));
                }
            }
        }
        if (readback.yuv420()) {
            ByteBuffer i420 = slot.yuv420.data;
            for (int i = width * height; i < i420.capacity(); i++) {
                i420.put(i, (byte) 128);
            }
        }
    }

    @Override
    public void onShutdown() {
        if (compositor != null) {
            compositor.close();
        }
        if (gl != null) {
            gl.close();
        }
    }
}
