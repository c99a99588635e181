package dev.backdrop.segment;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A fixed-size NHWC graph made to take another input size, for {@code train --init M --size WxH}: the
 * sizes it states for the input are scaled by the new size over the old, along each axis. Those are the
 * input placeholder's shape, global pools (a window whose output is 1x1: MediaPipe's selfie has ten, one
 * per squeeze-and-excite block), and the constant output sizes of resizes and of transposed convolutions.
 * Every scaled size must come out whole, and the mask must come out scaled too; anything else is refused,
 * since a size the graph states some other way would be left as it was.
 */
final class InputResize {
    private static final Set<String> RESIZES = Set.of("ResizeBilinear", "ResizeNearestNeighbor");

    private InputResize() {
    }

    /** model's graph for width x height input; model must have a fixed NHWC input size. */
    static GraphDef apply(FrozenModel model, int width, int height) {
        if (model.width() <= 0 || model.nchw()) {
            throw new IllegalArgumentException(model.name() + " takes " + (model.nchw() ? "NCHW input" : "any size")
                    + ": only a fixed-size NHWC model is resized");
        }
        Ratio ratio = new Ratio(model.name(), model.width(), model.height(), width, height);
        Map<String, NodeDef> byName = model.graph().getNodeList().stream()
                .collect(Collectors.toMap(NodeDef::getName, Function.identity()));
        GraphDef.Builder def = model.graph().toBuilder();
        try (Graph graph = new Graph()) {
            graph.importGraphDef(model.graph());
            for (NodeDef.Builder n : def.getNodeBuilderList()) {
                String name = n.getName();
                if (name.equals(model.input())) {
                    TensorShapeProto.Builder shape = n.getAttrOrThrow("shape").getShape().toBuilder();
                    shape.getDimBuilder(1).setSize(height);
                    shape.getDimBuilder(2).setSize(width);
                    n.putAttr("shape", AttrValue.newBuilder().setShape(shape).build());
                } else if ((n.getOp().equals("AvgPool") || n.getOp().equals("MaxPool")) && isGlobal(graph, name)) {
                    long[] hw = ratio.spatial(name, n.getAttrOrThrow("ksize").getList().getIList(), 1);
                    AttrValue window = ints(new long[] {1, hw[0], hw[1], 1});
                    n.putAttr("ksize", window);
                    n.putAttr("strides", window);
                } else if (RESIZES.contains(n.getOp())) {
                    scaleConstant(byName, def, n.getInput(1), name, ratio, 0);
                } else if (n.getOp().equals("Conv2DBackpropInput")) {
                    scaleConstant(byName, def, n.getInput(0), name, ratio, 1);
                }
            }
            Shape before = graph.operation(FrozenModel.nodeName(model.output())).output(0).shape();
            checkMask(model, def.build(), before, ratio);
        }
        return def.build();
    }

    /** A pool whose output is one value a channel: its window is the whole feature map. */
    private static boolean isGlobal(Graph graph, String name) {
        Shape s = graph.operation(name).output(0).shape();
        return s.numDimensions() == 4 && s.size(1) == 1 && s.size(2) == 1;
    }

    /** The int32 constant feeding tensor (a size: [h, w] from first, or [n, h, w, c] from 1), scaled in def. */
    private static void scaleConstant(Map<String, NodeDef> byName, GraphDef.Builder def, String tensor, String user,
                                      Ratio ratio, int first) {
        NodeDef c = byName.get(FrozenModel.nodeName(tensor));
        if (c == null || !c.getOp().equals("Const") || c.getAttrOrThrow("dtype").getType() != DataType.DT_INT32) {
            throw new IllegalArgumentException(user + " takes its size from " + tensor
                    + ", not a constant: the model cannot be resized");
        }
        int[] v = FrozenModel.ints(c.getAttrOrThrow("value").getTensor());
        long[] hw = ratio.spatial(user, Arrays.stream(v).asLongStream().boxed().toList(), first);
        v[first] = (int) hw[0];
        v[first + 1] = (int) hw[1];
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(v);
        TensorProto.Builder t = c.getAttrOrThrow("value").getTensor().toBuilder().clearIntVal()
                .setTensorContent(ByteString.copyFrom(bytes.array()));
        for (NodeDef.Builder n : def.getNodeBuilderList()) {
            if (n.getName().equals(c.getName())) {
                n.putAttr("value", AttrValue.newBuilder().setTensor(t).build());
            }
        }
    }

    /** The resized graph's mask must be the old one's scaled, where its shape is known. */
    private static void checkMask(FrozenModel model, GraphDef resized, Shape old, Ratio ratio) {
        try (Graph after = new Graph()) {
            after.importGraphDef(resized);
            Shape now = after.operation(FrozenModel.nodeName(model.output())).output(0).shape();
            if (old.numDimensions() == 4 && old.size(1) > 0 && old.size(2) > 0) {
                long[] expected = ratio.spatial("the mask", Arrays.stream(old.asArray()).boxed().toList(), 1);
                if (now.size(1) != expected[0] || now.size(2) != expected[1]) {
                    throw new IllegalArgumentException(model.name() + " cannot be resized to " + ratio.target()
                            + ": its mask came out " + now + " where " + expected[1] + "x" + expected[0]
                            + " was expected (the graph states a size Backdrop does not scale)");
                }
            }
        }
    }

    private static AttrValue ints(long[] values) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        Arrays.stream(values).forEach(list::addI);
        return AttrValue.newBuilder().setList(list).build();
    }

    /** From one input size to another: scales sizes by it, and insists on whole numbers. */
    private record Ratio(String model, int fromWidth, int fromHeight, int toWidth, int toHeight) {
        /** dims[first] and dims[first + 1] (a height and a width) scaled: {height, width}. */
        long[] spatial(String what, List<Long> dims, int first) {
            long h = dims.get(first) * toHeight;
            long w = dims.get(first + 1) * toWidth;
            if (h % fromHeight != 0 || w % fromWidth != 0 || h == 0 || w == 0) {
                throw new IllegalArgumentException(model + " cannot be resized to " + target() + ": " + what
                        + "'s size " + dims.get(first + 1) + "x" + dims.get(first) + " would not scale to whole pixels"
                        + " (try sides that are multiples of " + fromWidth / gcd(fromWidth, dims.get(first + 1))
                        + " wide and " + fromHeight / gcd(fromHeight, dims.get(first)) + " high)");
            }
            return new long[] {h / fromHeight, w / fromWidth};
        }

        String target() {
            return toWidth + "x" + toHeight;
        }

        private static long gcd(long a, long b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }
}
