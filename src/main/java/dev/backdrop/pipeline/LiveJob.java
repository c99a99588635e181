package dev.backdrop.pipeline;

import dev.backdrop.capture.CaptureLoop;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.compose.ComposeSettings;
import dev.backdrop.config.Settings;
import dev.backdrop.output.FrameSink;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
     * exists, in the layout the ring takes ({@link FrameSlot#LAYOUT}).
     */
    public record Input(String description, boolean paceToTimestamps, Function<PixelLayout, VideoSource> open) {
    }

    private final Input input;
    private final Settings settings;
    private final Path home;
    private final Function<VideoWriter.Format, List<FrameSink>> outputs;
    private final double maxSeconds;
    private final double reportSeconds;
    private final PipelineStatus status = new PipelineStatus();
    private LiveControls controls;
    private volatile StageTimes runTimes;
    private volatile LatencyStats runLatency;
    private volatile long runStart;

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

    /** Hotkey state the compose stage follows (the live window sets it); call before run(). */
    public void controlledBy(LiveControls liveControls) {
        this.controls = liveControls;
    }

    /** One line for the window's stats view: fps, latency, inference time, drops so far. */
    public String statsLine() {
        StageTimes t = runTimes;
        LatencyStats l = runLatency;
        if (t == null || l == null) {
            return "starting";
        }
        double seconds = (System.nanoTime() - runStart) / 1e9;
        return String.format("%.1f fps, latency p50 %.0f ms p99 %.0f ms, inference %.1f ms, dropped %d",
                status.framesWritten() / seconds, l.totalPercentile(0.5), l.totalPercentile(0.99),
                t.inference.meanMillis(), status.framesDropped());
    }

    public Summary run() throws InterruptedException {
        StageTimes times = new StageTimes();
        LatencyStats latency = new LatencyStats();
        runTimes = times;
        runLatency = latency;
        runStart = System.nanoTime();
        ComposeSettings compose = StageFactory.composeSettings(settings);
        if (compose.transparent()) {
            throw new IllegalArgumentException("a transparent background is for `backdrop process` (.webm, .mov or PNG"
                    + " output): live outputs (window, stream, virtual camera) carry no alpha");
        }
        List<FrameSink> sinks = new ArrayList<>();
        try (VideoSource source = input.open().apply(FrameSlot.LAYOUT);
             SegmentationModel model = StageFactory.loadModel(settings, home)) {
            LOG.info("live from {}: {}x{} at {} fps; model {}", input.description(), source.width(), source.height(),
                    String.format("%.2f", source.frameRate()), model.description());
            sinks.addAll(outputs.apply(StageFactory.outputFormat(source, settings)));
            FrameGeometry geometry = new FrameGeometry(source.width(), source.height(),
                    model.maskWidth(source.width(), source.height()), model.maskHeight(source.width(), source.height()));
            Readback readback = Readback.forSinks(sinks, geometry);
            FramePipeline pipeline = new FramePipeline(geometry, settings.ringSize(), status,
                    new SegmentStage(model, geometry, status, times, DropPolicy.KEEP_NEWEST),
                    new ComposeStage(geometry, compose,
                            StageFactory.shaderDir(home), status, times, DropPolicy.KEEP_NEWEST, false).controlledBy(controls)
                            .readingBack(readback),
                    new OutputStage(sinks, null, readback, status, times, latency));
            FrameRing ring = pipeline.start();
            status.awaitStagesReady(60, TimeUnit.SECONDS);
            long start = System.nanoTime();
            runStart = start;
            LOG.info("capturing");
            Thread capture = new Thread(new CaptureLoop(source, ring, status, times,
                    DropPolicy.KEEP_NEWEST, input.paceToTimestamps()), "capture");
            capture.start();
            long nextReport = start + (long) (reportSeconds * 1e9);
            long lastFrames = 0;
            long lastDropped = 0;
            try {
                while (!status.awaitFinished(100, TimeUnit.MILLISECONDS)) {
                    long now = System.nanoTime();
                    if (maxSeconds > 0 && now - start >= maxSeconds * 1e9) {
                        status.stop();
                    }
                    if (now >= nextReport) {
                        long frames = status.framesWritten();
                        long dropped = status.framesDropped();
                        LOG.info(String.format("%.1f fps, latency p50 %.1f ms p99 %.1f ms, dropped %d",
                                (frames - lastFrames) / reportSeconds, latency.intervalPercentile(0.5),
                                latency.intervalPercentile(0.99), dropped - lastDropped));
                        latency.resetInterval();
                        lastFrames = frames;
                        lastDropped = dropped;
                        nextReport = now + (long) (reportSeconds * 1e9);
                    }
                }
            } finally {
                status.stop();
                capture.join();
                times.snapshotCpu();
                pipeline.halt();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (status.failure() != null) {
                LOG.warn("stopped after {} frames; every output is finalised", status.framesWritten());
                status.throwIfFailed();
            }
            LOG.info("per stage: {}", times);
            return new Summary(status.framesWritten(), status.framesDropped(), seconds,
                    latency.totalPercentile(0.5), latency.totalPercentile(0.99));
        } catch (RuntimeException | Error e) {
            for (FrameSink sink : sinks) {
                try {
                    sink.close(); // idempotent: the output stage may have closed them already
                } catch (RuntimeException ignored) {
                    // the first failure is the one to report
                }
            }
            throw e;
        }
    }
}
