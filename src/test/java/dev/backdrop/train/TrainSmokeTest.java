package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.compose.Compositor;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import dev.backdrop.still.StillImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a tiny U-Net for a few epochs on synthetic people: it learns, exports, and loads like any model. */
class TrainSmokeTest {
    private static final UNetSpec TINY = new UNetSpec(64, 48, new int[] {4, 8, 8});

    @TempDir
    Path tmp;

    @Test
    void lossFallsAndTheExportedModelLoadsThroughTheNormalLoader() throws Exception {
        Path data = SyntheticPeople.write(tmp.resolve("data"), 12, 96, 72, true, 3);
        Path out = tmp.resolve("tiny");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result result = new TrainingRun(TrainOptions.builder().images(data.resolve("images"))
                .masks(data.resolve("masks")).out(out).spec(TINY).epochs(30).batch(4).learningRate(0.01f).valSplit(0.25)
                .threads(2).seed(5).build(), null, new PrintStream(log, true), false).run();

        List<TrainingRun.Epoch> epochs = result.epochs();
        assertEquals(30, epochs.size(), log.toString());
        assertTrue(result.last().loss() < 0.8 * epochs.get(0).loss(),
                "loss should fall by 20%: " + epochs.get(0).loss() + " -> " + result.last().loss() + "\n" + log);
        assertEquals(9, result.trainImages());
        assertEquals(3, result.heldOut().size());
        assertTrue(log.toString().contains("epoch 30/30"), log.toString());
        for (String f : List.of("saved_model.pb", "model.yaml", "NOTICE.md", WeightsFile.NAME)) {
            assertTrue(Files.isRegularFile(out.resolve(f)), "export lacks " + f);
        }

        try (SegmentationModel model = SegmentationModel.load(out.toString(), null, ModelOptions.defaults())) {
            StillImage photo = StillImage.read(data.resolve("images/p0.png"));
            int mw = model.maskWidth(photo.width, photo.height);
            int mh = model.maskHeight(photo.width, photo.height);
            assertEquals(64, mw);
            assertEquals(48, mh);
            // the loaded graph's own count (TensorFlow's inferred shapes) agrees with the spec's arithmetic
            assertEquals(TINY.parameterCount(), model.stats().parameters());
            assertEquals(TINY.flopsPerFrame(), model.stats().flops());
            FloatBuffer mask = ByteBuffer.allocateDirect(mw * mh * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            model.predict(photo.bgr, photo.width, photo.height, Compositor.frameStride(photo.width), mask);
            float min = 1;
            float max = 0;
            for (int i = 0; i < mw * mh; i++) {
                min = Math.min(min, mask.get(i));
                max = Math.max(max, mask.get(i));
            }
            assertTrue(min >= 0 && max <= 1 && max - min > 0.2f, "a mask in [0,1] that tells things apart: " + min + ".." + max);
        }
    }

    @Test
    void resumeContinuesFromTheCheckpointAndInitKeepsTheShape() throws Exception {
        Path data = SyntheticPeople.write(tmp.resolve("data"), 6, 64, 48, true, 4);
        Path out = tmp.resolve("m");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new TrainingRun(options(data, out, TINY, 1, false, null), null, quiet, false).run();
        WeightsFile first = WeightsFile.read(TrainingRun.checkpointWeights(out.resolve(TrainingRun.CHECKPOINT), 1));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result resumed = new TrainingRun(options(data, out, TINY, 3, true, null), null,
                new PrintStream(log, true), false).run();
        assertTrue(log.toString().contains("resuming after epoch 1"), log.toString());
        assertEquals(List.of(1, 2, 3), resumed.epochs().stream().map(TrainingRun.Epoch::number).toList());
        WeightsFile after = WeightsFile.read(out.resolve(WeightsFile.NAME));
        assertTrue(differs(first.weights().get("head/w"), after.weights().get("head/w")), "resumed training changes weights");

        // fine-tuning takes the earlier model's shape, whatever --widths says
        UNetSpec other = new UNetSpec(64, 48, new int[] {8, 8, 8});
        TrainingRun.Result tuned = new TrainingRun(options(data, tmp.resolve("tuned"), other, 1, false, out), null,
                quiet, false).run();
        assertEquals(TINY, WeightsFile.read(tmp.resolve("tuned").resolve(WeightsFile.NAME)).spec());
        assertTrue(tuned.network().startsWith("U-Net " + TINY), tuned.network());
    }

    /**
     * Interrupted after an epoch and resumed, training ends with exactly the weights an uninterrupted run
     * reaches: the checkpoint keeps Adam's moments, each epoch's batches depend only on the seed and the epoch,
     * and a step is deterministic on one thread, even when the run was killed while writing the next checkpoint.
     * Without the optimiser state (a checkpoint from before it was kept) the run lands elsewhere.
     */
    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        Path data = SyntheticPeople.write(tmp.resolve("data"), 6, 64, 48, true, 4);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new TrainingRun(oneThread(data, tmp.resolve("straight"), 3, false), null, quiet, false).run();
        float[] straight = WeightsFile.read(tmp.resolve("straight").resolve(WeightsFile.NAME)).weights().get("head/w");

        float[][] resumed = new float[2][];
        for (int keepState = 0; keepState < 2; keepState++) {
            Path out = tmp.resolve("resumed" + keepState);
            new TrainingRun(oneThread(data, out, 1, false), null, quiet, false).run();
            Path checkpoint = out.resolve(TrainingRun.CHECKPOINT);
            try (var files = Files.list(checkpoint)) {
                assertEquals(List.of("optimiser-1.bin", "progress.properties", "weights-1.bin"),
                        files.map(f -> f.getFileName().toString()).sorted().toList());
            }
            if (keepState == 0) {
                Files.delete(TrainingRun.checkpointOptimiser(checkpoint, 1));
            } else {
                // killed after writing epoch 2's files but before the progress that names them: they are ignored
                Files.write(TrainingRun.checkpointWeights(checkpoint, 2), new byte[] {1, 2, 3});
                Files.write(TrainingRun.checkpointOptimiser(checkpoint, 2), new byte[] {1, 2, 3});
            }
            new TrainingRun(oneThread(data, out, 3, true), null, quiet, false).run();
            resumed[keepState] = WeightsFile.read(out.resolve(WeightsFile.NAME)).weights().get("head/w");
        }
        assertArrayEquals(straight, resumed[1], "resumed with the optimiser state: off by "
                + maxDifference(straight, resumed[1]));
        assertTrue(maxDifference(straight, resumed[0]) > 1e-3 * maxAbs(straight), "resumed without it: off by only "
                + maxDifference(straight, resumed[0]));
    }

    private static TrainOptions oneThread(Path data, Path out, int epochs, boolean resume) {
        return TrainOptions.builder().images(data.resolve("images")).masks(data.resolve("masks")).out(out).spec(TINY)
                .epochs(epochs).batch(2).learningRate(0.01f).valSplit(0).every(1).threads(1).resume(resume).seed(7)
                .build();
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** A later stage with another seed must validate on the same photos, none of which it trained on. */
    @Test
    void theHeldOutPhotosDoNotDependOnTheSeed() throws Exception {
        Path data = SyntheticPeople.write(tmp.resolve("data"), 10, 64, 48, true, 5);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        List<List<String>> heldOut = new java.util.ArrayList<>();
        for (long seed : new long[] {1, 2, 3}) {
            TrainOptions o = TrainOptions.builder().images(data.resolve("images")).masks(data.resolve("masks"))
                    .out(tmp.resolve("s" + seed)).spec(TINY).epochs(1).batch(2).learningRate(0.01f).valSplit(0.3)
                    .threads(2).seed(seed).build();
            TrainingRun.Result r = new TrainingRun(o, null, quiet, false).run();
            assertEquals(7, r.trainImages());
            heldOut.add(r.heldOut());
        }
        assertEquals(3, heldOut.get(0).size());
        assertEquals(heldOut.get(0), heldOut.get(1));
        assertEquals(heldOut.get(0), heldOut.get(2));
    }

    private static TrainOptions options(Path data, Path out, UNetSpec spec, int epochs, boolean resume, Path init) {
        return TrainOptions.builder().images(data.resolve("images")).masks(data.resolve("masks")).out(out).spec(spec)
                .epochs(epochs).batch(2).learningRate(0.01f).valSplit(0).init(init == null ? null : init.toString())
                .threads(2).resume(resume).seed(7).build();
    }

    private static boolean differs(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return true;
            }
        }
        return false;
    }
}
