package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Models too large, with absurd tensor shapes, too many nodes or too deep are refused before TensorFlow reads them. */
class ModelLimitsTest {
    static final Path MODELS = Path.of("models");
    static final AttrValue F32 = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();

    @TempDir
    Path tmp;

    @Test
    void bundledModelsAreFarInsideTheDefaults() throws IOException {
        for (String name : new String[] {"selfie", "rvm"}) {
            Path json = MODELS.resolve(name).resolve("model.json");
            GraphDef g = TfjsModelReader.read(json).graph();
            long bytes = 0;
            try (var files = Files.list(MODELS.resolve(name))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    bytes += p.toString().endsWith(".json") || p.toString().endsWith(".bin") ? Files.size(p) : 0;
                }
            }
            int depth = ModelLimits.longestChain(g.getNodeList());
            System.out.printf("%s: %d bytes, %d nodes, depth %d%n", name, bytes, g.getNodeCount(), depth);
            ModelLimits d = ModelLimits.DEFAULTS;
            assertTrue(bytes * 100 < d.modelBytes() && g.getNodeCount() * 100 < d.graphNodes()
                    && depth * 40 < d.graphDepth(), name);
        }
    }

    @Test
    void hugeConstantIsRefusedByItsShape() throws IOException {
        // one float spread over 100000x100000 elements: TensorFlow would allocate 40 GB on import
        TensorProto splat = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(100_000, 100_000)).addFloatVal(1f).build();
        NodeDef big = NodeDef.newBuilder().setName("big").setOp("Const").putAttr("dtype", F32)
                .putAttr("value", AttrValue.newBuilder().setTensor(splat).build()).build();
        ModelException e = refused(graph(input(shape(1, 4, 4, 3)), big, identity("out", "input_1")));
        assertMessage(e, "'big'", "10000000000 elements", "268435456", "segmentation.limits.tensor_elements");
    }

    @Test
    void placeholderWithAbsurdDimensionsIsRefused() throws IOException {
        ModelException e = refused(graph(input(shape(1, 1_000_000, 1_000_000, 3)), identity("out", "input_1")));
        assertMessage(e, "'input_1'", "[1, 1000000, 1000000, 3]", "segmentation.limits.tensor_elements");
        // dimensions whose product overflows a long are refused the same way, not wrapped around
        e = refused(graph(input(shape(1L << 40, 1L << 40, 3)), identity("out", "input_1")));
        assertMessage(e, "'input_1'", "segmentation.limits.tensor_elements");
    }

    @Test
    void tooManyNodesAndTooDeepAChainAreRefused() throws IOException {
        // a chain of 30000 Identity nodes: 30001 nodes, 30001 deep
        GraphDef.Builder chain = GraphDef.newBuilder().addNode(input(shape(1, 4, 4, 3)));
        for (int i = 0; i < 30_000; i++) {
            chain.addNode(identity("n" + i, i == 0 ? "input_1" : "n" + (i - 1)));
        }
        ModelException e = refused(chain.build());
        assertMessage(e, "30001 nodes deep", "20000", "segmentation.limits.graph_depth");

        ModelLimits fewNodes = new ModelLimits(1L << 30, 1L << 28, 1000, 1_000_000);
        e = assertThrows(ModelException.class, () -> fewNodes.checkGraph(chain.build(), "chain.pb"));
        assertMessage(e, "chain.pb", "30001 nodes", "1000", "segmentation.limits.graph_nodes");
    }

    @Test
    void loopBackEdgesDoNotCountAsCycles() {
        // Enter -> Merge -> Switch -> Identity -> NextIteration -> back into Merge
        GraphDef loop = GraphDef.newBuilder()
                .addNode(node("x", "Placeholder"))
                .addNode(node("enter", "Enter", "x"))
                .addNode(node("merge", "Merge", "enter", "next"))
                .addNode(node("switch", "Switch", "merge", "x"))
                .addNode(node("body", "Identity", "switch:1"))
                .addNode(node("next", "NextIteration", "body"))
                .addNode(node("exit", "Exit", "switch"))
                .build();
        assertEquals(6, ModelLimits.longestChain(loop.getNodeList()), "x enter merge switch body next");
    }

    @Test
    void modelFilesOverTheSizeLimitAreRefusedBeforeTheyAreRead() {
        ModelLimits small = new ModelLimits(100_000, 1L << 28, 200_000, 20_000);
        ModelException e = assertThrows(ModelException.class, () -> SegmentationModel.load("selfie", MODELS,
                ModelOptions.builder().limits(small).build()));
        // selfie: model.json 84 kB + selfie.bin 213 kB
        assertMessage(e, "model.json", "0.3 MiB", "0.1 MiB", "segmentation.limits.model_mb");
    }

    @Test
    void manifestWeightWithAnAbsurdShapeIsRefused() throws IOException {
        ModelException e = BadModelTest.selfieWithManifestShape(tmp, "[4294967296,4294967296]");
        assertMessage(e, "'segment/input_sizes'", "segmentation.limits.tensor_elements");
    }

    @Test
    void limitsComeFromTheConfigFile() {
        ModelLimits l = ConfigLoader.parse("segmentation:\n  limits:\n    model_mb: 2\n    graph_nodes: 10\n", "t.yaml")
                .segmentation().limits();
        assertEquals(new ModelLimits(2L << 20, ModelLimits.DEFAULTS.tensorElements(), 10,
                ModelLimits.DEFAULTS.graphDepth()), l);
        assertEquals(ModelLimits.DEFAULTS, Settings.DEFAULT.segmentation().limits());
    }

    /** Writes the graph as a frozen model and loads it with the default limits. */
    private ModelException refused(GraphDef g) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "m");
        Files.write(dir.resolve("model.pb"), g.toByteArray());
        Files.writeString(dir.resolve("model.yaml"), "input: {name: input_1, size: 4x4}\noutput: {name: out}\n");
        return assertThrows(ModelException.class,
                () -> SegmentationModel.load(dir.toString(), null, ModelOptions.defaults()));
    }

    private static void assertMessage(ModelException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static GraphDef graph(NodeDef... nodes) {
        GraphDef.Builder g = GraphDef.newBuilder();
        for (NodeDef n : nodes) {
            g.addNode(n);
        }
        return g.build();
    }

    private static NodeDef input(TensorShapeProto shape) {
        return NodeDef.newBuilder().setName("input_1").setOp("Placeholder").putAttr("dtype", F32)
                .putAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build();
    }

    private static NodeDef identity(String name, String input) {
        return NodeDef.newBuilder().setName(name).setOp("Identity").addInput(input).putAttr("T", F32).build();
    }

    private static NodeDef node(String name, String op, String... inputs) {
        NodeDef.Builder b = NodeDef.newBuilder().setName(name).setOp(op);
        for (String in : inputs) {
            b.addInput(in);
        }
        return b.build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }
}
