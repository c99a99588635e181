package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.cli.BackdropCli;
import dev.backdrop.compose.Compositor;
import dev.backdrop.segment.FrozenModel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** train --init on a model imported from a TF.js graph: it learns, exports, loads, and refuses what it cannot train. */
class FineTuneTest {
    @TempDir
    Path tmp;

    @Test
    void anImportedModelLearnsAndItsExportLoadsThroughTheNormalLoader() throws Exception {
        Path tiny = TinyTfjsModel.write(tmp.resolve("tiny"), null, 3);
        Path data = SyntheticPeople.write(tmp.resolve("data"), 12, 64, 48, true, 3);
        Path out = tmp.resolve("tuned");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result result = new TrainingRun(TrainOptions.builder().images(data.resolve("images"))
                .masks(data.resolve("masks")).out(out).init(tiny.toString()).epochs(40).batch(4).learningRate(0.03f)
                .valSplit(0.25).threads(2).seed(5).build(), null, new PrintStream(log, true), false).run();

        List<TrainingRun.Epoch> epochs = result.epochs();
        assertTrue(result.last().loss() < 0.8 * epochs.get(0).loss(),
                "loss should fall by 20%: " + epochs.get(0).loss() + " -> " + result.last().loss() + "\n" + log);
        assertTrue(log.toString().contains("before training (" + tiny + " as it is)")
                || log.toString().contains("before training (tiny as it is)"), log.toString());
        assertTrue(result.network().startsWith("tiny at 32x32 (445 parameters in 8 tensors)"), result.network());
        assertTrue(Files.readString(out.resolve("NOTICE.md")).contains("Base model: tiny"));

        // the export is the original graph, op for op, with new values in its weight constants
        FrozenModel before = FrozenModel.load(tiny.toString(), null);
        FrozenModel after = FrozenModel.load(out.toString(), null);
        assertEquals(before.graph().getNodeList().stream().map(n -> n.getOp()).toList(),
                after.graph().getNodeList().stream().map(n -> n.getOp()).toList());
        assertEquals(32, after.width());

        float[] tunedMask = mask(out, data.resolve("images/p0.png"));
        float[] originalMask = mask(tiny, data.resolve("images/p0.png"));
        assertEquals(32 * 32, tunedMask.length, "the mask of the model's own output size");
        double change = 0;
        for (int i = 0; i < tunedMask.length; i++) {
            change = Math.max(change, Math.abs(tunedMask[i] - originalMask[i]));
        }
        assertTrue(change > 0.1, "training changed the mask: by at most " + change);
    }

    private static float[] mask(Path model, Path photoFile) {
        try (SegmentationModel m = SegmentationModel.load(model.toString(), null, ModelOptions.defaults())) {
            StillImage photo = StillImage.read(photoFile);
            int mw = m.maskWidth(photo.width, photo.height);
            int mh = m.maskHeight(photo.width, photo.height);
            FloatBuffer mask = ByteBuffer.allocateDirect(mw * mh * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            m.predict(photo.bgr, photo.width, photo.height, Compositor.frameStride(photo.width), mask);
            float[] out = new float[mw * mh];
            mask.get(out);
            return out;
        }
    }

    /**
     * The gradients fine-tuning follows, through the imported ops themselves (convolution, depthwise
     * convolution, hard-swish, transposed convolution, bilinear resize, sigmoid) into the loss, agree with finite
     * differences: each weight constant is fed a nudged value.
     */
    @Test
    void gradientsThroughImportedOpsMatchFiniteDifferences() throws Exception {
        FrozenModel tiny = FrozenModel.load(TinyTfjsModel.write(tmp.resolve("tiny"), null, 7).toString(), null);
        Random r = new Random(11);
        List<String> names = List.of("w1", "b1", "dw", "b2", "wh", "wt", "w4");
        try (Graph g = new Graph(); Session s = new Session(g)) {
            g.importGraphDef(tiny.graph());
            Ops tf = Ops.create(g);
            float[] image = new float[32 * 32 * 3];
            for (int i = 0; i < image.length; i++) {
                image[i] = r.nextFloat();
            }
            float[] target = new float[32 * 32];
            for (int i = 0; i < target.length; i++) {
                target[i] = (i % 32) < 16 ? 1 : 0;
            }
            Operand<TFloat32> y = tf.constant(Shape.of(1, 32, 32, 1), DataBuffers.of(target));
            @SuppressWarnings("unchecked")
            Output<TFloat32> logits = (Output<TFloat32>) g.operation("mask").input(0);
            Operand<TFloat32> loss = Loss.bceDice(tf, logits, tf.math.sigmoid(logits), y);
            Output<?>[] weights = names.stream().map(n -> g.operation(n).output(0)).toArray(Output<?>[]::new);
            Output<?>[] grads = g.addGradients(loss.asOutput(), weights);
            Map<String, float[]> values = new java.util.LinkedHashMap<>();
            for (Output<?> w : weights) {
                values.put(w.op().name(), fetch(s, image, Map.of(), w).clone());
            }
            FiniteDifferences.Agreement a = FiniteDifferences.check(names, values,
                    name -> fetch(s, image, Map.of(), grads[names.indexOf(name)]),
                    () -> (double) fetch(s, image, values, loss.asOutput())[0], r, 5);
            // ReLU and ReLU6 have kinks a nudge may cross; a wrong gradient disagrees almost everywhere in its layer
            assertTrue(a.agreed() >= a.checked() * 0.9, a.agreed() + " of " + a.checked() + " agree; the others:"
                    + a.disagreements());
            assertEquals(35, a.checked());
        }
    }

    /** Runs the graph with the image fed and some weight constants replaced by the given values. */
    private static float[] fetch(Session s, float[] image, Map<String, float[]> replaced, Output<?> what) {
        Session.Runner runner = s.runner();
        List<TFloat32> feeds = new ArrayList<>();
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, 32, 32, 3), DataBuffers.of(image));
        feeds.add(x);
        runner.feed("input_1", x);
        for (var e : replaced.entrySet()) {
            TFloat32 t = TFloat32.tensorOf(s.graph().operation(e.getKey()).output(0).shape(),
                    DataBuffers.of(e.getValue()));
            feeds.add(t);
            runner.feed(e.getKey(), t);
        }
        return FiniteDifferences.run(runner, what, feeds);
    }

    @Test
    void anOpWithoutAGradientIsNamedInOneLine() throws Exception {
        Path rounded = TinyTfjsModel.write(tmp.resolve("rounded"), "Round", 3);
        Path data = SyntheticPeople.write(tmp.resolve("data"), 4, 64, 48, true, 3);
        BackdropCli.Result r = train(data, "--init", rounded.toString());
        assertOneLineError(r, "cannot train through Round");
        assertTrue(r.err().contains("--freeze"), r.err());
        // frozen up to and past it, the rest trains
        BackdropCli.Result frozen = train(data, "--init", rounded.toString(), "--freeze", "1");
        assertEquals(0, frozen.exitCode(), frozen.out() + frozen.err());
        assertTrue(frozen.out().contains("2 tensors of the frozen layers"), frozen.out());
    }

    /** --size resizes a fixed-size model (MediaPipe's selfie, 256x256) to train and export at that size. */
    @Test
    void aFixedSizeModelTrainsAndExportsAtTheSizeGiven() throws Exception {
        Path data = SyntheticPeople.write(tmp.resolve("data"), 4, 64, 48, true, 3);
        Path models = Path.of("models").toAbsolutePath();
        BackdropCli.Result r = train(data, "--init", models.resolve("selfie").toString(), "--size", "128x80");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("training selfie at 128x80"), r.out());
        Path out = tmp.resolve("out");
        assertTrue(Files.readString(out.resolve("model.yaml")).contains("size: 128x80"));
        FrozenModel tuned = FrozenModel.load(out.toString(), null);
        assertEquals(128, tuned.width());
        assertEquals(80, tuned.height());
        assertEquals(128 * 80, mask(out, data.resolve("images/p0.png")).length, "the mask at the new size");
        // without --size it keeps its own
        BackdropCli.Result own = train(data, "--init", models.resolve("selfie").toString());
        assertTrue(own.out().contains("training selfie at 256x256"), own.out());
    }

    @Test
    void aModelWithNothingToTrainIsRefusedInOneLine() throws Exception {
        Path tiny = TinyTfjsModel.write(tmp.resolve("tiny"), null, 3);
        Path data = SyntheticPeople.write(tmp.resolve("data"), 4, 64, 48, true, 3);
        assertOneLineError(train(data, "--init", tiny.toString(), "--freeze", "99"), "has no weights to train");
        assertOneLineError(train(data, "--freeze", "2"), "--freeze keeps the first layers of a trained model");
    }

    @Test
    void aTeacherWhoseOutputIsNoMaskIsRefusedInOneLine() throws Exception {
        Path teacher = TinyTfjsModel.write(tmp.resolve("teacher"), null, 3);
        // its transposed convolution's output: 32x32 but 4 channels, not a person probability
        Files.writeString(teacher.resolve("model.yaml"),
                Files.readString(teacher.resolve("model.yaml")).replace("name: mask", "name: t1"));
        Path data = SyntheticPeople.write(tmp.resolve("data"), 3, 64, 48, false, 1);
        BackdropCli.Result r = BackdropCli.run("train", "--images", data.resolve("images").toString(), "--teacher",
                teacher.toString(), "--out", tmp.resolve("out").toString(), "--label-cache", "none");
        assertOneLineError(r, "output 't1' has 4 channel(s) [1, 32, 32, 4], but output.kind sigmoid needs 1");
    }

    private BackdropCli.Result train(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--images", data.resolve("images").toString(), "--masks",
                data.resolve("masks").toString(), "--out", tmp.resolve("out").toString(), "--epochs", "1", "--batch",
                "2", "--val-split", "0"));
        all.addAll(List.of(args));
        return BackdropCli.run(all.toArray(String[]::new));
    }

    private static void assertOneLineError(BackdropCli.Result r, String expected) {
        assertNotEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace:\n" + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
