package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.testing.TestMedia;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backdrop process} in a JVM of its own when its output goes wrong: killed with SIGKILL,
 * the disk full (a file size limit), the reader of a pipe gone. What was written stays playable
 * and the error is one line.
 */
class ProcessFaultsTest {

    /** Ten minutes of input: longer than any of these runs lasts. */
    static final String LONG_INPUT = "lavfi:testsrc2=size=320x240:rate=30:duration=600";

    @TempDir
    static Path dir;

    /**
     * Runs once without limits first: a JVM that unpacks its native libraries (TensorFlow's are hundreds of
     * MB) under a file size limit would fail there, not at the output.
     */
    @BeforeAll
    static void nativesUnpacked() throws Exception {
        Path log = dir.resolve("warm.log");
        Process p = BackdropCli.start(log, "process", "lavfi:testsrc2=size=320x240:rate=30:duration=0.2",
                dir.resolve("warm.mp4").toString());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(log));
    }

    @Test
    void killDashNineLeavesAPlayableMp4() throws Exception {
        Path out = dir.resolve("killed.mp4");
        Path log = dir.resolve("killed.log");
        Process p = BackdropCli.start(log, "process", LONG_INPUT, out.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (size(out) < 100_000 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(p.isAlive(), "still running when killed: " + Files.readString(log));
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no index written at the end
            p.waitFor(10, TimeUnit.SECONDS);
        }
        int frames = TestMedia.decodableFrames(out, 320, 240);
        System.out.println("process killed with SIGKILL at " + size(out) + " bytes: " + frames + " frames decode");
        assertTrue(frames >= 30, "frames that survived kill -9: " + frames);
    }

    @Test
    void diskFullIsOneLineAndKeepsTheFramesWritten() throws Exception {
        Path out = dir.resolve("full.mp4");
        Path log = dir.resolve("full.log");
        // bash's ulimit -f counts KiB; HotSpot catches SIGXFSZ (it does not die of it), so the write past the
        // limit fails with EFBIG
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f 100 && exec \"$@\"", "bash"));
        command.addAll(BackdropCli.command("process", LONG_INPUT, out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "ended at the limit");
        String error = assertOneErrorLine(p, log, BackdropCli.OUTPUT, out.toString());
        assertTrue(error.contains("disk full / file too large") && error.contains("free some space"), error);
        int frames = TestMedia.decodableFrames(out, 320, 240);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("stopped after (\\d+) frames").matcher(Files.readString(log));
        assertTrue(m.find(), Files.readString(log));
        int written = Integer.parseInt(m.group(1));
        System.out.println("disk full at " + size(out) + " bytes: " + frames + " of " + written + " frames decode");
        assertEquals(100 * 1024, size(out), "written up to the limit");
        // a fragment every second: at most the last second (30 frames) and the encoder's lookahead are lost
        assertTrue(frames > 0 && frames >= written - 30 - 40, "frames that survived the full disk: " + frames
                + " of " + written);
    }

    @Test
    void pipeReaderLeavingEarlyIsOneLine() throws Exception {
        Path fifo = dir.resolve("fifo.mkv");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo");
        // the reader takes 60 kB of the Matroska stream, then goes away
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readNBytes(60_000).length;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path log = dir.resolve("fifo.log");
        Process p = BackdropCli.start(log, "process", LONG_INPUT, fifo.toString());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "ended when the reader left");
        assertEquals(60_000, reader.get(10, TimeUnit.SECONDS));
        String error = assertOneErrorLine(p, log, BackdropCli.OUTPUT, fifo.toString());
        assertTrue(error.contains("broken pipe") && error.contains("closed it"), error);
    }

    @Test
    void standardOutputClosedByItsReaderIsOneLine() throws Exception {
        Path log = dir.resolve("stdout.log");
        Process p = new ProcessBuilder(BackdropCli.command("live", "--input", LONG_INPUT, "--pipe", "-"))
                .redirectError(log.toFile()).start();
        byte[] taken = p.getInputStream().readNBytes(1_000_000); // a player that quits after a few frames
        p.getInputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended when standard output was closed");
        assertEquals(1_000_000, taken.length);
        String error = assertOneErrorLine(p, log, BackdropCli.OUTPUT, "standard output");
        assertTrue(error.contains("broken pipe"), error);
    }

    /** The exit code, exactly one "backdrop:" line naming the output, no stack trace; returns that line. */
    static String assertOneErrorLine(Process p, Path log, int exitCode, String output) throws Exception {
        String text = Files.readString(log);
        assertEquals(exitCode, p.exitValue(), text);
        List<String> errors = text.lines().filter(l -> l.startsWith("backdrop: ")).toList();
        assertEquals(1, errors.size(), text);
        assertTrue(errors.get(0).contains(output), errors.get(0));
        assertFalse(text.contains("\tat ") || text.contains("Exception"), "no stack trace: " + text);
        return errors.get(0);
    }

    private static long size(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
