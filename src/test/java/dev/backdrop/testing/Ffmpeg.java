package dev.backdrop.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/** The ffmpeg program that ships with JavaCV, started as a separate process (e.g. a stream reader). */
public final class Ffmpeg {

    private Ffmpeg() {
    }

    public static Process start(Path log, String... args) throws IOException {
        Path binary = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LD_LIBRARY_PATH", binary.getParent().toString());
        return pb.start();
    }
}
