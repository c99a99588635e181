package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.CaptureException;
import dev.backdrop.compose.GlUnavailableException;
import dev.backdrop.config.ConfigException;
import dev.backdrop.output.OutputException;
import dev.backdrop.segment.ModelException;
import dev.backdrop.testing.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every exit code through the command line: real failures where one is cheap to cause, and a command
 * that throws a chosen failure through the same handler for the rest (a bug, a missing library).
 * Each failure is one "backdrop:" line.
 */
class ExitCodeTest {

    @TempDir
    static Path dir;

    private static final String TINY_CLIP = "lavfi:testsrc2=size=64x48:rate=5:duration=0.2";

    @Test
    void realFailuresGetTheCodeOfTheirKind() throws Exception {
        assertEquals(0, BackdropCli.run("--version").exitCode());
        BackdropCli.Result unknownFlag = BackdropCli.run("process", "--no-such-flag", "a.mp4", "b.mp4");
        assertEquals(BackdropCli.USAGE, unknownFlag.exitCode(), "picocli's own usage error\n" + unknownFlag.err());
        assertTrue(unknownFlag.err().contains("--no-such-flag"), unknownFlag.err());
        // a setting out of range, an option's value, options that do not go together
        assertFailure(BackdropCli.USAGE, "compose.blur", "process", TINY_CLIP, dir.resolve("b.mp4").toString(),
                "--blur", "-1");
        assertFailure(BackdropCli.USAGE, "--size", "train", "--images", dir.toString(), "--out",
                dir.resolve("model").toString(), "--size", "big");
        assertFailure(BackdropCli.USAGE, "not both", "live", "--device", "/dev/video0", "--input", TINY_CLIP,
                "--record", dir.resolve("c.mkv").toString());
        assertFailure(BackdropCli.USAGE, "nothing to write", "segment", "photo.jpg");
        // inputs: a video, photos
        assertFailure(BackdropCli.INPUT, "does not exist", "process", dir.resolve("nope.mp4").toString(),
                dir.resolve("d.mp4").toString());
        assertFailure(BackdropCli.INPUT, "does not exist", "segment", "--mask", dir.resolve("m.png").toString(),
                dir.resolve("nope.jpg").toString());
        Path emptyFolder = Files.createDirectories(dir.resolve("no-photos"));
        assertFailure(BackdropCli.INPUT, "no photos found", "segment", "--mask", dir.resolve("m.png").toString(),
                emptyFolder.toString());
        // outputs: a video, a pipe, a photo's mask and a folder of masks
        String photo = dir.resolve("photo.png").toString();
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48", "-frames:v", "1", photo);
        assertFailure(BackdropCli.OUTPUT, "does not exist", "process", TINY_CLIP,
                dir.resolve("no/such/folder/e.mp4").toString());
        assertFailure(BackdropCli.OUTPUT, "cannot open --pipe", "live", "--input", TINY_CLIP, "--pipe",
                dir.resolve("no/such/folder/f.nut").toString());
        assertFailure(BackdropCli.OUTPUT, "cannot write", "segment", "--mask",
                dir.resolve("no/such/folder/g.png").toString(), photo);
        // /proc takes no new folders, whoever asks
        assertFailure(BackdropCli.OUTPUT, "backdrop-masks", "segment", "--mask", "/proc/backdrop-masks", photo);
    }

    @Test
    void eachKindOfFailureGetsItsCode() {
        assertThrown(1, new NullPointerException("a bug"));
        assertThrown(1, new IllegalStateException("compositor is closed"));
        assertThrown(1, new IllegalArgumentException("thrown where no user error comes from"));
        assertThrown(BackdropCli.USAGE, new ConfigException("'compose.blur' must be 0..64"));
        assertThrown(BackdropCli.INPUT, new CaptureException("input file x.mp4 does not exist"));
        assertThrown(BackdropCli.INPUT, new ModelException("model.json is not JSON"));
        assertThrown(BackdropCli.OUTPUT, new OutputException("cannot write x.mp4", null));
        assertThrown(BackdropCli.SYSTEM, new GlUnavailableException("cannot load libEGL"));
        // a wrapper that says nothing passes to its cause; a missing native library outranks its wrapper
        assertThrown(BackdropCli.INPUT, new IllegalStateException(new CaptureException("x.mp4 is cut short")));
        assertThrown(BackdropCli.SYSTEM, new ModelException("TensorFlow's native library cannot be loaded",
                new UnsatisfiedLinkError("no jnitensorflow")));
    }

    @Test
    void readmeListsEveryCode() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (ExitCode c : ExitCode.values()) {
            String row = "| " + c.code + " | " + c.meaning + " |";
            assertTrue(readme.contains(row), "README.md's exit codes lack the row\n" + row);
        }
    }

    private static void assertFailure(int exitCode, String part, String... args) {
        BackdropCli.Result r = BackdropCli.run(args);
        assertEquals(exitCode, r.exitCode(), String.join(" ", args) + "\n" + r.err());
        assertOneLine(r.err(), part);
    }

    /** Runs a command that throws {@code failure} on Backdrop's command line. */
    private static void assertThrown(int exitCode, Exception failure) {
        CommandLine cli = Backdrop.commandLine();
        cli.addSubcommand("fail", new Failing(failure));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(exitCode, cli.execute("fail"), failure.toString());
        assertOneLine(err.toString(), failure.getMessage());
    }

    private static void assertOneLine(String err, String part) {
        assertTrue(err.startsWith("backdrop: ") && err.strip().lines().count() == 1, "one line: " + err);
        assertTrue(err.contains(part), "'" + part + "' missing from: " + err);
    }

    @CommandLine.Command(name = "fail")
    private record Failing(Exception failure) implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            throw failure;
        }
    }
}
