package dev.backdrop.pipeline;

import dev.backdrop.capture.CaptureLoop;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.InputRecovery;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.compose.HeadlessGl;
import dev.backdrop.config.Pipeline;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.compose.BackgroundFile;
import dev.backdrop.config.Settings;
import dev.backdrop.output.FrameSink;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.MaskPredictor;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one place a run is wired, the same for every job: opens the input and the model, makes the
 * sinks, sizes the ring and its stages (segment, compose, output) for the input, runs capture on
 * its own thread until the outputs are finalised, and stops every thread it started. A job
 * chooses only what differs: the drop policy, pacing, the sinks and how it reports.
 *
 * <p>A failure in a stage does not throw from {@link #run()}: frames already processed are still
 * written and the outputs finalised, and the job finds the failure in its {@link PipelineStatus}.
 * A failure while setting up throws, after closing whatever sinks were made.
 */
public final class PipelineAssembly {

    /** From the start of capture to the moment the stages were stopped, in System.nanoTime(). */
    public record Span(long startNanos, long endNanos) {
        public double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private final Settings settings;
    private final Path home;
    private Function<PixelLayout, VideoSource> source;
    private DropPolicy policy = DropPolicy.KEEP_ALL;
    private boolean paceToTimestamps;
    /** Seconds a lost input is waited for (0 = for ever); negative: its end or failure ends the run. */
    private double reopenLostInput = -1;
    private Function<VideoWriter.Format, List<FrameSink>> sinks = format -> List.of();
    private Function<VideoWriter.Format, FrameSink> maskSink;
    private LiveControls controls;
    private RunMonitor monitor;
    private UnaryOperator<MaskPredictor> modelWrapper = UnaryOperator.identity();

    private PipelineAssembly(Settings settings, Path home) {
        this.settings = settings;
        this.home = home;
    }

    /**
     * settings: the model, the compositing, the ring's size and the outputs' quality; home: the
     * folder holding models/ and shaders/.
     */
    public static PipelineAssembly builder(Settings settings, Path home) {
        return new PipelineAssembly(settings, home);
    }

    /** Opens the input in the layout asked for ({@link #ringLayout}); called once the run starts. */
    public PipelineAssembly source(Function<PixelLayout, VideoSource> open) {
        this.source = open;
        return this;
    }

    /** KEEP_ALL (the default) for files; KEEP_NEWEST live, where capture also waits for warm stages. */
    public PipelineAssembly dropPolicy(DropPolicy dropPolicy) {
        this.policy = dropPolicy;
        return this;
    }

    /** Plays an input that is not a camera at its own rate, as if it were one. */
    public PipelineAssembly pacedToTimestamps(boolean paced) {
        this.paceToTimestamps = paced;
        return this;
    }

    /**
     * Live cameras and streams: when the input fails or ends, the outputs keep showing its last frame
     * while it is reopened (see {@link InputRecovery}); the run fails when it has been gone for
     * timeoutSeconds (0 = it is waited for until the run is stopped).
     */
    public PipelineAssembly reopenLostInput(double timeoutSeconds) {
        this.reopenLostInput = timeoutSeconds;
        return this;
    }

    /** Makes the sinks once the input's size and rate are known (the output format). */
    public PipelineAssembly sinks(Function<VideoWriter.Format, List<FrameSink>> make) {
        this.sinks = make;
        return this;
    }

    /** Also writes each frame's refined mask to the sink this makes (for --debug-mask). */
    public PipelineAssembly maskSink(Function<VideoWriter.Format, FrameSink> make) {
        this.maskSink = make;
        return this;
    }

    /** Settings the compose and segment stages follow while frames flow; null for none. */
    public PipelineAssembly controlledBy(LiveControls liveControls) {
        this.controls = liveControls;
        return this;
    }

    /** Wraps the model the segment stage runs: for tests that make a real model fail or stall. */
    PipelineAssembly wrappingModels(UnaryOperator<MaskPredictor> wrapper) {
        this.modelWrapper = wrapper;
        return this;
    }

    public PipelineAssembly monitor(RunMonitor runMonitor) {
        this.monitor = runMonitor;
        return this;
    }

    /** Runs until the input ends or the monitor's status is stopped; every output is finalised on return. */
    public Span run() throws InterruptedException {
        // Opened first, so that a bad background file is reported before any output exists.
        BackgroundFile background = controls != null ? controls.state().background()
                : BackgroundFile.of(settings.compose().background());
        List<FrameSink> made = new ArrayList<>();
        // The model (TensorFlow's natives, the graph, its first run: most of start-up) loads while the input opens.
        CompletableFuture<SegmentationModel> loading = CompletableFuture.supplyAsync(
                () -> StageFactory.loadModel(settings, home), PipelineAssembly::modelLoaderThread);
        PixelLayout layout = ringLayout(settings);
        VideoSource opened;
        try {
            opened = source.apply(layout);
            if (layout == PixelLayout.I420 && !PixelLayout.fitsI420(opened.width(), opened.height())) {
                opened.close(); // odd sizes have no whole chroma planes: the RGBA ring takes them
                layout = PixelLayout.RGBA;
                opened = source.apply(layout);
            }
        } catch (RuntimeException | Error e) {
            loading.thenAccept(SegmentationModel::close); // the input's failure is the one to report
            throw e;
        }
        SegmentationModel loaded;
        try {
            loaded = join(loading);
        } catch (RuntimeException | Error e) {
            opened.close();
            throw e;
        }
        try (VideoSource input = opened;
             SegmentationModel model = loaded) {
            monitor.opened(input, model);
            VideoWriter.Format format = StageFactory.outputFormat(input, settings);
            List<FrameSink> outputs = sinks.apply(format);
            made.addAll(outputs);
            FrameSink masks = maskSink != null ? maskSink.apply(format) : null;
            if (masks != null) {
                made.add(masks);
            }
            FrameGeometry geometry = geometry(input, model).in(layout);
            Readback readback = Readback.forSinks(outputs, geometry);
            if (controls != null) {
                controls.modelLoader(next -> loadLike(geometry, next));
            }
            PipelineStatus status = monitor.status();
            StageTimes times = monitor.times();
            FramePipeline pipeline = new FramePipeline(geometry, settings.pipeline().ringSize(), status,
                    new SegmentStage(model, geometry, status, times, policy, settings.segmentation().inferenceRate())
                            .bounded(policy == DropPolicy.KEEP_NEWEST ? settings.segmentation().maskDeadlineMs() : 0)
                            .controlledBy(controls).wrappingModels(modelWrapper),
                    new ComposeStage(geometry, settings.compose(), StageFactory.shaderDir(home), status, times, policy,
                            masks != null).background(background).controlledBy(controls).readingBack(readback)
                            .compositingOn(settings.pipeline().compositor()),
                    new OutputStage(outputs, masks, readback, status, times, monitor.latency()));
            return flow(input, pipeline, geometry.layout());
        } catch (RuntimeException | Error e) {
            closeQuietly(made);
            throw e;
        }
    }

    /** A model a live change asks for, loaded and warmed up at this run's frame size. */
    private SegmentationModel loadLike(FrameGeometry geometry, Settings next) {
        SegmentationModel m = StageFactory.loadModel(next, home);
        try {
            SegmentStage.warmUp(m, geometry);
            return m;
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }

    private static void modelLoaderThread(Runnable load) {
        Thread thread = new Thread(load, "model loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The loaded model, or the loader's own exception as it was thrown. */
    private static SegmentationModel join(CompletableFuture<SegmentationModel> loading) {
        try {
            return loading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * The layout frames travel the ring in: I420, the decoder's own, where compositing will run on
     * the CPU without a GL (pipeline.compositor cpu, or auto on a machine without a GPU), so no
     * colour is converted between the decoder and the encoders; RGBA, which the GL uploads as it is,
     * everywhere else, and for a transparent background (I420 has no alpha). Decided before the
     * input opens, since the decoder converts to it.
     */
    static PixelLayout ringLayout(Settings settings) {
        Pipeline.Compositing where = settings.pipeline().compositor();
        boolean cpu = where == Pipeline.Compositing.CPU
                || where == Pipeline.Compositing.AUTO && !HeadlessGl.gpuPresent();
        return cpu && !settings.compose().background().transparent() ? PixelLayout.I420 : PixelLayout.RGBA;
    }

    /** The input's frame size and the mask size the model predicts for it. */
    private static FrameGeometry geometry(VideoSource input, SegmentationModel model) {
        int width = input.width();
        int height = input.height();
        return new FrameGeometry(width, height, model.maskWidth(width, height), model.maskHeight(width, height));
    }

    /**
     * Two seconds into the run, when the model has run on real frames, TensorFlow's load-time library
     * pages are dropped from the resident set (about 190 MB at 720p), off the pipeline's threads so
     * that neither start-up nor a frame waits for it.
     */
    private static void releaseLoadTimePagesSoon() {
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(2000);
                SegmentationModel.releaseLoadTimePages();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "release load-time pages");
        release.setDaemon(true);
        release.start();
    }

    private Span flow(VideoSource input, FramePipeline pipeline, PixelLayout layout) throws InterruptedException {
        PipelineStatus status = monitor.status();
        FrameRing ring = pipeline.start();
        if (policy == DropPolicy.KEEP_NEWEST) {
            // Live frames captured while the model and shaders warm up would only queue behind it or be
            // dropped; a file's frames are all kept, so there capture fills the ring meanwhile.
            status.awaitStagesReady(60, TimeUnit.SECONDS);
        }
        releaseLoadTimePagesSoon();
        long start = System.nanoTime();
        monitor.capturing(start);
        InputRecovery recovery = reopenLostInput >= 0 ? new InputRecovery(() -> source.apply(layout), reopenLostInput) : null;
        Thread capture = new Thread(new CaptureLoop(input, ring, status, monitor.times(), policy, paceToTimestamps,
                recovery), "capture");
        capture.start();
        try {
            while (!status.awaitFinished(monitor.pollMillis(), TimeUnit.MILLISECONDS)) {
                monitor.poll(input, System.nanoTime());
            }
        } finally {
            status.stop();
            capture.join();
            if (controls != null) {
                controls.modelLoader(null); // a change from now on has no pipeline to take its model
            }
            monitor.times().snapshotCpu();
            pipeline.halt();
        }
        return new Span(start, System.nanoTime());
    }

    /** Closing is idempotent: the output stage may have closed them already. */
    private static void closeQuietly(List<FrameSink> sinks) {
        for (FrameSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the first failure is the one to report
            }
        }
    }
}
