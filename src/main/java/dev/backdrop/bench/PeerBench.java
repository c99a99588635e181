package dev.backdrop.bench;

import dev.backdrop.ffmpeg.FfmpegProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code backdrop bench --peers}: the peer benchmark (bench/peer, Node and headless Chromium) on the clip
 * Backdrop was just measured on, at the same size, with the same FFmpeg extracting the frames. It is a
 * source-checkout tool: where Node, Chromium or its node_modules are missing, {@link #unavailable} says so.
 */
public final class PeerBench {

    /** Timed frames per peer (after 10 warm-up): a steady rate, and not minutes at the WebGL peer's 3 fps. */
    public static final int FRAMES = 100;

    private final Path dir;
    private final Path log;

    public PeerBench(Path home, Path workDir) {
        this.dir = home.resolve("bench/peer");
        this.log = workDir.resolve("peers.log");
    }

    /** Why the peers cannot run here, or null when they can. */
    public String unavailable() {
        if (!Files.isRegularFile(dir.resolve("run.sh"))) {
            return dir + " is missing (it is in a source checkout, not in the package)";
        }
        if (!onPath("node")) {
            return "node is not installed (Node 18+)";
        }
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            return "chromium is not installed at " + chromium + " (apt-get install chromium)";
        }
        for (String module : List.of("playwright-core", "flatbuffers", "@mediapipe/tasks-vision",
                "@mediapipe/selfie_segmentation")) {
            if (!Files.isDirectory(dir.resolve("node_modules").resolve(module))) {
                return "bench/peer's node_modules are missing (run npm ci in bench/peer)";
            }
        }
        return null;
    }

    /**
     * Runs the peer ("webgl", "tasks-cpu" or "all") on the clip scaled to size (WxH): one result per peer.
     * extra: more arguments for run.js (e.g. --warmup 2, --sample FILE).
     */
    public List<PeerResult> run(Path clip, String size, int frames, String peer, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(dir.resolve("run.sh").toString(), "--peer", peer,
                "--clip", clip.toString(), "--size", size, "--frames", Integer.toString(frames),
                "--ffmpeg", FfmpegProgram.binary().toString()));
        command.addAll(List.of(extra));
        // Chromium's and MediaPipe's logs go to a file; the results are JSON lines on stdout.
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            List<String> lines = Files.readAllLines(log);
            throw new IOException("the peer benchmark failed (" + log + "): "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        return out.strip().lines().map(PeerResult::parse).toList();
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
