package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.cli.BackdropCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What backdrop train is given: bad folders get one clear line; unlabelled footage gets a teacher's labels. */
class TrainInputsTest {
    @TempDir
    Path tmp;

    @Test
    void photosWithoutMasksAndNoTeacherAreRefusedInOneLine() throws Exception {
        Path data = SyntheticPeople.write(tmp, 3, 64, 48, false, 1);
        BackdropCli.Result r = train("--images", data.resolve("images").toString(), "--masks",
                data.resolve("masks").toString());
        assertOneLineError(r, BackdropCli.INPUT, "3 of 3 photos have no mask in ");
        assertTrue(r.err().contains("--teacher"), r.err());
    }

    @Test
    void masksOfTheWrongSizeAreRefusedInOneLine() throws Exception {
        Path data = SyntheticPeople.write(tmp.resolve("a"), 2, 64, 48, false, 1);
        Path other = SyntheticPeople.write(tmp.resolve("b"), 2, 32, 24, true, 1);
        BackdropCli.Result r = train("--images", data.resolve("images").toString(), "--masks",
                other.resolve("masks").toString());
        assertOneLineError(r, BackdropCli.INPUT, "is 32x24 but its image is 64x48");
    }

    @Test
    void anEmptyFolderIsRefusedInOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        BackdropCli.Result r = train("--images", empty.toString(), "--masks", empty.toString());
        assertOneLineError(r, BackdropCli.INPUT, "holds no photos");
    }

    @Test
    void aShapeThatCannotBePooledIsRefusedInOneLine() throws Exception {
        Path data = SyntheticPeople.write(tmp, 2, 64, 48, true, 1);
        BackdropCli.Result r = train("--images", data.resolve("images").toString(), "--masks",
                data.resolve("masks").toString(), "--size", "100x100");
        assertOneLineError(r, BackdropCli.USAGE, "must be a multiple of 16");
    }

    /**
     * Distillation from a video: frames sampled from the bundled clip, labelled by selfie with its state carried
     * through the clip; a second run takes every label from the cache and labels nothing.
     */
    @Test
    void aTeacherLabelsFramesSampledFromAVideoOnce() throws Exception {
        Path clip = Path.of("samples/astronaut.mp4");
        Path cache = tmp.resolve("labels");
        TrainOptions o = TrainOptions.builder().images(clip).out(tmp.resolve("unused")).every(30).teacher("selfie")
                .labelCache(cache).build();
        List<byte[]> first = new ArrayList<>();
        try (TeacherLabels teacher = new TeacherLabels("selfie", Path.of("models"), cache);
             TrainingSet set = TrainingSet.load(o, teacher, 128)) {
            assertEquals(5, set.size(), "150 frames, one in 30");
            assertEquals(5, set.labelledByTeacher);
            assertEquals(0, set.labelsFromCache);
            for (TrainingImage frame : set.images) {
                double person = personShare(frame);
                // the astronaut fills about an eighth of each frame; the test pattern around her is background
                assertTrue(person > 0.06 && person < 0.3, frame.name + ": person share " + person);
                first.add(maskBytes(frame));
            }
            assertEquals(List.of("astronaut.mp4#0", "astronaut.mp4#30", "astronaut.mp4#60", "astronaut.mp4#90",
                    "astronaut.mp4#120"), set.images.stream().map(f -> f.name).toList());
        }
        try (TeacherLabels teacher = new TeacherLabels("selfie", Path.of("models"), cache);
             TrainingSet again = TrainingSet.load(o, teacher, 128)) {
            assertEquals(0, again.labelledByTeacher, "the second run labels nothing");
            assertEquals(5, again.labelsFromCache);
            for (int i = 0; i < 5; i++) {
                assertTrue(Arrays.equals(first.get(i), maskBytes(again.images.get(i))), "frame " + i + "'s label");
            }
        }
        Path out = tmp.resolve("distilled");
        BackdropCli.Result r = train("--images", clip.toString(), "--teacher", "selfie", "--every", "30", "--out",
                out.toString(), "--size", "64x48", "--widths", "4,8", "--epochs", "1", "--batch", "2",
                "--label-cache", cache.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("0 labelled by selfie now, 5 from its label cache"), r.out());
        assertTrue(Files.readString(out.resolve("NOTICE.md")).contains("teacher model 'selfie'"));
    }

    private static byte[] maskBytes(TrainingImage frame) {
        byte[] out = new byte[frame.width() * frame.height()];
        frame.mask.data().get(out);
        return out;
    }

    private static double personShare(TrainingImage frame) {
        long person = 0;
        try (UByteIndexer m = frame.mask.createIndexer()) {
            for (int y = 0; y < frame.height(); y++) {
                for (int x = 0; x < frame.width(); x++) {
                    person += m.get(y, x) > 127 ? 1 : 0;
                }
            }
        }
        return (double) person / (frame.width() * frame.height());
    }

    /** Runs backdrop train with these arguments, writing to a scratch folder unless --out is given. */
    private BackdropCli.Result train(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("train"));
        all.addAll(java.util.List.of(args));
        if (!all.contains("--out")) {
            all.addAll(java.util.List.of("--out", tmp.resolve("out").toString()));
        }
        return BackdropCli.run(all.toArray(String[]::new));
    }

    private static void assertOneLineError(BackdropCli.Result r, int exitCode, String expected) {
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace:\n" + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
