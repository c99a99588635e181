package dev.backdrop.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/** The ffmpeg program that ships inside JavaCV's FFmpeg natives, for jobs that are easier as a command line. */
public final class FfmpegProgram {

    private FfmpegProgram() {
    }

    /** Starts ffmpeg with the given arguments (after -hide_banner -loglevel error -y), output to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        Path binary = binary();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        // the binary finds its shared libraries (libva, ...) beside itself
        pb.environment().put("LD_LIBRARY_PATH", binary.getParent().toString());
        return pb.start();
    }

    /**
     * The packaged build keeps the natives unpacked in one folder (named by backdrop.natives) instead of
     * in jars; from a checkout, JavaCPP extracts the program from its jar.
     */
    public static Path binary() {
        String natives = System.getProperty("backdrop.natives");
        if (natives != null && Files.isExecutable(Path.of(natives, "ffmpeg"))) {
            return Path.of(natives, "ffmpeg");
        }
        return Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }

    /** Runs ffmpeg to the end; throws with its output when it fails. */
    public static void run(String... args) throws IOException, InterruptedException {
        Process p = start(null, args);
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg " + String.join(" ", args) + " failed: " + out.strip());
        }
    }
}
