package dev.backdrop.pipeline;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.Settings;
import dev.backdrop.output.Encoding;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backdrop process}: one input file through capture, segmentation, compositing and
 * encoding, every frame in order. Everything native it opens it also closes.
 */
public final class ProcessJob {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessJob.class);

    /** Told about progress about twice a second while the job runs. */
    public interface ProgressListener {
        void onProgress(long framesWritten, long framesExpected, long elapsedNanos);
    }

    /**
     * The result of a finished run.
     *
     * @param seconds        the whole run, start-up included
     * @param startupSeconds from the start to the first frame written: opening the input and output,
     *                       loading the model, setting up the GL, and the first frame's own way through
     */
    public record Summary(long frames, double seconds, double startupSeconds, StageTimes stageTimes, boolean stoppedEarly) {
        public double fps() {
            return seconds > 0 ? frames / seconds : 0;
        }

        /** Frames per second once the first was written: the rate a longer input approaches. */
        public double fpsAfterStartup() {
            double after = seconds - startupSeconds;
            return frames > 1 && after > 0 ? (frames - 1) / after : 0;
        }
    }

    private final String input;
    private final Path output;
    private final Settings settings;
    private final Path home;
    private final PipelineStatus status = new PipelineStatus();
    private volatile boolean stopRequested;
    private Path maskOutput;

    /** home: the folder holding models/ and shaders/ (the project or install root). */
    public ProcessJob(String input, Path output, Settings settings, Path home) {
        this.input = input;
        this.output = output;
        this.settings = settings;
        this.home = home;
    }

    /** Also writes the refined mask of every frame as a grey video (H.264) to this file. */
    public void writeMaskTo(Path file) {
        this.maskOutput = file;
    }

    /** Asks the job to stop reading input; what was read is still written and the file finalised. */
    public void stop() {
        stopRequested = true;
        status.stop();
    }

    /** Runs to the end of the input; throws the first failure after the output is finalised. */
    public Summary run(ProgressListener progress) throws InterruptedException {
        long start = System.nanoTime();
        Progress monitor = new Progress(progress, start);
        PipelineAssembly.builder(settings, home)
                .source(layout -> VideoSource.open(input, layout))
                .dropPolicy(DropPolicy.KEEP_ALL)
                .sinks(format -> List.of(openOutput(format, settings.compose().background().transparent())))
                .maskSink(maskOutput != null ? this::openMaskOutput : null)
                .monitor(monitor)
                .run();
        if (status.failure() != null) {
            LOG.warn("stopped after {} frames; {} is finalised and playable", status.framesWritten(), output);
            status.throwIfFailed();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("per stage: {}", monitor.times());
        long first = status.firstWrittenNanos();
        double startup = first != 0 ? (first - start) / 1e9 : seconds;
        return new Summary(status.framesWritten(), seconds, startup, monitor.times(), stopRequested);
    }

    /** A transparent background needs a codec with alpha; everything else is H.264. */
    private VideoWriter openOutput(VideoWriter.Format format, boolean transparent) {
        return VideoWriter.open(output.toString(), format, transparent
                ? Encoding.withAlpha(output.toString(), settings.output().crf())
                : Encoding.x264File(output.toString(), settings.output().preset(), settings.output().crf()));
    }

    /** The mask video: the output's size, rate and quality, without audio. */
    private VideoWriter openMaskOutput(VideoWriter.Format format) {
        return VideoWriter.open(maskOutput, new VideoWriter.Format(format.width(), format.height(),
                format.frameRate(), 0, 0, 0, format.preset(), format.crf()));
    }

    /** Logs the input and model, and tells the listener the progress about twice a second. */
    private final class Progress extends RunMonitor {
        private final ProgressListener listener;
        private final long start;

        Progress(ProgressListener listener, long start) {
            super(status, 500);
            this.listener = listener;
            this.start = start;
        }

        @Override
        protected void opened(VideoSource source, SegmentationModel model) {
            LOG.info("input {}: {}x{} at {} fps{}", input, source.width(), source.height(),
                    String.format("%.3f", source.frameRate()), source.hasAudio() ? ", with audio" : "");
            LOG.info("model {}", model.description());
        }

        @Override
        protected void poll(VideoSource source, long nanos) {
            listener.onProgress(status.framesWritten(), source.lengthInFrames(), nanos - start);
        }
    }
}
