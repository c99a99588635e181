package dev.backdrop.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Rewrites the fused ops that the TF.js converter emits ({@code _FusedConv2D},
 * {@code FusedDepthwiseConv2dNative}, {@code _FusedMatMul}) into plain TensorFlow nodes: the base op, then
 * BiasAdd or batch-norm arithmetic, then the activation. The TF runtime rejects the fused forms in a
 * GraphDef (they exist only as grappler-internal or TF.js kernels). The last node of each chain keeps the
 * fused node's name, so consumers still connect; the helper nodes get a {@code /_backdrop_*} suffix.
 */
final class FusedOpRewriter {

    private static final Set<String> CONV_ATTRS =
            Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations", "use_cudnn_on_gpu");
    private static final Set<String> DEPTHWISE_ATTRS =
            Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations");
    private static final Set<String> MATMUL_ATTRS = Set.of("T", "transpose_a", "transpose_b");

    private FusedOpRewriter() {
    }

    static boolean isFused(String op) {
        return op.equals("_FusedConv2D") || op.equals("FusedDepthwiseConv2dNative") || op.equals("_FusedMatMul");
    }

    static GraphDef rewrite(GraphDef graph) {
        boolean any = false;
        for (NodeDef n : graph.getNodeList()) {
            any |= isFused(n.getOp());
        }
        if (!any) {
            return graph;
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef n : graph.getNodeList()) {
            if (isFused(n.getOp())) {
                out.addAllNode(expand(n));
            } else {
                out.addNode(n);
            }
        }
        return out.build();
    }

    private static List<NodeDef> expand(NodeDef fused) {
        String name = fused.getName();
        String baseOp;
        Set<String> keep;
        switch (fused.getOp()) {
            case "_FusedConv2D":
                baseOp = "Conv2D";
                keep = CONV_ATTRS;
                break;
            case "FusedDepthwiseConv2dNative":
                baseOp = "DepthwiseConv2dNative";
                keep = DEPTHWISE_ATTRS;
                break;
            default:
                baseOp = "MatMul";
                keep = MATMUL_ATTRS;
                break;
        }
        // Data inputs first, control inputs ("^x") last, as in any NodeDef.
        List<String> data = new ArrayList<>();
        List<String> control = new ArrayList<>();
        for (String in : fused.getInputList()) {
            (in.startsWith("^") ? control : data).add(in);
        }
        if (data.size() < 2) {
            throw new ModelException("fused node '" + name + "' (" + fused.getOp() + ") has fewer than 2 inputs");
        }
        List<String> args = data.subList(2, data.size());
        List<String> ops = new ArrayList<>();
        if (fused.containsAttr("fused_ops")) {
            for (ByteString s : fused.getAttrOrThrow("fused_ops").getList().getSList()) {
                ops.add(s.toStringUtf8());
            }
        }
        AttrValue t = fused.getAttrOrDefault("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build());
        List<NodeDef> nodes = new ArrayList<>();
        NodeDef.Builder base = NodeDef.newBuilder().setName(name + "/_backdrop_" + baseOp).setOp(baseOp)
                .setDevice(fused.getDevice()).addInput(data.get(0)).addInput(data.get(1)).addAllInput(control);
        for (Map.Entry<String, AttrValue> a : fused.getAttrMap().entrySet()) {
            if (keep.contains(a.getKey())) {
                base.putAttr(a.getKey(), a.getValue());
            }
        }
        base.putAttr("T", t);
        nodes.add(base.build());
        String cur = base.getName();
        int argIdx = 0;
        Chain chain = new Chain(name, fused.getDevice(), t, nodes);
        for (int i = 0; i < ops.size(); i++) {
            String op = ops.get(i);
            switch (op) {
                case "BiasAdd": {
                    NodeDef.Builder b = chain.node("BiasAdd", "BiasAdd", cur, arg(args, argIdx++, fused));
                    if (fused.containsAttr("data_format") && !baseOp.equals("MatMul")) {
                        b.putAttr("data_format", fused.getAttrOrThrow("data_format"));
                    }
                    cur = chain.add(b);
                    break;
                }
                case "FusedBatchNorm": {
                    // y = (x - mean) * rsqrt(var + eps) * scale + offset; args: scale, offset, mean, variance.
                    String scale = arg(args, argIdx++, fused);
                    String offset = arg(args, argIdx++, fused);
                    String mean = arg(args, argIdx++, fused);
                    String var = arg(args, argIdx++, fused);
                    float eps = fused.containsAttr("epsilon") ? fused.getAttrOrThrow("epsilon").getF() : 1e-3f;
                    String epsNode = chain.add(chain.scalar("bn_epsilon", eps));
                    String varEps = chain.add(chain.node("bn_var_eps", "AddV2", var, epsNode));
                    String inv = chain.add(chain.node("bn_rsqrt", "Rsqrt", varEps));
                    String mul = chain.add(chain.node("bn_mul", "Mul", inv, scale));
                    String centred = chain.add(chain.node("bn_centred", "Sub", cur, mean));
                    String scaled = chain.add(chain.node("bn_scaled", "Mul", centred, mul));
                    cur = chain.add(chain.node("bn_out", "AddV2", scaled, offset));
                    break;
                }
                case "Relu":
                case "Relu6":
                case "Elu":
                case "Sigmoid":
                case "Tanh":
                    cur = chain.add(chain.node(op, op, cur));
                    break;
                case "LeakyRelu": {
                    NodeDef.Builder b = chain.node("LeakyRelu", "LeakyRelu", cur);
                    float alpha = fused.containsAttr("leakyrelu_alpha")
                            ? fused.getAttrOrThrow("leakyrelu_alpha").getF() : 0.2f;
                    b.putAttr("alpha", AttrValue.newBuilder().setF(alpha).build());
                    cur = chain.add(b);
                    break;
                }
                case "Prelu": {
                    // prelu(x) = relu(x) - alpha * relu(-x), with alpha broadcast over channels.
                    String alpha = arg(args, argIdx++, fused);
                    String pos = chain.add(chain.node("prelu_pos", "Relu", cur));
                    String neg = chain.add(chain.node("prelu_neg", "Neg", cur));
                    String negRelu = chain.add(chain.node("prelu_neg_relu", "Relu", neg));
                    String scaled = chain.add(chain.node("prelu_scaled", "Mul", alpha, negRelu));
                    cur = chain.add(chain.node("prelu_out", "Sub", pos, scaled));
                    break;
                }
                default:
                    throw new ModelException("fused node '" + name + "' (" + fused.getOp() + ") uses fused op '" + op
                            + "', which Backdrop cannot rewrite into plain TensorFlow ops");
            }
        }
        // The last node of the chain takes over the fused node's name.
        NodeDef last = nodes.remove(nodes.size() - 1);
        nodes.add(last.toBuilder().setName(name).build());
        return nodes;
    }

    private static String arg(List<String> args, int i, NodeDef fused) {
        if (i >= args.size()) {
            throw new ModelException("fused node '" + fused.getName() + "' (" + fused.getOp()
                    + ") has too few inputs for its fused_ops");
        }
        return args.get(i);
    }

    /** Builds the helper nodes of one expanded fused node. */
    private record Chain(String name, String device, AttrValue t, List<NodeDef> nodes) {
        NodeDef.Builder node(String suffix, String op, String... inputs) {
            NodeDef.Builder b = NodeDef.newBuilder().setName(name + "/_backdrop_" + suffix).setOp(op).setDevice(device)
                    .putAttr("T", t);
            for (String in : inputs) {
                b.addInput(in);
            }
            return b;
        }

        NodeDef.Builder scalar(String suffix, float v) {
            TensorProto.Builder tp = TensorProto.newBuilder().setDtype(t.getType())
                    .setTensorShape(TensorShapeProto.getDefaultInstance());
            if (t.getType() == DataType.DT_FLOAT) {
                tp.setTensorContent(ByteString.copyFrom(
                        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, v)));
            } else {
                throw new ModelException("fused batch norm in '" + name + "' on type " + t.getType() + " is not supported");
            }
            return NodeDef.newBuilder().setName(name + "/_backdrop_" + suffix).setOp("Const").setDevice(device)
                    .putAttr("dtype", AttrValue.newBuilder().setType(t.getType()).build())
                    .putAttr("value", AttrValue.newBuilder().setTensor(tp).build());
        }

        String add(NodeDef.Builder b) {
            nodes.add(b.build());
            return b.getName();
        }
    }
}
