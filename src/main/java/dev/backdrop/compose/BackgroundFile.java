package dev.backdrop.compose;

import dev.backdrop.config.Background;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file of compose.background, opened once when a job starts so that a bad file is reported
 * before any output exists: an image (decoded here) or a video (checked here, played by
 * {@link VideoBackground}).
 */
public sealed interface BackgroundFile {

    /** An image, decoded. */
    record Image(BackgroundImage pixels) implements BackgroundFile {
    }

    /** A video that FFmpeg opens. */
    record Video(Path file) implements BackgroundFile {
    }

    /** The file these settings name, opened; null when they name none. */
    static BackgroundFile of(Background settings) {
        return settings.hasFile() && !settings.transparent() ? open(Path.of(settings.file())) : null;
    }

    /** Throws IllegalArgumentException naming the file when it is neither an image nor a video. */
    static BackgroundFile open(Path file) {
        if (BackgroundVideo.hasVideoExtension(file)) {
            BackgroundVideo.check(file);
            return new Video(file);
        }
        try {
            return new Image(BackgroundImage.load(file));
        } catch (IllegalArgumentException notAnImage) {
            if (!Files.isRegularFile(file)) {
                throw notAnImage;
            }
            try { // not an image OpenCV reads: perhaps a video in a container without a known extension
                BackgroundVideo.check(file);
                return new Video(file);
            } catch (IllegalArgumentException notAVideo) {
                throw new IllegalArgumentException("background " + file.toAbsolutePath()
                        + " is neither an image OpenCV can decode nor a video FFmpeg can open", notAVideo);
            }
        }
    }
}
