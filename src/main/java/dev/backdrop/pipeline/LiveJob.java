package dev.backdrop.pipeline;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.Settings;
import dev.backdrop.output.FrameSink;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.MaskPredictor;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backdrop live}: a camera (or any input played at its own pace) through the pipeline to
 * any number of outputs at once, with the newest frame always winning: no stage ever works
 * through a backlog, and latency and drops are reported every few seconds and at the end.
 */
public final class LiveJob {

    private static final Logger LOG = LoggerFactory.getLogger(LiveJob.class);

    /** The run's figures: frames written, frames dropped, latency percentiles in milliseconds. */
    public record Summary(long frames, long dropped, double seconds, double latencyP50, double latencyP99) {
        public double fps() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    /**
     * Where frames come from: opened once the job starts, so a bad device fails before any output
     * exists, in the layout the ring takes ({@link PipelineAssembly#ringLayout}). live: a camera or a network
     * stream, which when it fails or ends is reopened while the outputs show its last frame (a file or
     * a generated input ends the run there).
     */
    public record Input(String description, boolean paceToTimestamps, boolean live,
                        Function<PixelLayout, VideoSource> open) {
    }

    /** Default of {@link #inputTimeout}: long enough to plug a camera back in or restart a sender. */
    public static final double DEFAULT_INPUT_TIMEOUT_SECONDS = 30;

    private final Input input;
    private final Settings settings;
    private final Path home;
    private final Function<VideoWriter.Format, List<FrameSink>> outputs;
    private final double maxSeconds;
    private final double reportSeconds;
    private final PipelineStatus status = new PipelineStatus();
    private LiveControls controls;
    private UnaryOperator<MaskPredictor> modelWrapper = UnaryOperator.identity();
    private double inputTimeout = DEFAULT_INPUT_TIMEOUT_SECONDS;
    private volatile Reports reports;

    /**
     * @param outputs makes the sinks once the input's size and rate are known
     * @param maxSeconds stop after this long; 0 = until the input ends or stop() is called
     */
    public LiveJob(Input input, Settings settings, Path home, Function<VideoWriter.Format, List<FrameSink>> outputs,
                   double maxSeconds, double reportSeconds) {
        this.input = input;
        this.settings = settings;
        this.home = home;
        this.outputs = outputs;
        this.maxSeconds = maxSeconds;
        this.reportSeconds = reportSeconds;
    }

    public void stop() {
        status.stop();
    }

    /** Settings the run follows while frames flow (hotkeys, control page, signals); call before run(). */
    public void controlledBy(LiveControls liveControls) {
        this.controls = liveControls;
    }

    /** A live input gone this long ends the run (an input error); 0 = it is waited for until stopped. */
    public void inputTimeout(double seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("--input-timeout must be 0 (wait for ever) or more seconds, not "
                    + seconds);
        }
        this.inputTimeout = seconds;
    }

    /** Wraps the model the run uses: for tests that make a real model fail or stall. */
    void wrappingModels(UnaryOperator<MaskPredictor> wrapper) {
        this.modelWrapper = wrapper;
    }

    /** The run's figures so far, for the control page. */
    public record Stats(double fps, double latencyP50, double latencyP99, long frames, long dropped,
                        double inferenceMillis) {
    }

    /** One line for the window's stats view: fps, latency, inference time, drops so far. */
    public String statsLine() {
        Stats s = stats();
        return s == null ? "starting" : String.format("%.1f fps, latency p50 %.0f ms p99 %.0f ms, inference %.1f ms,"
                + " dropped %d", s.fps(), s.latencyP50(), s.latencyP99(), s.inferenceMillis(), s.dropped());
    }

    /** Frames, fps since capture began, latency, inference time and drops so far; null before the run starts. */
    public Stats stats() {
        Reports r = reports;
        return r == null ? null : r.stats();
    }

    public Summary run() throws InterruptedException {
        Reports monitor = new Reports();
        reports = monitor;
        if (settings.compose().background().transparent()) {
            throw new IllegalArgumentException("a transparent background is for `backdrop process` (.webm, .mov or PNG"
                    + " output): live outputs (window, stream, virtual camera) carry no alpha");
        }
        PipelineAssembly assembly = PipelineAssembly.builder(settings, home)
                .source(input.open())
                .dropPolicy(DropPolicy.KEEP_NEWEST)
                .pacedToTimestamps(input.paceToTimestamps())
                .sinks(outputs)
                .controlledBy(controls)
                .wrappingModels(modelWrapper)
                .monitor(monitor);
        if (input.live()) {
            assembly.reopenLostInput(inputTimeout);
        }
        PipelineAssembly.Span span = assembly.run();
        if (status.failure() != null) {
            LOG.warn("stopped after {} frames; every output is finalised", status.framesWritten());
            status.throwIfFailed();
        }
        LOG.info("per stage: {}", monitor.times());
        LatencyStats latency = monitor.latency();
        return new Summary(status.framesWritten(), status.framesDropped(), span.seconds(),
                latency.totalPercentile(0.5), latency.totalPercentile(0.99));
    }

    /**
     * Every reportSeconds a line of the interval's fps, latency and drops; stops the run after
     * maxSeconds of capture.
     */
    private final class Reports extends RunMonitor {
        /** The run's start, then capture's: what the stats line's fps counts from. */
        private volatile long start = System.nanoTime();
        private long nextReport;
        private long lastFrames;
        private long lastDropped;

        Reports() {
            super(status, 100);
        }

        @Override
        protected void opened(VideoSource source, SegmentationModel model) {
            LOG.info("live from {}: {}x{} at {} fps; model {}", input.description(), source.width(), source.height(),
                    String.format("%.2f", source.frameRate()), model.description());
        }

        @Override
        protected void capturing(long nanos) {
            start = nanos;
            nextReport = nanos + (long) (reportSeconds * 1e9);
            LOG.info("capturing");
        }

        @Override
        protected void poll(VideoSource source, long now) {
            if (maxSeconds > 0 && now - start >= maxSeconds * 1e9) {
                status.stop();
            }
            if (now >= nextReport) {
                long frames = status.framesWritten();
                long dropped = status.framesDropped();
                LatencyStats latency = latency();
                LOG.info(String.format("%.1f fps, latency p50 %.1f ms p99 %.1f ms, dropped %d",
                        (frames - lastFrames) / reportSeconds, latency.intervalPercentile(0.5),
                        latency.intervalPercentile(0.99), dropped - lastDropped));
                latency.resetInterval();
                lastFrames = frames;
                lastDropped = dropped;
                nextReport = now + (long) (reportSeconds * 1e9);
            }
        }

        Stats stats() {
            double seconds = (System.nanoTime() - start) / 1e9;
            LatencyStats l = latency();
            long frames = status.framesWritten();
            return new Stats(seconds > 0 ? frames / seconds : 0, l.totalPercentile(0.5), l.totalPercentile(0.99),
                    frames, status.framesDropped(), times().inference.meanMillis());
        }
    }
}
