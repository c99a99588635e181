package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.proto.GraphDef;

/** The selfie graph as a frozen .pb and as a SavedModel, each with a model.yaml, gives the TF.js model's output. */
class ModelFormatsTest {
    static final Path SELFIE = Path.of("models", "selfie");

    @TempDir
    Path tmp;

    @Test
    void frozenGraphDef() throws IOException {
        GraphDef def = TfjsModelReader.read(SELFIE.resolve("model.json")).graph();
        Path dir = Files.createDirectory(tmp.resolve("frozen"));
        Files.write(dir.resolve("selfie.pb"), def.toByteArray());
        Files.writeString(dir.resolve("model.yaml"), """
                format: frozen
                file: selfie.pb
                input: {name: input_1, size: 256x256}
                output: {name: activation_10, kind: sigmoid}
                """);
        compareWithTfjs(dir.toString(), 1e-5);
    }

    @Test
    void savedModel() throws IOException {
        GraphDef def = TfjsModelReader.read(SELFIE.resolve("model.json")).graph();
        Path dir = tmp.resolve("saved");
        try (Graph g = new Graph()) {
            g.importGraphDef(def);
            try (Session s = SessionOptions.session(g)) {
                Signature sig = Signature.builder().key("serving_default")
                        .input("image", g.output("input_1")).output("mask", g.output("activation_10")).build();
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
        Files.writeString(dir.resolve("model.yaml"), """
                format: savedmodel
                input: {name: image, size: 256x256}
                output: {name: mask, kind: sigmoid}
                """);
        compareWithTfjs(dir.toString(), 1e-5);
    }

    private static void compareWithTfjs(String path, double tolerance) throws IOException {
        FloatBuffer rgb = SelfieReferenceTest.readRgb("/segment/astronaut-256.png", 256, 256);
        FloatBuffer expected = FloatBuffer.allocate(256 * 256);
        FloatBuffer actual = FloatBuffer.allocate(256 * 256);
        try (SegmentationModel tfjs = SegmentationModel.load("selfie", Path.of("models"), ModelOptions.defaults());
             SegmentationModel other = SegmentationModel.load(path, null, ModelOptions.defaults())) {
            tfjs.predictRgb(rgb, expected);
            other.predictRgb(rgb, actual);
            System.out.println("format test: " + other.description());
            double max = 0;
            for (int i = 0; i < 256 * 256; i++) {
                max = Math.max(max, Math.abs(expected.get(i) - actual.get(i)));
            }
            System.out.printf("format test %s: max abs diff vs TF.js-loaded %.3g%n", path, max);
            assertTrue(max <= tolerance, "max abs difference " + max);
            assertEquals(256, other.maskWidth(640, 360));
        }
    }
}
