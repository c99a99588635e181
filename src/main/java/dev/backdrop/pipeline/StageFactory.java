package dev.backdrop.pipeline;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.Segmentation;
import dev.backdrop.config.Settings;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns {@link Settings} into the model and the output format, the same way for every command. */
public final class StageFactory {

    private StageFactory() {
    }

    /** Loads the configured model; home holds models/. */
    public static SegmentationModel loadModel(Settings settings, Path home) {
        return SegmentationModel.load(settings.segmentation().model(), home.resolve("models"), modelOptions(settings));
    }

    /**
     * Threads 0 means auto: half the cores for TensorFlow's ops (at least 1) and 1 across ops, since
     * the other stages run in parallel; TensorFlow's own default (all cores, spinning) starves them.
     */
    public static ModelOptions modelOptions(Settings settings) {
        Segmentation s = settings.segmentation();
        int cores = Runtime.getRuntime().availableProcessors();
        int intra = s.intraOpThreads() > 0 ? s.intraOpThreads() : Math.max(1, cores / 2);
        int inter = s.interOpThreads() > 0 ? s.interOpThreads() : 1;
        return ModelOptions.builder().threads(intra, inter).aspect(s.aspect()).downsampleRatio(s.downsampleRatio())
                .encoderSide(s.encoderSide()).maxInputSide(s.maxInputSide()).averaging(s.averaging()).limits(s.limits())
                .build();
    }

    /** What the outputs write: the input's size, rate and audio, with the configured x264 quality. */
    public static VideoWriter.Format outputFormat(VideoSource source, Settings settings) {
        return new VideoWriter.Format(source.width(), source.height(), source.frameRate(), source.audioChannels(),
                source.sampleRate(), source.audioBitrate(), settings.output().preset(), settings.output().crf());
    }

    /** home/shaders when it exists, else null: the copies on the classpath. */
    public static Path shaderDir(Path home) {
        Path dir = home.resolve("shaders");
        return Files.isDirectory(dir) ? dir : null;
    }
}
