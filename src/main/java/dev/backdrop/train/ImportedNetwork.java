package dev.backdrop.train;

import com.google.protobuf.ByteString;
import dev.backdrop.segment.FrozenModel;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Any model Backdrop loads, made trainable: its frozen graph is imported with every weight constant (a float
 * tensor, not a scalar, on the way to the mask) turned into a variable that starts at the constant's
 * value, the image input fed from a [0, 1] RGB batch, recurrent state inputs at zero (a first frame) and the
 * downsample ratio fixed. Gradients come through the imported ops themselves. The export is the same graph
 * with the new values in its constants, so it runs exactly as the original does.
 */
final class ImportedNetwork implements Network {
    private static final String IMAGE = "backdrop_train/image";
    private static final String SUFFIX = "/_backdrop_";
    private static final Set<String> LAYER_OPS =
            Set.of("Conv2D", "DepthwiseConv2dNative", "Conv2DBackpropInput", "MatMul", "BatchMatMulV2");

    private final FrozenModel model;
    private final int width;
    private final int height;
    /** Trainable weights' starting values, in graph order; frozen ones stay constants. */
    private final Map<String, float[]> start = new LinkedHashMap<>();
    private final int frozen;
    private final long frozenValues;

    /**
     * @param width  training width when the model takes any size; a fixed-size model trains at its own size (see {@link #load})
     * @param freeze how many layers (convolutions and matrix products, from the input) keep their weights
     */
    ImportedNetwork(FrozenModel model, int width, int height, int freeze) {
        this.model = model;
        this.width = model.width() > 0 ? model.width() : width;
        this.height = model.width() > 0 ? model.height() : height;
        Set<String> onMaskPath = model.maskAncestors();
        Map<String, Integer> layer = layers(model.graph());
        int frozenCount = 0;
        long frozenSum = 0;
        for (NodeDef n : model.graph().getNodeList()) {
            if (!isWeight(n) || !onMaskPath.contains(n.getName())) {
                continue;
            }
            float[] v = floats(n);
            if (freeze > 0 && layer.getOrDefault(n.getName(), Integer.MAX_VALUE) <= freeze) {
                frozenCount++;
                frozenSum += v.length;
                continue;
            }
            start.put(n.getName(), v);
        }
        this.frozen = frozenCount;
        this.frozenValues = frozenSum;
        if (start.isEmpty()) {
            throw new IllegalArgumentException("--init " + model.name() + " has no weights to train: its graph holds "
                    + (frozenCount > 0 ? "only the " + frozenCount + " weight tensors --freeze " + freeze + " keeps"
                    : "no float tensors on the way to its mask")
                    + (frozenCount > 0 ? "; freeze fewer layers" : "; give a model with learned weights"));
        }
    }

    /** resize: a fixed-size model is resized to width x height ({@link FrozenModel#resized}) instead of keeping its size. */
    static ImportedNetwork load(String nameOrPath, Path modelsDir, int width, int height, boolean resize, int freeze) {
        FrozenModel model = FrozenModel.load(nameOrPath, modelsDir);
        if (resize && model.width() > 0) {
            model = model.resized(width, height);
        }
        return new ImportedNetwork(model, width, height, freeze);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public String describe() {
        long trainable = start.values().stream().mapToLong(v -> v.length).sum();
        return model.name() + " at " + width + "x" + height + " (" + (trainable + frozenValues) + " parameters in "
                + (start.size() + frozen) + " tensors" + (frozen > 0 ? ", " + frozenValues + " of them in the "
                + frozen + " tensors of the frozen layers" : "") + ")";
    }

    @Override
    public String origin() {
        return model.name();
    }

    @Override
    public Built build(Graph graph, Ops tf, Map<String, float[]> initial) {
        GraphDef.Builder def = GraphDef.newBuilder().setVersions(model.graph().getVersions());
        List<String> assigns = new ArrayList<>();
        for (NodeDef n : model.graph().getNodeList()) {
            String name = n.getName();
            if (name.equals(model.input())) {
                imageInput(def, n);
            } else if (model.stateInputs().contains(name)) {
                def.addNode(scalar(name, 0f));
            } else if (name.equals(model.downsample())) {
                def.addNode(scalar(name, (float) SegmentationModel.autoDownsampleRatio(width, height,
                        ModelOptions.DEFAULT_ENCODER_SIDE)));
            } else if (n.getOp().equals("Conv2DBackpropInput")) {
                def.addNode(anyBatch(def, n));
            } else if (start.containsKey(name)) {
                float[] value = initial != null && initial.containsKey(name) ? initial.get(name) : start.get(name);
                def.addNode(withFloats(n, value).toBuilder().setName(name + SUFFIX + "initial"));
                AttrValue type = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
                def.addNode(NodeDef.newBuilder().setName(name).setOp("VariableV2").putAttr("dtype", type)
                        .putAttr("shape", AttrValue.newBuilder().setShape(n.getAttrOrThrow("value").getTensor()
                                .getTensorShape()).build()));
                def.addNode(NodeDef.newBuilder().setName(name + SUFFIX + "assign").setOp("Assign").addInput(name)
                        .addInput(name + SUFFIX + "initial").putAttr("T", type));
                assigns.add(name + SUFFIX + "assign");
            } else {
                def.addNode(n);
            }
        }
        try {
            graph.importGraphDef(def.build());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TensorFlow rejects " + model.name() + "'s graph made trainable: "
                    + e.getMessage(), e);
        }
        Map<String, Operand<TFloat32>> weights = new LinkedHashMap<>();
        for (String name : start.keySet()) {
            weights.put(name, typed(graph.operation(name).output(0)));
        }
        List<org.tensorflow.Operation> setup = new ArrayList<>();
        for (String a : assigns) {
            setup.add(graph.operation(a));
        }
        return new Built(typed(graph.operation(IMAGE).output(0)), logits(graph, tf), weights, setup);
    }

    /**
     * A transposed convolution whose output size is a constant (TF.js models say batch 1) made to take the
     * batch from its input instead: [batch of out_backprop] + the constant's height, width and channels.
     */
    private NodeDef anyBatch(GraphDef.Builder def, NodeDef conv) {
        String sizes = conv.getInput(0);
        int[] fixed = null;
        for (NodeDef n : model.graph().getNodeList()) {
            if (n.getName().equals(FrozenModel.nodeName(sizes)) && n.getOp().equals("Const")) {
                fixed = FrozenModel.ints(n.getAttrOrThrow("value").getTensor());
            }
        }
        if (fixed == null) {
            return conv;
        }
        String p = conv.getName() + SUFFIX;
        AttrValue int32 = AttrValue.newBuilder().setType(DataType.DT_INT32).build();
        AttrValue zero = AttrValue.newBuilder().setI(0).build();
        def.addNode(NodeDef.newBuilder().setName(p + "shape").setOp("Shape").addInput(conv.getInput(2))
                .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).putAttr("out_type", int32));
        def.addNode(ints(p + "begin", 0));
        def.addNode(ints(p + "end", 1));
        def.addNode(ints(p + "stride", 1));
        NodeDef.Builder slice = NodeDef.newBuilder().setName(p + "batch").setOp("StridedSlice").addInput(p + "shape")
                .addInput(p + "begin").addInput(p + "end").addInput(p + "stride").putAttr("T", int32)
                .putAttr("Index", int32);
        for (String mask : List.of("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")) {
            slice.putAttr(mask, zero);
        }
        def.addNode(slice);
        def.addNode(ints(p + "size", fixed[1], fixed[2], fixed[3]));
        def.addNode(ints(p + "axis"));
        def.addNode(NodeDef.newBuilder().setName(p + "sizes").setOp("ConcatV2").addInput(p + "batch")
                .addInput(p + "size").addInput(p + "axis").putAttr("T", int32).putAttr("Tidx", int32)
                .putAttr("N", AttrValue.newBuilder().setI(2).build()));
        return conv.toBuilder().setInput(0, p + "sizes").build();
    }

    /** The model's input node becomes an Identity of the [0, 1] RGB batch brought to the model's range and order. */
    private void imageInput(GraphDef.Builder def, NodeDef input) {
        AttrValue type = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
        def.addNode(NodeDef.newBuilder().setName(IMAGE).setOp("Placeholder").putAttr("dtype", type)
                .putAttr("shape", AttrValue.newBuilder().setShape(shape(-1, height, width, 3)).build()));
        String x = IMAGE;
        if (model.rangeMin() != 0 || model.rangeMax() != 1) {
            def.addNode(scalar(IMAGE + SUFFIX + "scale", model.rangeMax() - model.rangeMin()));
            def.addNode(scalar(IMAGE + SUFFIX + "offset", model.rangeMin()));
            def.addNode(binary("Mul", IMAGE + SUFFIX + "scaled", x, IMAGE + SUFFIX + "scale"));
            def.addNode(binary("AddV2", IMAGE + SUFFIX + "ranged", IMAGE + SUFFIX + "scaled", IMAGE + SUFFIX + "offset"));
            x = IMAGE + SUFFIX + "ranged";
        }
        if (model.bgr()) {
            def.addNode(ints(IMAGE + SUFFIX + "channel_axis", 3));
            def.addNode(NodeDef.newBuilder().setName(IMAGE + SUFFIX + "bgr").setOp("ReverseV2").addInput(x)
                    .addInput(IMAGE + SUFFIX + "channel_axis").putAttr("T", type)
                    .putAttr("Tidx", AttrValue.newBuilder().setType(DataType.DT_INT32).build()));
            x = IMAGE + SUFFIX + "bgr";
        }
        if (model.nchw()) {
            def.addNode(ints(IMAGE + SUFFIX + "nchw", 0, 3, 1, 2));
            def.addNode(NodeDef.newBuilder().setName(IMAGE + SUFFIX + "transpose").setOp("Transpose").addInput(x)
                    .addInput(IMAGE + SUFFIX + "nchw").putAttr("T", type)
                    .putAttr("Tperm", AttrValue.newBuilder().setType(DataType.DT_INT32).build()));
            x = IMAGE + SUFFIX + "transpose";
        }
        def.addNode(NodeDef.newBuilder().setName(input.getName()).setOp("Identity").addInput(x).putAttr("T", type));
    }

    /**
     * Person logits [n, height, width, 1] from the model's output: the input of its final sigmoid when it has
     * one (exact and stable), otherwise the log-odds of its probability or alpha, clipped away from 0 and 1.
     */
    private Operand<TFloat32> logits(Graph graph, Ops tf) {
        String out = model.output();
        int colon = out.indexOf(':');
        GraphOperation op = graph.operation(colon < 0 ? out : out.substring(0, colon));
        Output<TFloat32> output = typed(op.output(colon < 0 ? 0 : Integer.parseInt(out.substring(colon + 1))));
        Operand<TFloat32> x;
        int channels = (int) lastChannels(output);
        if (model.kind().equals("sigmoid") && op.type().equals("Sigmoid") && channels == 1) {
            x = typed(op.input(0));
        } else {
            Operand<TFloat32> p = output;
            if (model.nchw()) {
                p = tf.linalg.transpose(p, tf.constant(new int[] {0, 2, 3, 1}));
            }
            if (channels != 1) {
                int c = model.kind().equals("softmax") ? model.personChannel() : 0;
                p = tf.slice(p, tf.constant(new int[] {0, 0, 0, c}), tf.constant(new int[] {-1, -1, -1, 1}));
            }
            p = tf.clipByValue(p, tf.constant(1e-4f), tf.constant(1 - 1e-4f));
            return resized(tf, tf.math.sub(tf.math.log(p), tf.math.log1p(tf.math.neg(p))), p);
        }
        return resized(tf, x, x);
    }

    /** The logits at training size: resized when the model's output is smaller or its size unknown. */
    private Operand<TFloat32> resized(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> shaped) {
        Shape s = shaped.shape();
        boolean fits = !s.isUnknown() && s.numDimensions() == 4 && s.size(1) == height && s.size(2) == width;
        return fits ? logits : tf.image.resizeBilinear(logits, tf.constant(new int[] {height, width}),
                org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(true));
    }

    private long lastChannels(Output<TFloat32> output) {
        Shape s = output.shape();
        if (s.isUnknown() || s.numDimensions() != 4) {
            return 1;
        }
        return model.nchw() ? s.size(1) : s.size(3);
    }

    @SuppressWarnings("unchecked")
    private static <T> T typed(Output<?> o) {
        return (T) o;
    }

    @Override
    public void export(Path dir, Map<String, float[]> trained, String notice) throws IOException {
        GraphDef.Builder def = model.graph().toBuilder().clearNode();
        for (NodeDef n : model.graph().getNodeList()) {
            def.addNode(trained.containsKey(n.getName()) ? withFloats(n, trained.get(n.getName())) : n);
        }
        Files.createDirectories(dir);
        WeightsFile.writeAtomically(dir.resolve("model.pb"), def.build()::writeTo);
        Files.writeString(dir.resolve("model.yaml"), model.modelYaml("model.pb",
                "How Backdrop runs this model: " + model.name() + " fine-tuned by 'backdrop train'."));
        Files.writeString(dir.resolve("NOTICE.md"), notice);
    }

    @Override
    public void writeWeights(Path file, Map<String, float[]> weights) throws IOException {
        WeightsFile.writeState(file, weights);
    }

    @Override
    public Map<String, float[]> readWeights(Path file) {
        Map<String, float[]> w = WeightsFile.readState(file);
        for (var e : start.entrySet()) {
            float[] v = w.get(e.getKey());
            if (v == null || v.length != e.getValue().length) {
                throw new IllegalArgumentException(file + " has no " + e.getKey() + " of " + e.getValue().length
                        + " values: it is a checkpoint of another model or of other --freeze");
            }
        }
        return w;
    }

    private static boolean isWeight(NodeDef n) {
        // scalars are the graph's fixed arithmetic (hard-swish's 3 and 1/6); tensors are learned
        return n.getOp().equals("Const") && n.getAttrOrThrow("dtype").getType() == DataType.DT_FLOAT
                && dims(n).length >= 1;
    }

    private static long[] dims(NodeDef n) {
        TensorShapeProto s = n.getAttrOrThrow("value").getTensor().getTensorShape();
        long[] out = new long[s.getDimCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.getDim(i).getSize();
        }
        return out;
    }

    /** A float constant's values, from its packed content or its repeated field (one value fills all). */
    static float[] floats(NodeDef n) {
        TensorProto t = n.getAttrOrThrow("value").getTensor();
        long count = 1;
        for (long d : dims(n)) {
            count *= d;
        }
        float[] v = new float[(int) count];
        if (!t.getTensorContent().isEmpty()) {
            t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else if (t.getFloatValCount() > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatVal(Math.min(i, t.getFloatValCount() - 1));
            }
        }
        return v;
    }

    private static NodeDef withFloats(NodeDef n, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        TensorProto t = n.getAttrOrThrow("value").getTensor().toBuilder().clearFloatVal()
                .setTensorContent(ByteString.copyFrom(b.array())).build();
        return n.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
    }

    /**
     * Each weight's layer: the convolution (or matrix product) that consumes it, or for a bias or scale the
     * last one before its consumer, counted from 1 at the input (0: before any).
     */
    private static Map<String, Integer> layers(GraphDef graph) {
        Map<String, Integer> out = new HashMap<>();
        int convs = 0;
        for (NodeDef n : graph.getNodeList()) { // a graph read back from TensorFlow is in topological order
            if (LAYER_OPS.contains(n.getOp())) {
                convs++;
            }
            for (String in : n.getInputList()) {
                out.putIfAbsent(FrozenModel.nodeName(in), convs);
            }
        }
        return out;
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    private static NodeDef scalar(String name, float value) {
        TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape())
                .addFloatVal(value).build();
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
    }

    /** An int32 vector constant; no values: the scalar 0. */
    private static NodeDef ints(String name, int... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                .setTensorShape(values.length == 0 ? shape() : shape(values.length));
        for (int v : values.length == 0 ? new int[] {0} : values) {
            t.addIntVal(v);
        }
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_INT32).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
    }

    private static NodeDef binary(String op, String name, String a, String b) {
        return NodeDef.newBuilder().setName(name).setOp(op).addInput(a).addInput(b)
                .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
    }
}
