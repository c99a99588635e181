package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.CaptureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a batch takes and what it names their outputs; decided before any file is opened. */
class BatchPlanTest {

    @TempDir
    Path dir;

    @Test
    void outputsKeepTheirContainerWhenItIsOneProcessWrites() {
        assertEquals("talk.mp4", BatchPlan.outputName("talk.mp4", false));
        assertEquals("talk.mkv", BatchPlan.outputName("talk.MKV", false));
        assertEquals("talk.mov", BatchPlan.outputName("talk.mov", false));
        assertEquals("talk.mp4", BatchPlan.outputName("talk.webm", false));
        assertEquals("talk.mp4", BatchPlan.outputName("talk.avi", false));
        assertEquals("my.talk.mp4", BatchPlan.outputName("my.talk.m4v", false));
        // a transparent background needs a container with alpha
        assertEquals("talk.webm", BatchPlan.outputName("talk.webm", true));
        assertEquals("talk.mov", BatchPlan.outputName("talk.mp4", true));
    }

    @Test
    void aFolderGivesItsVideosByNameAndEachOutputAHiddenPartialName() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (String name : new String[] {"b.mkv", "a.mp4", "c.AVI", "notes.txt", ".a.partial.mp4", "noextension"}) {
            Files.createFile(in.resolve(name));
        }
        Files.createDirectories(in.resolve("sub.mp4"));
        Path out = dir.resolve("out");
        BatchPlan plan = BatchPlan.of(List.of(in), out, false);
        assertEquals(List.of(in.resolve("a.mp4"), in.resolve("b.mkv"), in.resolve("c.AVI")),
                plan.entries().stream().map(BatchPlan.Entry::input).toList());
        assertEquals(List.of(out.resolve("a.mp4"), out.resolve("b.mkv"), out.resolve("c.mp4")),
                plan.entries().stream().map(BatchPlan.Entry::output).toList());
        // the real extension last, so FFmpeg picks the same muxer for the partial file
        assertEquals(out.resolve(".b.partial.mkv"), plan.entries().get(1).partial());
        assertTrue(Files.notExists(out), "nothing is created before the batch runs");
    }

    @Test
    void anOutputThatWouldBeAnInputOrAnotherFilesOutputIsRefused() throws Exception {
        Path a = Files.createFile(dir.resolve("a.mp4"));
        Path avi = Files.createFile(dir.resolve("b.avi"));
        Path webm = Files.createFile(dir.resolve("b.webm"));
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(List.of(dir), dir, false));
        assertTrue(same.getMessage().contains("would both be written to") || same.getMessage().contains("never overwritten"),
                same.getMessage());
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(List.of(a), dir.resolve("."), false));
        assertTrue(input.getMessage().contains("never overwritten"), input.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(List.of(avi, webm), dir.resolve("out"), false));
        assertTrue(clash.getMessage().contains("b.avi") && clash.getMessage().contains("b.webm"), clash.getMessage());
        // .avi into its own folder is fine: b.mp4 is no input
        assertEquals(dir.resolve("b.mp4"), BatchPlan.of(List.of(avi), dir, false).entries().get(0).output());
    }

    @Test
    void anEmptyFolderOrAFileAsOutdirIsRefused() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CaptureException none = assertThrows(CaptureException.class, () -> BatchPlan.of(List.of(empty), dir, false));
        assertTrue(none.getMessage().contains("no video files"), none.getMessage());
        Path a = Files.createFile(dir.resolve("a.mp4"));
        Path file = Files.createFile(dir.resolve("out.mp4"));
        IllegalArgumentException notFolder = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(List.of(a), file, false));
        assertTrue(notFolder.getMessage().contains("is a file"), notFolder.getMessage());
    }
}
