package dev.backdrop.pipeline;

import dev.backdrop.capture.CaptureLoop;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.compose.ComposeSettings;
import dev.backdrop.config.Settings;
import dev.backdrop.output.Encoding;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        StageTimes times = new StageTimes();
        ComposeSettings compose = StageFactory.composeSettings(settings);
        try (VideoSource source = VideoSource.open(input, FrameSlot.LAYOUT);
             SegmentationModel model = StageFactory.loadModel(settings, home)) {
            LOG.info("input {}: {}x{} at {} fps{}", input, source.width(), source.height(),
                    String.format("%.3f", source.frameRate()), source.hasAudio() ? ", with audio" : "");
            LOG.info("model {}", model.description());
            FrameGeometry geometry = new FrameGeometry(source.width(), source.height(),
                    model.maskWidth(source.width(), source.height()), model.maskHeight(source.width(), source.height()));
            VideoWriter.Format format = StageFactory.outputFormat(source, settings);
            // A transparent background needs a codec with alpha; everything else is H.264.
            VideoWriter writer = VideoWriter.open(output.toString(), format, compose.transparent()
                    ? Encoding.withAlpha(output.toString(), settings.crf())
                    : Encoding.x264File(output.toString(), settings.preset(), settings.crf()));
            VideoWriter maskWriter = null;
            if (maskOutput != null) {
                try {
                    maskWriter = VideoWriter.open(maskOutput, new VideoWriter.Format(source.width(), source.height(),
                            source.frameRate(), 0, 0, 0, settings.preset(), settings.crf()));
                } catch (RuntimeException e) {
                    writer.close();
                    throw e;
                }
            }
            Readback readback = Readback.forSinks(List.of(writer), geometry);
            FramePipeline pipeline = new FramePipeline(geometry, settings.ringSize(), status,
                    new SegmentStage(model, geometry, status, times, DropPolicy.KEEP_ALL),
                    new ComposeStage(geometry, compose, StageFactory.shaderDir(home), status, times, DropPolicy.KEEP_ALL, maskWriter != null)
                            .readingBack(readback),
                    new OutputStage(List.of(writer), maskWriter, readback, status, times, new LatencyStats()));
            Thread capture = new Thread(new CaptureLoop(source, pipeline.start(), status, times), "capture");
            capture.start();
            try {
                while (!status.awaitFinished(500, TimeUnit.MILLISECONDS)) {
                    progress.onProgress(status.framesWritten(), source.lengthInFrames(), System.nanoTime() - start);
                }
            } finally {
                status.stop();
                capture.join();
                times.snapshotCpu();
                pipeline.halt();
            }
        }
        if (status.failure() != null) {
            LOG.warn("stopped after {} frames; {} is finalised and playable", status.framesWritten(), output);
            status.throwIfFailed();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("per stage: {}", times);
        long first = status.firstWrittenNanos();
        double startup = first != 0 ? (first - start) / 1e9 : seconds;
        return new Summary(status.framesWritten(), seconds, startup, times, stopRequested);
    }


}
