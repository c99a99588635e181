package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.backdrop.cli.BackdropCli.INPUT;
import static dev.backdrop.cli.BackdropCli.OUTPUT;
import static dev.backdrop.cli.BackdropCli.SYSTEM;
import static dev.backdrop.cli.BackdropCli.USAGE;

import dev.backdrop.testing.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix of issue #8 through the command line: each case exits with the code of its kind
 * of error (README.md's exit codes) and one line that names the problem, and whatever was processed is
 * written. (SECURITY.md maps every row to its test.)
 */
class BadInputTest {

    @TempDir
    static Path dir;
    /** 3 s of 320x240 at 30 fps with audio, index at the front (so a cut-off copy still opens). */
    static Path clip;
    static Path clipMkv;

    @BeforeAll
    static void clips() throws Exception {
        clip = dir.resolve("clip.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine", "-t", "3",
                "-c:v", "libx264", "-g", "15", "-c:a", "aac", "-movflags", "+faststart", clip.toString());
        clipMkv = dir.resolve("clip.mkv");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "2", "-c:v", "libx264", "-g", "15",
                clipMkv.toString());
    }

    @Test
    void emptyFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        assertOneLine(process(empty, "out-empty.mp4"), INPUT, "empty.mp4", "is empty (0 bytes)");
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[100_000];
        new Random(8).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.mkv"), noise);
        assertOneLine(process(file, "out-noise.mp4"), INPUT, "noise.mkv", "cannot open input");
    }

    @Test
    void truncatedMp4KeepsEveryFrameBeforeTheCut() throws Exception {
        byte[] whole = Files.readAllBytes(clip);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length * 6 / 10));
        int before = TestMedia.decodableFrames(cut, 320, 240);
        Path out = dir.resolve("out-cut.mp4");
        assertOneLine(BackdropCli.run("process", cut.toString(), out.toString()), INPUT, "cut.mp4", "cut short",
                "frames before the cut");
        int written = TestMedia.decodableFrames(out, 320, 240);
        System.out.println("truncated MP4: " + before + " frames decode before the cut, " + written + " written");
        assertTrue(before > 20 && before < 90, "fixture: frames before the cut " + before);
        assertEquals(before, written, "every frame before the cut is processed and written");
    }

    @Test
    void noVideoStream() throws Exception {
        Path audio = dir.resolve("audio.m4a");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "sine", "-t", "1", "-c:a", "aac", audio.toString());
        assertOneLine(process(audio, "out-audio.mp4"), INPUT, "audio.m4a", "has no video stream");
    }

    @Test
    void unknownCodecIsRefusedAndUnusualPixelFormatsAreConverted() throws Exception {
        byte[] mkv = Files.readAllBytes(clipMkv);
        String text = new String(mkv, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("V_MPEG4/ISO/AVC");
        assertTrue(at > 0, "fixture: codec id in the Matroska header");
        byte[] unknown = mkv.clone();
        System.arraycopy("V_MPEG4/ISO/XYZ".getBytes(StandardCharsets.ISO_8859_1), 0, unknown, at, 15);
        Path file = Files.write(dir.resolve("unknown-codec.mkv"), unknown);
        assertOneLine(process(file, "out-codec.mp4"), INPUT, "unknown-codec.mkv", "no video stream FFmpeg can decode",
                "convert it");
        // 16-bit grey (FFV1) and 10-bit 4:4:4 (H.264): FFmpeg converts any pixel format it decodes
        for (String[] format : new String[][] {{"ffv1", "gray16le"}, {"libx264", "yuv444p10le"}}) {
            Path in = dir.resolve(format[1] + ".mkv");
            TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "1", "-c:v", format[0],
                    "-pix_fmt", format[1], in.toString());
            Path out = dir.resolve("out-" + format[1] + ".mp4");
            BackdropCli.Result r = process(in, out.getFileName().toString());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(10, TestMedia.decodableFrames(out, 160, 120), format[1]);
        }
    }

    @Test
    void outputFolderMissingOrUnwritable() {
        assertOneLine(BackdropCli.run("process", clip.toString(), dir.resolve("no/such/folder/out.mp4").toString()),
                OUTPUT, "folder", "does not exist");
        // /proc takes no new files, whoever asks (tests may run as root, for whom file modes do not count)
        assertOneLine(BackdropCli.run("process", clip.toString(), "/proc/backdrop-out.mp4"), OUTPUT,
                "/proc/backdrop-out.mp4", "cannot start writing", "folder is writable");
    }

    @Test
    void outputEqualToTheInputIsRefusedAndTheInputKept() throws Exception {
        Path copy = Files.copy(clip, dir.resolve("same.mp4"));
        byte[] before = Files.readAllBytes(copy);
        assertOneLine(BackdropCli.run("process", copy.toString(), copy.toString()), USAGE, "same.mp4",
                "is the input file");
        assertOneLine(BackdropCli.run("process", copy.toString(), dir.resolve(".").resolve("same.mp4").toString()),
                USAGE, "is the input file");
        assertArrayEquals(before, Files.readAllBytes(copy), "input untouched");
    }

    @Test
    void backgroundMissingOrCorrupt() throws Exception {
        assertOneLine(BackdropCli.run("process", clip.toString(), dir.resolve("out-bg1.mp4").toString(), "--background",
                dir.resolve("missing.png").toString()), INPUT, "missing.png", "does not exist");
        byte[] noise = new byte[5000];
        new Random(3).nextBytes(noise);
        Path bad = Files.write(dir.resolve("bad.png"), noise);
        assertOneLine(BackdropCli.run("process", clip.toString(), dir.resolve("out-bg2.mp4").toString(), "--background",
                bad.toString()), INPUT, "bad.png", "neither an image");
    }

    @Test
    void configErrorsThroughTheCommandLine() throws Exception {
        String[][] cases = {
            {"compose: [blur: 1\n", "not valid YAML"},
            {"compose:\n  blurr: 3\n", "'compose.blurr'"},
            {"compose:\n  blur: much\n", "'compose.blur'"},
            {"output:\n  crf: 99\n", "'output.crf'"},
        };
        for (String[] c : cases) {
            Path config = Files.writeString(dir.resolve("c" + c[1].hashCode() + ".yaml"), c[0]);
            assertOneLine(BackdropCli.run("process", clip.toString(), dir.resolve("out-c.mp4").toString(), "--config",
                    config.toString()), USAGE, c[1]);
        }
    }

    @Test
    void modelWithTheWrongInputSize() throws Exception {
        Path model = Files.createDirectories(dir.resolve("wrong-size"));
        for (String f : new String[] {"model.json", "selfie.bin"}) {
            Files.copy(Path.of("models/selfie", f), model.resolve(f));
        }
        Files.writeString(model.resolve("model.yaml"),
                Files.readString(Path.of("models/selfie/model.yaml")).replace("256x256", "128x128"));
        assertOneLine(BackdropCli.run("process", clip.toString(), dir.resolve("out-m.mp4").toString(), "--model",
                model.toString()), INPUT, "input.size is 128x128", "[1, 256, 256, 3]", "set input.size to 256x256");
    }

    @Test
    void cameraThatStopsMidRunKeepsTheRecording() throws Exception {
        // a camera unplugged mid-run: an input that breaks off after a second
        byte[] whole = Files.readAllBytes(clipMkv);
        Path cut = Files.write(dir.resolve("unplugged.mkv"), Arrays.copyOf(whole, whole.length / 2));
        Path record = dir.resolve("rec-unplugged.mkv");
        assertOneLine(BackdropCli.run("live", "--input", cut.toString(), "--record", record.toString()),
                INPUT, "unplugged.mkv", "cut short");
        assertTrue(TestMedia.decodableFrames(record, 320, 240) > 5, "frames recorded before the camera went");
    }

    @Test
    void streamServerUnreachableAtStartGivesUpAfterTheTimeout() {
        long start = System.nanoTime();
        BackdropCli.Result r = BackdropCli.run("live", "--input", "lavfi:testsrc2=size=320x240:rate=30", "--rtmp",
                "rtmp://user:hunter2@127.0.0.1:9/live/stream-key-123", "--stream-timeout", "2", "--seconds", "20");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertOneLine(r, OUTPUT, "cannot reach stream server", "rtmp://***@127.0.0.1:9/live/***", "--stream-timeout");
        assertFalse(r.err().contains("hunter2") || r.err().contains("stream-key-123"), r.err());
        assertTrue(seconds < 15, "gave up after " + seconds + " s");
    }

    /**
     * Without an EGL driver (glvnd pointed at none) the GL compositor cannot start: the line names the
     * packages. On a machine without a GPU, auto composites on the CPU and needs no GL at all.
     */
    @Test
    void noOpenGl() throws Exception {
        String error = withoutEgl("nogl", "--compositor", "gl");
        assertTrue(error.contains("apt-get install libegl1 libegl-mesa0"), error);
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.backdrop.compose.HeadlessGl.gpuPresent(),
                "this machine shows a GPU: auto would try the GL");
        Path out = dir.resolve("out-nogl-auto.mp4");
        ProcessBuilder pb = new ProcessBuilder(BackdropCli.command("process", clip.toString(), out.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nogl-auto.log").toFile());
        pb.environment().put("__EGL_VENDOR_LIBRARY_FILENAMES", dir.resolve("no-such-vendor.json").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("nogl-auto.log")));
        assertEquals(90, TestMedia.decodableFrames(out, 320, 240), "every frame of the 3 s clip, composited on the CPU");
    }

    /** process with these flags and no EGL driver: its one error line (exit code SYSTEM, naming EGL). */
    private String withoutEgl(String name, String... flags) throws Exception {
        Path log = dir.resolve(name + ".log");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("process", clip.toString(),
                dir.resolve("out-" + name + ".mp4").toString()));
        args.addAll(Arrays.asList(flags));
        ProcessBuilder pb = new ProcessBuilder(BackdropCli.command(args.toArray(new String[0])))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("__EGL_VENDOR_LIBRARY_FILENAMES", dir.resolve("no-such-vendor.json").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return ProcessFaultsTest.assertOneErrorLine(p, log, SYSTEM, "EGL");
    }

    private static BackdropCli.Result process(Path in, String outName) {
        return BackdropCli.run("process", in.toString(), dir.resolve(outName).toString());
    }

    /** The exit code and exactly one line on standard error, containing every part. */
    @Test
    void liveRefusesACameraSizeForAnInputItCannotApplyTo() {
        assertOneLine(BackdropCli.run("live", "--input", "lavfi:testsrc2=size=64x48:rate=5", "--size", "1280x720",
                "--seconds", "1", "--pipe", "-"), BackdropCli.USAGE, "--size", "own size");
    }

    static void assertOneLine(BackdropCli.Result r, int exitCode, String... parts) {
        assertEquals(exitCode, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + p + "' missing from: " + r.err());
        }
    }
}
