package dev.backdrop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

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

    /** Runs the ffmpeg program that ships inside JavaCV's FFmpeg natives. */
    public static void ffmpeg(String... args) throws IOException, InterruptedException {
        Path binary = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // the binary finds its shared libraries (libva, ...) beside itself
        pb.environment().put("LD_LIBRARY_PATH", binary.getParent().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg did not finish in time");
        assertEquals(0, p.exitValue(), "ffmpeg " + String.join(" ", args) + " failed: " + out);
    }
}
