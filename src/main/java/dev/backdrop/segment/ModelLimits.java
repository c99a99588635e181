package dev.backdrop.segment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Untrusted models, second line of defence: a graph of allowed ops can still exhaust memory or stack when
 * TensorFlow imports it. Checked before TensorFlow sees the graph: the size of the model's files, the element
 * count of every tensor shape the graph or manifest declares, the number of nodes and the longest dependency
 * chain. Defaults lie far above the bundled models (rvm: 4.2 MiB, 1009 nodes, 454 deep;
 * ModelLimitsTest prints the figures).
 *
 * @param modelBytes     graph and weight files together
 * @param tensorElements elements of any one declared tensor (Const value, Placeholder or other shape attribute,
 *                       manifest weight)
 * @param graphNodes     nodes of the graph and its function library together
 * @param graphDepth     nodes on the longest chain of inputs (data and control)
 */
public record ModelLimits(long modelBytes, long tensorElements, int graphNodes, int graphDepth) {

    public static final ModelLimits DEFAULTS = new ModelLimits(1L << 30, 1L << 28, 200_000, 20_000);

    private static final String ADVICE = "; use a smaller model, or raise the limit in the config file if you"
            + " trust this one";

    /** The model's graph and weight files add up to {@code bytes}. */
    void checkSize(String source, long bytes) {
        if (bytes > modelBytes) {
            throw new ModelException(source + ": the model's files hold " + mb(bytes) + ", over the limit of "
                    + mb(modelBytes) + " (segmentation.limits.model_mb)" + ADVICE);
        }
    }

    /** A manifest weight or graph tensor of this shape (-1 = unknown dimension). */
    void checkShape(String source, String tensor, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < -1) {
                throw new ModelException(source + ": tensor '" + tensor + "' has an invalid dimension " + d
                        + "; the model is damaged");
            }
            n = d <= 0 ? n : saturatingMultiply(n, d);
        }
        if (n > tensorElements) {
            throw new ModelException(source + ": tensor '" + tensor + "' has shape " + java.util.Arrays.toString(shape)
                    + " (" + n + " elements), over the limit of " + tensorElements
                    + " elements (segmentation.limits.tensor_elements)" + ADVICE);
        }
    }

    /** Node count, every shape the nodes declare, and the longest input chain, of the graph and its functions. */
    void checkGraph(GraphDef graph, String source) {
        long nodes = graph.getNodeCount();
        for (FunctionDef f : graph.getLibrary().getFunctionList()) {
            nodes += f.getNodeDefCount();
        }
        if (nodes > graphNodes) {
            throw new ModelException(source + ": the graph has " + nodes + " nodes, over the limit of " + graphNodes
                    + " (segmentation.limits.graph_nodes)" + ADVICE);
        }
        checkDepth(graph.getNodeList(), source);
        for (NodeDef n : graph.getNodeList()) {
            checkAttrs(n, source);
        }
        for (FunctionDef f : graph.getLibrary().getFunctionList()) {
            checkDepth(f.getNodeDefList(), source + " (function " + f.getSignature().getName() + ")");
            for (NodeDef n : f.getNodeDefList()) {
                checkAttrs(n, source);
            }
        }
    }

    private void checkAttrs(NodeDef n, String source) {
        for (Map.Entry<String, AttrValue> a : n.getAttrMap().entrySet()) {
            AttrValue v = a.getValue();
            String what = n.getName() + "' attribute '" + a.getKey();
            if (v.hasTensor()) {
                checkShape(source, what, dims(v.getTensor().getTensorShape()));
            }
            if (v.hasShape()) {
                checkShape(source, what, dims(v.getShape()));
            }
            for (TensorShapeProto s : v.getList().getShapeList()) {
                checkShape(source, what, dims(s));
            }
            for (org.tensorflow.proto.TensorProto t : v.getList().getTensorList()) {
                checkShape(source, what, dims(t.getTensorShape()));
            }
        }
    }

    private void checkDepth(List<NodeDef> nodes, String source) {
        int deepest = longestChain(nodes);
        if (deepest > graphDepth) {
            throw new ModelException(source + ": the graph's longest chain of operations is " + deepest
                    + " nodes deep, over the limit of " + graphDepth + " (segmentation.limits.graph_depth)" + ADVICE);
        }
    }

    /**
     * Nodes on the longest chain of inputs, without recursion (a deep graph must not overflow our stack
     * either). Loop back edges (NextIteration into Merge) are left out; nodes on any other cycle are never
     * reached, and TensorFlow refuses such a graph itself.
     */
    static int longestChain(List<NodeDef> nodes) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).getName(), i);
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) {
                Integer from = index.get(OpAllowlist.nodeName(in));
                if (from != null && !"NextIteration".equals(nodes.get(from).getOp())) {
                    consumers.get(from).add(i);
                    pending[i]++;
                }
            }
        }
        int[] depth = new int[nodes.size()];
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
                depth[i] = 1;
            }
        }
        int deepest = 0;
        while (!ready.isEmpty()) {
            int i = ready.pop();
            deepest = Math.max(deepest, depth[i]);
            for (int c : consumers.get(i)) {
                depth[c] = Math.max(depth[c], depth[i] + 1);
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        return deepest;
    }

    private static long[] dims(TensorShapeProto s) {
        return s.getUnknownRank() ? new long[0] : ModelGraph.dims(s);
    }

    private static long saturatingMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
