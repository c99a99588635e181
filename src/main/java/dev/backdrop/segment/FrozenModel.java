package dev.backdrop.segment;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Any model Backdrop can load, as one self-contained GraphDef whose weights are constants (a SavedModel's
 * variables are read and frozen in), pruned to what the mask and the recurrent state need, with the tensors
 * Backdrop feeds and fetches. It is what {@code train --init} makes trainable, and what it writes back, with
 * new weights, as a frozen graph that loads like any other model.
 *
 * @param input       the image input's node
 * @param output      the mask tensor ("node" or "node:1")
 * @param width       the fixed input width, 0 when the model runs at any size
 * @param kind        sigmoid, softmax or alpha, as output.kind in model.yaml
 * @param stateInputs recurrent state inputs (fed a scalar zero on a first frame), with their outputs
 * @param downsample  the scalar downsample-ratio input, or null
 */
public record FrozenModel(String name, GraphDef graph, String input, String output, int width, int height,
        float rangeMin, float rangeMax, boolean bgr, boolean nchw, String kind, int personChannel,
        List<String> stateInputs, List<String> stateOutputs, String downsample, AspectMode aspect) {

    private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable");

    /** Loads and checks the model exactly as segmentation does, then freezes and prunes its graph. */
    public static FrozenModel load(String nameOrPath, Path modelsDir) {
        ModelLoader.Found found = ModelLoader.find(nameOrPath, modelsDir);
        ModelDescriptor d = found.descriptor();
        try (ModelGraph g = ModelLoader.open(found, ModelOptions.defaults())) {
            ModelTensors t = ModelTensors.bind(g, d);
            GraphDef def = freeze(g.graph.toGraphDef(), g.session);
            List<String> roots = new ArrayList<>(t.stateOut());
            roots.add(t.output());
            Map<String, NodeDef> byName = new LinkedHashMap<>();
            def.getNodeList().forEach(n -> byName.put(n.getName(), n));
            Set<String> keep = OpAllowlist.ancestors(byName, roots);
            GraphDef.Builder pruned = GraphDef.newBuilder().setVersions(def.getVersions());
            def.getNodeList().stream().filter(n -> keep.contains(n.getName())).forEach(pruned::addNode);
            return new FrozenModel(found.name(), pruned.build(), OpAllowlist.nodeName(t.input()), t.output(),
                    t.inputWidth(), t.inputHeight(), d.rangeMin(), d.rangeMax(), d.bgr(), d.nchw(),
                    d.outputKind().name().toLowerCase(Locale.ROOT), d.personChannel(),
                    t.stateIn().stream().map(OpAllowlist::nodeName).toList(), t.stateOut(),
                    t.downsample() == null ? null : OpAllowlist.nodeName(t.downsample()), d.aspect());
        }
    }

    /**
     * Every variable's current value as a constant of the same name: VariableV2 nodes directly, resource
     * variables at each ReadVariableOp (the handle itself is then pruned away).
     */
    private static GraphDef freeze(GraphDef def, Session session) {
        Map<String, NodeDef> byName = new LinkedHashMap<>();
        def.getNodeList().forEach(n -> byName.put(n.getName(), n));
        List<String> toFreeze = new ArrayList<>();
        for (NodeDef n : def.getNodeList()) {
            boolean readOfHandle = n.getOp().equals("ReadVariableOp") && n.getInputCount() > 0
                    && "VarHandleOp".equals(opOf(byName, n.getInput(0)));
            if (VARIABLE_OPS.contains(n.getOp()) || readOfHandle) {
                toFreeze.add(n.getName());
            }
        }
        if (toFreeze.isEmpty()) {
            return def;
        }
        Session.Runner runner = session.runner();
        toFreeze.forEach(runner::fetch);
        Map<String, NodeDef> frozen = new LinkedHashMap<>();
        try (Result r = runner.run()) {
            for (int i = 0; i < toFreeze.size(); i++) {
                frozen.put(toFreeze.get(i), constant(toFreeze.get(i), r.get(i)));
            }
        }
        GraphDef.Builder out = GraphDef.newBuilder().setVersions(def.getVersions()).setLibrary(def.getLibrary());
        for (NodeDef n : def.getNodeList()) {
            out.addNode(frozen.getOrDefault(n.getName(), n));
        }
        return out.build();
    }

    private static String opOf(Map<String, NodeDef> byName, String tensor) {
        NodeDef n = byName.get(OpAllowlist.nodeName(tensor));
        return n == null ? null : n.getOp();
    }

    /** A Const node holding a tensor's value. */
    public static NodeDef constant(String name, Tensor value) {
        ByteDataBuffer bytes = value.asRawTensor().data();
        byte[] content = new byte[(int) bytes.size()];
        bytes.read(content);
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : value.shape().asArray()) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        TensorProto proto = TensorProto.newBuilder().setDtype(value.dataType()).setTensorShape(shape)
                .setTensorContent(ByteString.copyFrom(content)).build();
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(value.dataType()).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(proto).build()).build();
    }

    /**
     * An int32 constant's values: its tensor content, or its int_val list, whose last value fills the rest
     * of its shape (how TensorFlow reads a short list, e.g. one value for all).
     */
    public static int[] ints(TensorProto t) {
        if (!t.getTensorContent().isEmpty()) {
            java.nio.IntBuffer content = t.getTensorContent().asReadOnlyByteBuffer()
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            int[] v = new int[content.remaining()];
            content.get(v);
            return v;
        }
        long count = 1;
        for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
            count *= d.getSize();
        }
        int[] v = new int[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getIntVal(Math.min(i, t.getIntValCount() - 1));
        }
        return v;
    }

    /**
     * This model taking width x height input: a fixed-size NHWC graph with its stated sizes scaled
     * ({@link InputResize}); itself when that is its size already.
     */
    public FrozenModel resized(int width, int height) {
        if (width == this.width && height == this.height) {
            return this;
        }
        return new FrozenModel(name, InputResize.apply(this, width, height), input, output, width, height, rangeMin,
                rangeMax, bgr, nchw, kind, personChannel, stateInputs, stateOutputs, downsample, aspect);
    }

    /** The nodes the mask is computed from (the output's node included). */
    public Set<String> maskAncestors() {
        Map<String, NodeDef> byName = new LinkedHashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        return OpAllowlist.ancestors(byName, List.of(output));
    }

    /** "^x", "x:1", "x" -> "x". */
    public static String nodeName(String tensor) {
        return OpAllowlist.nodeName(tensor);
    }

    public boolean recurrent() {
        return !stateInputs.isEmpty();
    }

    /** The model.yaml of this model saved as a frozen graph in {@code file}: every tensor named directly. */
    public String modelYaml(String file, String comment) {
        StringBuilder y = new StringBuilder("# ").append(comment).append(" See models/README.md for every key.\n")
                .append("format: frozen\nfile: ").append(file).append('\n')
                .append("input:\n  name: ").append(input).append('\n')
                .append("  layout: ").append(nchw ? "nchw" : "nhwc").append('\n')
                .append("  size: ").append(width > 0 ? width + "x" + height : "any").append('\n')
                .append("  range: [").append(number(rangeMin)).append(", ").append(number(rangeMax)).append("]\n")
                .append("  colors: ").append(bgr ? "bgr" : "rgb").append('\n')
                .append("output:\n  name: ").append(output).append('\n')
                .append("  kind: ").append(kind).append('\n');
        if (kind.equals("softmax")) {
            y.append("  person_channel: ").append(personChannel).append('\n');
        }
        if (recurrent()) {
            y.append("state:\n");
            for (int i = 0; i < stateInputs.size(); i++) {
                y.append("  - {input: ").append(stateInputs.get(i)).append(", output: ").append(stateOutputs.get(i))
                        .append("}\n");
            }
        }
        if (downsample != null) {
            y.append("downsample_ratio: ").append(downsample).append('\n');
        }
        if (aspect != null) {
            y.append("aspect: ").append(aspect.lowerName()).append('\n');
        }
        return y.toString();
    }

    private static String number(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}
