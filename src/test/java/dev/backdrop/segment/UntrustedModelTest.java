package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/** Graphs with file, print or other non-math ops and manifests pointing outside their directory are refused. */
class UntrustedModelTest {
    static final Path SELFIE = Path.of("models", "selfie");

    @TempDir
    Path tmp;

    @Test
    void readFileWriteFileAndPrintAreRefusedByName() throws IOException {
        for (String op : new String[] {"ReadFile", "WriteFile", "PrintV2", "MatchingFiles"}) {
            Path dir = Files.createDirectories(tmp.resolve(op));
            Files.write(dir.resolve("model.pb"), hostileGraph(op).toByteArray());
            Files.writeString(dir.resolve("model.yaml"), "input: {name: input_1, size: 4x4}\noutput: {name: out}\n");
            ModelException e = assertThrows(ModelException.class,
                    () -> SegmentationModel.load(dir.toString(), null, ModelOptions.defaults()));
            assertTrue(e.getMessage().contains("'" + op + "'"), e.getMessage());
        }
    }

    @Test
    void tfjsGraphWithReadFileIsRefused() throws IOException {
        String json = Files.readString(SELFIE.resolve("model.json"));
        String hostile = json.replaceFirst("\"op\":\\s*\"Const\"", "\"op\": \"ReadFile\"");
        Files.writeString(tmp.resolve("model.json"), hostile);
        Files.copy(SELFIE.resolve("selfie.bin"), tmp.resolve("selfie.bin"));
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(tmp.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("ReadFile"), e.getMessage());
    }

    @Test
    void manifestPathsOutsideTheDirectoryAreRefused() throws IOException {
        String json = Files.readString(SELFIE.resolve("model.json"));
        Path outside = tmp.resolve("selfie.bin");
        Files.copy(SELFIE.resolve("selfie.bin"), outside);
        for (String path : new String[] {"../selfie.bin", outside.toAbsolutePath().toString(), "sub/../../selfie.bin"}) {
            Path dir = Files.createDirectories(tmp.resolve("m" + path.hashCode()));
            Files.writeString(dir.resolve("model.json"), json.replace("\"selfie.bin\"", "\"" + path + "\""));
            ModelException e = assertThrows(ModelException.class,
                    () -> SegmentationModel.load(dir.toString(), null, ModelOptions.defaults()));
            assertTrue(e.getMessage().contains(path) && e.getMessage().contains("outside"), e.getMessage());
        }
        // A symbolic link inside the directory that leads out of it.
        Path dir = Files.createDirectories(tmp.resolve("link"));
        Files.writeString(dir.resolve("model.json"), json);
        Files.createSymbolicLink(dir.resolve("selfie.bin"), outside.toAbsolutePath());
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(dir.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("link") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void savedModelLoadsButWriteFileInTheSignatureIsRefused() throws IOException {
        // A plain export (TF Java adds no saver when the graph has no variables) loads and runs.
        Path ok = export(tmp.resolve("ok"), false);
        Set<String> ops = new TreeSet<>();
        for (NodeDef n : SavedModel.parseFrom(Files.readAllBytes(ok.resolve("saved_model.pb")))
                .getMetaGraphs(0).getGraphDef().getNodeList()) {
            ops.add(n.getOp());
        }
        System.out.println("exported SavedModel ops: " + ops);
        Files.writeString(ok.resolve("model.yaml"), "input: {name: x, size: 4x4}\noutput: {name: y}\n");
        try (SegmentationModel m = SegmentationModel.load(ok.toString(), null, ModelOptions.defaults())) {
            assertTrue(m.description().contains("SavedModel"), m.description());
        }
        // The same with a WriteFile the signature output depends on: refused before TensorFlow loads it.
        Path bad = export(tmp.resolve("bad"), true);
        Files.writeString(bad.resolve("model.yaml"), "input: {name: x, size: 4x4}\noutput: {name: y}\n");
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(bad.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("'WriteFile'"), e.getMessage());
    }

    @Test
    void saverOpsAreAllowedOnlyOnTheSaverPaths() {
        // restore_all <- RestoreV2 <- filename; save <- SaveV2 <- filename; y <- x (the signature output).
        GraphDef g = GraphDef.newBuilder()
                .addNode(node("filename", "Const"))
                .addNode(node("x", "Placeholder"))
                .addNode(node("y", "Sigmoid", "x"))
                .addNode(node("restore", "RestoreV2", "filename"))
                .addNode(node("restore_all", "NoOp", "^restore"))
                .addNode(node("save", "SaveV2", "filename"))
                .build();
        OpAllowlist.checkSavedModel(g, java.util.List.of("y:0"), "restore_all", "ok");
        // The signature output now depends on a RestoreV2: refused (it would read files on every run).
        GraphDef readsOnRun = g.toBuilder().setNode(2, node("y", "Sigmoid", "x", "^restore")).build();
        ModelException e = assertThrows(ModelException.class,
                () -> OpAllowlist.checkSavedModel(readsOnRun, java.util.List.of("y:0"), "restore_all", "bad"));
        assertTrue(e.getMessage().contains("'RestoreV2'"), e.getMessage());
        // The restore op now runs a SaveV2 (writes a checkpoint at load): refused.
        GraphDef writesOnLoad = g.toBuilder().setNode(4, node("restore_all", "NoOp", "^restore", "^save")).build();
        e = assertThrows(ModelException.class,
                () -> OpAllowlist.checkSavedModel(writesOnLoad, java.util.List.of("y:0"), "restore_all", "bad"));
        assertTrue(e.getMessage().contains("'SaveV2'"), e.getMessage());
    }

    private static NodeDef node(String name, String op, String... inputs) {
        NodeDef.Builder b = NodeDef.newBuilder().setName(name).setOp(op);
        for (String in : inputs) {
            b.addInput(in);
        }
        return b.build();
    }

    private static Path export(Path dir, boolean writeFile) throws IOException {
        try (Graph g = new Graph(); Session s = SessionOptions.session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            var mean = tf.math.mean(x, tf.constant(new int[] {3}), org.tensorflow.op.math.Mean.keepDims(true));
            var y = tf.math.sigmoid(mean);
            org.tensorflow.Operand<TFloat32> out = y;
            if (writeFile) {
                var w = tf.io.writeFile(tf.constant("/tmp/backdrop-should-not-exist"), tf.constant("pwned"));
                out = tf.withControlDependencies(java.util.List.of(w)).identity(y);
            }
            Signature sig = Signature.builder().key("serving_default").input("x", x).output("y", out).build();
            SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
        }
        return dir;
    }

    /** Placeholder input_1 -> Identity "out", plus a node of the given op fed by string constants. */
    static GraphDef hostileGraph(String op) {
        AttrValue f32 = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
        NodeDef.Builder hostile = NodeDef.newBuilder().setName("evil").setOp(op);
        switch (op) {
            case "ReadFile":
            case "MatchingFiles":
                hostile.addInput("path");
                break;
            case "WriteFile":
                hostile.addInput("path").addInput("path");
                break;
            default:
                hostile.addInput("path");
                break;
        }
        return GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("input_1").setOp("Placeholder").putAttr("dtype", f32))
                .addNode(NodeDef.newBuilder().setName("path").setOp("Const")
                        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build())
                        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                                .setDtype(DataType.DT_STRING).setTensorShape(TensorShapeProto.getDefaultInstance())
                                .addStringVal(ByteString.copyFromUtf8("/etc/passwd"))).build()))
                .addNode(hostile)
                .addNode(NodeDef.newBuilder().setName("out").setOp("Identity").addInput("input_1")
                        .addInput("^evil").putAttr("T", f32))
                .build();
    }
}
