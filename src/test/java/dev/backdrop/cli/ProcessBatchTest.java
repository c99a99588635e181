package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backdrop process} on a folder of real recordings, one of them corrupt: the good files are
 * written whole under their final names, the bad one is named in the summary and sets the exit code,
 * done files are skipped on the next run, and nothing half-written ever has a final name.
 */
class ProcessBatchTest {

    /** Each good input and the frames it has: tiny, so the whole class runs in seconds. */
    static final Map<String, Integer> FRAMES = Map.of("a.mp4", 15, "b.mkv", 10, "c.mp4", 8);

    @TempDir
    static Path dir;
    static Path in;

    @BeforeAll
    static void recordings() throws Exception {
        in = Files.createDirectories(dir.resolve("in"));
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=192x108:rate=15", "-t", "1", "-c:v", "libx264",
                in.resolve("a.mp4").toString());
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-t", "1", "-c:v", "libx264",
                in.resolve("b.mkv").toString());
        // a container process does not write: its output is .mp4
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=128x72:rate=8", "-t", "1", "-c:v", "mpeg4",
                in.resolve("c.avi").toString());
        byte[] noise = new byte[3000];
        new Random(5).nextBytes(noise);
        Files.write(in.resolve("bad.mp4"), noise);
        Files.writeString(in.resolve("notes.txt"), "not a video");
    }

    @Test
    void aCorruptFileFailsAloneAndDoneFilesAreSkippedNextTime() throws Exception {
        Path out = dir.resolve("out");
        BackdropCli.Result first = BackdropCli.run("process", in.toString(), out.toString());
        System.out.print(first.out());
        assertEquals(BackdropCli.INPUT, first.exitCode(), "the corrupt file's kind of failure\n" + first.err());
        assertWritten(out);
        assertTrue(row(first, "bad.mp4").contains("FAILED: cannot open input"), first.out());
        assertEquals(1, first.err().strip().lines().count(), first.err());
        assertTrue(first.err().contains("1 of 4 files failed") && first.err().contains("bad.mp4"), first.err());

        // a second run writes nothing new (the inputs named one by one, the corrupt one left out)
        Map<String, FileTime> written = modified(out);
        BackdropCli.Result again = BackdropCli.run("process", in.resolve("a.mp4").toString(),
                in.resolve("b.mkv").toString(), in.resolve("c.avi").toString(), out.toString());
        assertEquals(0, again.exitCode(), again.err());
        for (String name : List.of("a.mp4", "b.mkv", "c.avi")) {
            assertTrue(row(again, name).contains("skipped"), again.out());
        }
        assertEquals(written, modified(out), "skipped files are not touched");

        BackdropCli.Result redo = BackdropCli.run("process", in.resolve("a.mp4").toString(), out.toString(),
                "--overwrite");
        assertEquals(0, redo.exitCode(), redo.err());
        assertTrue(row(redo, "a.mp4").contains("written"), redo.out());
        assertTrue(modified(out).get("a.mp4").compareTo(written.get("a.mp4")) > 0, "a.mp4 written again");
        assertEquals(15, TestMedia.decodableFrames(out.resolve("a.mp4"), 192, 108));
    }

    @Test
    void twoJobsAtOnceWriteTheSameFiles() throws Exception {
        Path one = dir.resolve("jobs1");
        Path two = dir.resolve("jobs2");
        assertEquals(BackdropCli.INPUT, BackdropCli.run("process", in.toString(), one.toString()).exitCode());
        BackdropCli.Result r = BackdropCli.run("process", in.toString(), two.toString(), "--jobs", "2");
        assertEquals(BackdropCli.INPUT, r.exitCode(), r.err());
        assertWritten(two);
        for (String name : FRAMES.keySet()) {
            // each file has its own pipeline, whatever runs beside it: the same pictures at the same times (not the
            // same bytes: Matroska's header holds the time it was written; and seen once: 0.12 grey levels apart)
            List<Frame> a = ProcessEndToEndTest.decode(one.resolve(name));
            List<Frame> b = ProcessEndToEndTest.decode(two.resolve(name));
            assertEquals(FRAMES.get(name), b.size(), name);
            double worst = 0;
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).timestamp, b.get(i).timestamp, name + " frame " + i);
                int[] box = {0, 0, a.get(i).imageWidth, a.get(i).imageHeight};
                worst = Math.max(worst, ProcessEndToEndTest.meanAbsGreyDifference(a.get(i), b.get(i), box));
            }
            System.out.printf("%s: one job against two, frames differ by %.3f grey levels at most%n", name, worst);
            assertTrue(worst <= 1, name + ": frames differ by " + worst + " grey levels");
        }
    }

    @Test
    void flagsAndFoldersThatCannotWorkAreRefusedBeforeAnyFile() throws Exception {
        Path out = dir.resolve("refused");
        BadInputTest.assertOneLine(BackdropCli.run("process", in.toString(), out.toString(), "--jobs", "0"),
                BackdropCli.USAGE, "--jobs must be 1 or more");
        BadInputTest.assertOneLine(BackdropCli.run("process", in.toString(), out.toString(), "--debug-mask",
                dir.resolve("mask.mp4").toString()), BackdropCli.USAGE, "--debug-mask", "one input");
        BadInputTest.assertOneLine(BackdropCli.run("process", "lavfi:testsrc2", in.resolve("a.mp4").toString(),
                out.toString()), BackdropCli.USAGE, "a batch takes files and folders");
        byte[] before = Files.readAllBytes(in.resolve("a.mp4"));
        BadInputTest.assertOneLine(BackdropCli.run("process", in.toString(), in.toString()), BackdropCli.USAGE,
                "never overwritten");
        assertArrayEquals(before, Files.readAllBytes(in.resolve("a.mp4")), "input untouched");
        assertTrue(Files.notExists(out), "nothing written");
    }

    /** SIGTERM (as Ctrl-C) mid-file: that file is finalised under its partial name only, the next never starts. */
    @Test
    void stoppedBatchKeepsTheFileInProgressAsAPartial() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("long"));
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=192x108:rate=15", "-t", "60", "-c:v", "libx264",
                folder.resolve("long.mp4").toString());
        Files.copy(in.resolve("a.mp4"), folder.resolve("more.mp4"));
        Path out = dir.resolve("stopped");
        Path partial = out.resolve(".long.partial.mp4");
        Path log = dir.resolve("stopped.log");
        Process p = BackdropCli.start(log, "process", folder.toString(), out.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!(Files.exists(partial) && Files.size(partial) > 20_000) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(p.isAlive(), "still running when stopped: " + Files.readString(log));
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook runs, as on Ctrl-C
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped");
        }
        String text = Files.readString(log);
        assertTrue(text.contains("stopped: kept as .long.partial.mp4") && text.contains("not started"), text);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(partial), files.toList(), "no file under a final name");
        }
        int frames = TestMedia.decodableFrames(partial, 192, 108);
        System.out.println("batch stopped: the partial file holds " + frames + " playable frames");
        assertTrue(frames > 0 && frames < 900, "frames in the partial file: " + frames);
    }

    private static void assertWritten(Path out) throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("a.mp4", "b.mkv", "c.mp4"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "the good files under their final names, nothing for the corrupt one, no partial left");
        }
        assertEquals(15, TestMedia.decodableFrames(out.resolve("a.mp4"), 192, 108));
        assertEquals(10, TestMedia.decodableFrames(out.resolve("b.mkv"), 160, 90));
        assertEquals(8, TestMedia.decodableFrames(out.resolve("c.mp4"), 128, 72));
    }

    /** The summary table's row for one input. */
    private static String row(BackdropCli.Result r, String input) {
        return r.out().lines().filter(l -> l.startsWith(in.resolve(input).toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + input + " in:\n" + r.out()));
    }

    private static Map<String, FileTime> modified(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.collect(java.util.stream.Collectors.toMap(f -> f.getFileName().toString(), f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
    }
}
