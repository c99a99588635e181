package dev.backdrop.segment;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Untrusted models: a TensorFlow graph can read and write files (ReadFile, WriteFile, Save*, MatchingFiles),
 * print, run Python or open queues and datasets. Backdrop runs only graphs made of plain math and
 * neural-network ops, checked here before any TensorFlow session exists.
 */
final class OpAllowlist {

    /** Pure tensor math, array manipulation, NN layers and v1 control flow: nothing here touches the outside. */
    static final Set<String> ALLOWED = Set.of(
            // graph plumbing
            "Const", "Placeholder", "PlaceholderWithDefault", "Identity", "IdentityN", "NoOp", "StopGradient",
            "Snapshot", "EnsureShape",
            // element-wise math
            "Add", "AddV2", "AddN", "Sub", "Mul", "MulNoNan", "Div", "DivNoNan", "RealDiv", "FloorDiv", "FloorMod",
            "Mod", "TruncateDiv", "TruncateMod", "Maximum", "Minimum", "Pow", "SquaredDifference", "Neg", "Abs",
            "Sign", "Square", "Sqrt", "Rsqrt", "Exp", "Expm1", "Log", "Log1p", "Reciprocal", "Inv", "Floor", "Ceil",
            "Round", "Rint", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Erf", "Erfc",
            "ClipByValue", "Cast", "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd",
            "LogicalOr", "LogicalNot", "IsNan", "IsInf", "IsFinite", "Select", "SelectV2",
            // activations
            "Tanh", "Sigmoid", "Softplus", "Softsign", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu", "Softmax",
            "LogSoftmax",
            // layers
            "BiasAdd", "BiasAddV1", "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Einsum", "Conv2D",
            "Conv3D", "Conv2DBackpropInput", "Conv3DBackpropInputV2", "DepthwiseConv2dNative",
            "DepthwiseConv2dNativeBackpropInput", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3",
            "MaxPool", "MaxPoolV2", "AvgPool", "MaxPool3D", "AvgPool3D", "LRN",
            // reductions
            "Mean", "Sum", "Max", "Min", "Prod", "All", "Any", "ArgMax", "ArgMin", "Cumsum", "Cumprod",
            // shapes and arrays
            "Reshape", "Squeeze", "ExpandDims", "Shape", "ShapeN", "Size", "Rank", "Transpose", "Concat", "ConcatV2",
            "Pack", "Unpack", "Split", "SplitV", "Slice", "StridedSlice", "Tile", "Pad", "PadV2", "MirrorPad", "Fill",
            "ZerosLike", "OnesLike", "BroadcastTo", "BroadcastArgs", "Range", "GatherV2", "Gather", "GatherNd",
            "ReverseV2", "Where", "OneHot", "TopKV2", "SpaceToBatchND", "BatchToSpaceND", "SpaceToDepth",
            "DepthToSpace", "ResizeBilinear", "ResizeNearestNeighbor", "ResizeBicubic", "ResizeArea",
            "CropAndResize",
            // v1 control flow (conditionals and loops inside the graph)
            "Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond");

    /** Resource variables: hold weights in a SavedModel; they live in memory only. */
    static final Set<String> VARIABLES = Set.of("VarHandleOp", "ReadVariableOp", "AssignVariableOp",
            "VarIsInitializedOp", "VariableV2", "Variable", "Assign", "IsVariableInitialized");

    /** Calls of functions in the graph's own library (whose bodies are checked too). */
    static final Set<String> CALLS = Set.of("PartitionedCall", "StatefulPartitionedCall");

    /** What SavedModel's loader runs to read variables/ back in: allowed only on the saver's restore path. */
    static final Set<String> RESTORE = Set.of("RestoreV2", "Restore", "RestoreSlice", "StringJoin",
            "ShardedFilename", "ShardedFilespec");

    /** The saver's save path: present in every SavedModel graph, never run by Backdrop or the loader. */
    static final Set<String> SAVE = Set.of("SaveV2", "Save", "SaveSlices", "MergeV2Checkpoints");

    private OpAllowlist() {
    }

    /** A TF.js or frozen graph: every op (library functions included) must be plain math. */
    static void check(GraphDef graph, String source) {
        Set<String> functions = functionNames(graph);
        for (NodeDef n : graph.getNodeList()) {
            checkOp(n, ALLOWED, functions, source);
        }
        checkLibrary(graph, functions, source);
    }

    /**
     * A SavedModel's meta graph. SavedModelBundle's loader runs the saver's restore op (feeding the path of
     * variables/) and any init/main op; Backdrop then fetches signature outputs. So: nodes that feed the
     * signature outputs or the init ops must be plain math or variables; RestoreV2 and its filename helpers are
     * allowed only where nothing but the restore op reaches them (then they can only read the model's own
     * variables/ checkpoint, whose path the loader feeds); SaveV2 and MergeV2Checkpoints, which every exported
     * graph holds for re-saving, are allowed only where nothing that is run at all reaches them. Any other op
     * (ReadFile, WriteFile, PrintV2, queues, datasets, PyFunc, ...) refuses the model.
     *
     * @param runRoots   node names of every signature output and init/main op
     * @param restoreOp  the saver's restore op name, or null when the model has no saver
     */
    static void checkSavedModel(GraphDef graph, Collection<String> runRoots, String restoreOp, String source) {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            byName.put(n.getName(), n);
        }
        Set<String> runByModel = ancestors(byName, runRoots);
        Set<String> restorePath = restoreOp == null ? Set.of() : ancestors(byName, List.of(restoreOp));
        Set<String> functions = functionNames(graph);
        for (NodeDef n : graph.getNodeList()) {
            String op = n.getOp();
            boolean ok = ALLOWED.contains(op) || VARIABLES.contains(op) || CALLS.contains(op)
                    || functions.contains(op)
                    || (RESTORE.contains(op) && !runByModel.contains(n.getName()))
                    || (SAVE.contains(op) && !runByModel.contains(n.getName()) && !restorePath.contains(n.getName()));
            if (!ok) {
                throw refused(n.getName(), op, source);
            }
        }
        checkLibrary(graph, functions, source);
    }

    private static void checkLibrary(GraphDef graph, Set<String> functions, String source) {
        for (FunctionDef f : graph.getLibrary().getFunctionList()) {
            for (NodeDef n : f.getNodeDefList()) {
                checkOp(n, ALLOWED, functions, source + " (function " + f.getSignature().getName() + ")");
            }
        }
    }

    private static void checkOp(NodeDef n, Set<String> allowed, Set<String> functions, String source) {
        String op = n.getOp();
        if (!allowed.contains(op) && !CALLS.contains(op) && !functions.contains(op)) {
            throw refused(n.getName(), op, source);
        }
    }

    private static ModelException refused(String node, String op, String source) {
        return new ModelException(source + ": the graph uses op '" + op + "' (node '" + node + "'), which Backdrop"
                + " does not run: models may only use math and neural-network ops (no file, print, Python, queue"
                + " or dataset ops)");
    }

    private static Set<String> functionNames(GraphDef graph) {
        Set<String> names = new HashSet<>();
        for (FunctionDef f : graph.getLibrary().getFunctionList()) {
            names.add(f.getSignature().getName());
        }
        return names;
    }

    /** The named nodes and everything they depend on, data and control inputs alike. */
    static Set<String> ancestors(Map<String, NodeDef> byName, Collection<String> roots) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String r : roots) {
            todo.add(nodeName(r));
        }
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            NodeDef n = byName.get(name);
            if (n != null) {
                for (String in : n.getInputList()) {
                    todo.add(nodeName(in));
                }
            }
        }
        return seen;
    }

    /** "^x", "x:1", "x" -> "x". */
    static String nodeName(String tensor) {
        String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
        int colon = s.indexOf(':');
        return colon >= 0 ? s.substring(0, colon) : s;
    }
}
