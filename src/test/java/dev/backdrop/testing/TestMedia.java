package dev.backdrop.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.capture.CaptureException;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.ffmpeg.FfmpegProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test media: the shared test data (skipped with a reason when absent) and FFmpeg's own binary. */
public final class TestMedia {

    public static final Path SHARED = Path.of("../shared/testdata");

    private TestMedia() {
    }

    /** A file under ../shared/testdata; the calling test is skipped, with the reason, if it is missing. */
    public static Path shared(String relative) {
        Path file = SHARED.resolve(relative);
        assumeTrue(Files.exists(file), "needs " + file + " (the shared test data; CI has it, a plain clone does not)");
        return file;
    }

    /** Runs the ffmpeg program that ships inside JavaCV's FFmpeg natives; fails the test if it fails. */
    public static void ffmpeg(String... args) throws IOException, InterruptedException {
        FfmpegProgram.run(args);
    }

    /**
     * Video frames that decode from the start of a file cut off mid-write (killed writer, full disk):
     * counted up to the end or the first damaged packet, each checked to have the expected size.
     */
    public static int decodableFrames(Path file, int width, int height) {
        int frames = 0;
        try (VideoSource source = VideoSource.open(file.toString())) {
            for (org.bytedeco.javacv.Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    if (f.imageWidth != width || f.imageHeight != height) {
                        throw new AssertionError(file + ": frame " + frames + " is " + f.imageWidth + "x" + f.imageHeight);
                    }
                    frames++;
                }
            }
        } catch (CaptureException cutOff) {
            // the damaged tail: the frames before it are what survived
        }
        return frames;
    }
}
