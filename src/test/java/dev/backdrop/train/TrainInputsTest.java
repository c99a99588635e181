package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.cli.BackdropCli;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertOneLineError(r, BackdropCli.INPUT, "3 of 3 images have no mask");
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

    /** Distillation from a video: frames sampled from the bundled clip, labelled by selfie. */
    @Test
    void aTeacherLabelsFramesSampledFromAVideo() throws Exception {
        Path clip = Path.of("samples/astronaut.mp4");
        try (SegmentationModel teacher = SegmentationModel.load("selfie", Path.of("models"), ModelOptions.defaults());
             TrainingSet set = TrainingSet.load(clip, null, teacher, 30, 128)) {
            assertEquals(5, set.size(), "150 frames, one in 30");
            assertEquals(5, set.labelledByTeacher);
            for (TrainingImage frame : set.images) {
                double person = personShare(frame);
                // the astronaut fills about an eighth of each frame; the test pattern around her is background
                assertTrue(person > 0.06 && person < 0.3, frame.name + ": person share " + person);
            }
        }
        Path out = tmp.resolve("distilled");
        BackdropCli.Result r = train("--images", clip.toString(), "--teacher", "selfie", "--every", "30", "--out",
                out.toString(), "--size", "64x48", "--widths", "4,8", "--epochs", "1", "--batch", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("5 labelled by selfie"), r.out());
        assertTrue(Files.readString(out.resolve("NOTICE.md")).contains("teacher model 'selfie'"));
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
