package dev.backdrop.train;

import dev.backdrop.segment.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained U-Net as a model folder that process, live, segment and eval load like the bundled ones:
 * a SavedModel holding only the inference graph (no loss, gradients or optimizer), model.yaml, weights.bin
 * for fine-tuning, and a NOTICE.md naming the data it learned from.
 */
final class ModelExport {
    static final String INPUT = "image";
    static final String OUTPUT = "mask";

    private ModelExport() {
    }

    static void write(Path dir, WeightsFile trained, String notice) throws IOException {
        Files.createDirectories(dir);
        UNetSpec spec = trained.spec();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
            for (UNetSpec.Param p : spec.params()) {
                params.put(p.name(), UNet.named(tf, p.name()).variable(tf.constant(Shape.of(p.shape()),
                        DataBuffers.of(trained.weights().get(p.name()), true, false))));
            }
            Placeholder<TFloat32> input = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(1, spec.height(), spec.width(), 3)));
            Operand<TFloat32> mask = tf.withName(OUTPUT).math.sigmoid(UNet.logits(tf, spec, params, input));
            try (Session session = SessionOptions.session(graph)) {
                session.initialize();
                deleteOldExport(dir);
                SavedModelBundle.exporter(dir.toString()).withSession(session)
                        .withSignature(Signature.builder().key(Signature.DEFAULT_KEY).input(INPUT, input)
                                .output(OUTPUT, mask).build())
                        .export();
            }
        }
        Files.writeString(dir.resolve("model.yaml"), modelYaml(spec));
        trained.write(dir.resolve(WeightsFile.NAME));
        Files.writeString(dir.resolve("NOTICE.md"), notice);
    }

    private static void deleteOldExport(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("saved_model.pb"));
        Path vars = dir.resolve("variables");
        if (Files.isDirectory(vars)) {
            try (var files = Files.list(vars)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    static String modelYaml(UNetSpec spec) {
        return "# How Backdrop runs this model (see models/README.md). Made by 'backdrop train': a U-Net of "
                + spec.parameterCount() + " parameters, widths " + spec.widthsText() + ".\n"
                + "format: savedmodel\n"
                + "input:\n"
                + "  name: " + INPUT + "\n"
                + "  layout: nhwc\n"
                + "  size: " + spec.width() + "x" + spec.height() + "\n"
                + "  range: [0, 1]\n"
                + "  colors: rgb\n"
                + "output:\n"
                + "  name: " + OUTPUT + "\n"
                + "  kind: sigmoid\n";
    }
}
