package dev.backdrop.pipeline;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.compose.BackgroundImage;
import dev.backdrop.compose.BackgroundVideo;
import dev.backdrop.compose.ComposeSettings;
import dev.backdrop.config.ComposeOptions;
import dev.backdrop.config.Settings;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.segment.AspectMode;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Turns {@link Settings} into the model and compositor settings, the same way for every command. */
public final class StageFactory {

    private StageFactory() {
    }

    /** Loads the configured model; home holds models/. */
    public static SegmentationModel loadModel(Settings settings, Path home) {
        return SegmentationModel.load(settings.model(), home.resolve("models"), modelOptions(settings));
    }

    /**
     * Threads 0 means auto: half the cores for TensorFlow's ops (at least 1) and 1 across ops, since
     * the other stages run in parallel; TensorFlow's own default (all cores, spinning) starves them.
     */
    public static ModelOptions modelOptions(Settings settings) {
        int cores = Runtime.getRuntime().availableProcessors();
        int intra = settings.intraOpThreads() > 0 ? settings.intraOpThreads() : Math.max(1, cores / 2);
        int inter = settings.interOpThreads() > 0 ? settings.interOpThreads() : 1;
        return new ModelOptions(intra, inter,
                AspectMode.parse(settings.aspect(), "segmentation.aspect"), settings.downsampleRatio(),
                settings.modelLimits());
    }

    /**
     * The compositor's settings, with the background image loaded when one is configured, or the
     * background video checked (it is opened by the compositor).
     */
    public static ComposeSettings composeSettings(Settings settings) {
        BackgroundImage image = null;
        Path video = null;
        if (settings.replacesBackground()) {
            Path file = Path.of(settings.background());
            if (BackgroundVideo.hasVideoExtension(file)) {
                BackgroundVideo.check(file);
                video = file;
            } else {
                try {
                    image = BackgroundImage.load(file);
                } catch (IllegalArgumentException notAnImage) {
                    if (!Files.isRegularFile(file)) {
                        throw notAnImage;
                    }
                    try { // not an image OpenCV reads: perhaps a video in a container without a known extension
                        BackgroundVideo.check(file);
                        video = file;
                    } catch (IllegalArgumentException notAVideo) {
                        throw new IllegalArgumentException("background " + file.toAbsolutePath()
                                + " is neither an image OpenCV can decode nor a video FFmpeg can open", notAVideo);
                    }
                }
            }
        }
        ComposeOptions o = settings.composeOptions();
        return new ComposeSettings((float) settings.blur(), (float) settings.blurScale(), image,
                ComposeSettings.Fit.valueOf(o.backgroundFit().toUpperCase(Locale.ROOT)), o.solidColour(),
                (float) o.guideSigmaSpace(), (float) o.guideSigmaColour(), (float) o.temporalWeight(),
                (float) o.motionThreshold(), (float) o.edgeLow(), (float) o.edgeHigh(), (float) o.feather(),
                ComposeSettings.FeatherDirection.valueOf(o.featherDirection().toUpperCase(Locale.ROOT)), video,
                o.transparent(), (float) o.lightWrap());
    }

    /** What the outputs write: the input's size, rate and audio, with the configured x264 quality. */
    public static VideoWriter.Format outputFormat(VideoSource source, Settings settings) {
        return new VideoWriter.Format(source.width(), source.height(), source.frameRate(), source.audioChannels(),
                source.sampleRate(), source.audioBitrate(), settings.preset(), settings.crf());
    }

    /** home/shaders when it exists, else null: the copies on the classpath. */
    public static Path shaderDir(Path home) {
        Path dir = home.resolve("shaders");
        return Files.isDirectory(dir) ? dir : null;
    }
}
