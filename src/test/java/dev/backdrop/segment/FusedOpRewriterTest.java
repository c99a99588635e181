package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * TF.js fused ops rewritten into plain TF ops must compute what the fused op means: checked against the
 * same maths written out in plain Java.
 */
class FusedOpRewriterTest {
    static final int H = 6;
    static final int W = 5;
    static final int C = 2;
    static final int K = 3; // conv output channels

    @Test
    void rewrittenGraphMatchesPlainJava() {
        Random rnd = new Random(42);
        float[] x = random(rnd, H * W * C);
        float[] convW = random(rnd, 3 * 3 * C * K);
        float[] convB = random(rnd, K);
        float[] dwW = random(rnd, 3 * 3 * K);
        float[] dwB = random(rnd, K);
        float[] pwW = random(rnd, K * K);
        float[] pwB = random(rnd, K);
        float[] alpha = {0.1f, 0.25f, 0.5f};

        GraphDef.Builder g = GraphDef.newBuilder();
        g.addNode(NodeDef.newBuilder().setName("x").setOp("Placeholder").putAttr("dtype", type())
                .putAttr("shape", AttrValue.newBuilder().setShape(shape(1, H, W, C)).build()));
        g.addNode(constant("conv/w", convW, 3, 3, C, K)).addNode(constant("conv/b", convB, K));
        g.addNode(constant("dw/w", dwW, 3, 3, K, 1)).addNode(constant("dw/b", dwB, K));
        g.addNode(constant("pw/w", pwW, 1, 1, K, K)).addNode(constant("pw/b", pwB, K))
                .addNode(constant("pw/alpha", alpha, K));
        // Attributes as the TF.js converter writes them, including those the plain ops reject.
        g.addNode(fused("conv", "_FusedConv2D", "SAME", "x", "conv/w", "conv/b").putAttr("fused_ops", ops("BiasAdd", "Relu"))
                .putAttr("num_args", AttrValue.newBuilder().setI(1).build())
                .putAttr("use_cudnn_on_gpu", AttrValue.newBuilder().setB(true).build()));
        g.addNode(fused("dw", "FusedDepthwiseConv2dNative", "VALID", "conv", "dw/w", "dw/b")
                .putAttr("fused_ops", ops("BiasAdd", "Relu6")).putAttr("num_args", AttrValue.newBuilder().setI(1).build()));
        g.addNode(fused("pw", "_FusedConv2D", "VALID", "dw", "pw/w", "pw/b", "pw/alpha")
                .putAttr("fused_ops", ops("BiasAdd", "Prelu")).putAttr("num_args", AttrValue.newBuilder().setI(2).build()));
        g.addNode(NodeDef.newBuilder().setName("out").setOp("Identity").addInput("pw").putAttr("T", type()));

        GraphDef rewritten = FusedOpRewriter.rewrite(g.build());
        for (NodeDef n : rewritten.getNodeList()) {
            assertFalse(FusedOpRewriter.isFused(n.getOp()), "still fused: " + n.getName());
        }

        // Plain Java: conv 3x3 SAME + bias + relu, depthwise 3x3 VALID + bias + relu6, 1x1 + bias + prelu.
        float[] conv = conv(x, H, W, C, convW, 3, K, 1, convB);
        for (int i = 0; i < conv.length; i++) {
            conv[i] = Math.max(conv[i], 0);
        }
        int h2 = H - 2;
        int w2 = W - 2;
        float[] dw = new float[h2 * w2 * K];
        for (int y = 0; y < h2; y++) {
            for (int xx = 0; xx < w2; xx++) {
                for (int c = 0; c < K; c++) {
                    float s = dwB[c];
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            s += conv[((y + ky) * W + xx + kx) * K + c] * dwW[(ky * 3 + kx) * K + c];
                        }
                    }
                    dw[(y * w2 + xx) * K + c] = Math.min(Math.max(s, 0), 6);
                }
            }
        }
        float[] pw = conv(dw, h2, w2, K, pwW, 1, K, 0, pwB);
        for (int i = 0; i < pw.length; i++) {
            float a = alpha[i % K];
            pw[i] = pw[i] >= 0 ? pw[i] : a * pw[i];
        }

        try (Graph graph = new Graph()) {
            graph.importGraphDef(rewritten);
            try (Session s = SessionOptions.session(graph);
                    TFloat32 in = TFloat32.tensorOf(Shape.of(1, H, W, C));
                    ) {
                in.asRawTensor().data().asFloats().write(x);
                try (Result r = s.runner().feed("x", in).fetch("conv").fetch("out").run()) {
                    assertClose(conv, (TFloat32) r.get(0));
                    assertClose(pw, (TFloat32) r.get(1));
                }
            }
        }
    }

    @Test
    void matMulLeakyReluAndBatchNorm() {
        Random rnd = new Random(7);
        float[] x = random(rnd, 2 * 4);
        float[] mw = random(rnd, 4 * 3);
        float[] mb = random(rnd, 3);
        float[] scale = random(rnd, 3);
        float[] offset = random(rnd, 3);
        float[] mean = random(rnd, 3);
        float[] var = {0.5f, 1.5f, 2.0f};
        float eps = 1e-3f;

        GraphDef.Builder g = GraphDef.newBuilder();
        g.addNode(NodeDef.newBuilder().setName("x").setOp("Placeholder").putAttr("dtype", type())
                .putAttr("shape", AttrValue.newBuilder().setShape(shape(2, 4)).build()));
        g.addNode(constant("mm/w", mw, 4, 3)).addNode(constant("mm/b", mb, 3));
        g.addNode(NodeDef.newBuilder().setName("mm").setOp("_FusedMatMul").addInput("x").addInput("mm/w").addInput("mm/b")
                .putAttr("T", type()).putAttr("transpose_a", AttrValue.newBuilder().setB(false).build())
                .putAttr("transpose_b", AttrValue.newBuilder().setB(false).build())
                .putAttr("fused_ops", ops("BiasAdd", "LeakyRelu")).putAttr("num_args", AttrValue.newBuilder().setI(1).build())
                .putAttr("epsilon", AttrValue.newBuilder().setF(0).build())
                .putAttr("leakyrelu_alpha", AttrValue.newBuilder().setF(0.3f).build()));
        // A 1x1 conv with weight 1 on a [1,2,1,3]-shaped copy of the matmul output, then batch norm + Relu.
        g.addNode(NodeDef.newBuilder().setName("r").setOp("Reshape").addInput("mm").addInput("r/shape")
                .putAttr("T", type()).putAttr("Tshape", AttrValue.newBuilder().setType(DataType.DT_INT32).build()));
        g.addNode(intConstant("r/shape", 1, 2, 1, 3));
        float[] eye = new float[9];
        eye[0] = 1f;
        eye[4] = 1f;
        eye[8] = 1f;
        g.addNode(constant("bn/w", eye, 1, 1, 3, 3)).addNode(constant("bn/scale", scale, 3))
                .addNode(constant("bn/offset", offset, 3)).addNode(constant("bn/mean", mean, 3))
                .addNode(constant("bn/var", var, 3));
        g.addNode(fused("bn", "_FusedConv2D", "VALID", "r", "bn/w", "bn/scale", "bn/offset", "bn/mean", "bn/var")
                .putAttr("fused_ops", ops("FusedBatchNorm", "Relu")).putAttr("num_args", AttrValue.newBuilder().setI(4).build())
                .putAttr("epsilon", AttrValue.newBuilder().setF(eps).build()));

        float[] mm = new float[2 * 3];
        for (int i = 0; i < 2; i++) {
            for (int o = 0; o < 3; o++) {
                float s = mb[o];
                for (int k = 0; k < 4; k++) {
                    s += x[i * 4 + k] * mw[k * 3 + o];
                }
                mm[i * 3 + o] = s >= 0 ? s : 0.3f * s;
            }
        }
        float[] bn = new float[6];
        for (int i = 0; i < 6; i++) {
            int c = i % 3;
            float v = (float) ((mm[i] - mean[c]) / Math.sqrt(var[c] + eps) * scale[c] + offset[c]);
            bn[i] = Math.max(v, 0);
        }

        GraphDef rewritten = FusedOpRewriter.rewrite(g.build());
        try (Graph graph = new Graph()) {
            graph.importGraphDef(rewritten);
            try (Session s = SessionOptions.session(graph); TFloat32 in = TFloat32.tensorOf(Shape.of(2, 4))) {
                in.asRawTensor().data().asFloats().write(x);
                try (Result r = s.runner().feed("x", in).fetch("mm").fetch("bn").run()) {
                    assertClose(mm, (TFloat32) r.get(0));
                    assertClose(bn, (TFloat32) r.get(1));
                }
            }
        }
    }

    private static NodeDef.Builder intConstant(String name, int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(v.length))
                .setTensorContent(ByteString.copyFrom(b.array())).build();
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_INT32).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build());
    }

    private static void assertClose(float[] expected, TFloat32 actual) {
        float[] got = new float[expected.length];
        assertEquals(expected.length, actual.shape().size());
        actual.asRawTensor().data().asFloats().read(got);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-5, "element " + i);
        }
    }

    /** NHWC conv, HWIO filter, stride 1, `pad` zero pixels on each side. */
    private static float[] conv(float[] x, int h, int w, int c, float[] f, int k, int out, int pad, float[] bias) {
        int oh = h + 2 * pad - k + 1;
        int ow = w + 2 * pad - k + 1;
        float[] y = new float[oh * ow * out];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < out; o++) {
                    float s = bias[o];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy + ky - pad;
                            int ix = ox + kx - pad;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                continue;
                            }
                            for (int i = 0; i < c; i++) {
                                s += x[(iy * w + ix) * c + i] * f[((ky * k + kx) * c + i) * out + o];
                            }
                        }
                    }
                    y[(oy * ow + ox) * out + o] = s;
                }
            }
        }
        return y;
    }

    private static NodeDef.Builder fused(String name, String op, String padding, String... inputs) {
        NodeDef.Builder b = NodeDef.newBuilder().setName(name).setOp(op).putAttr("T", type())
                .putAttr("strides", ints(1, 1, 1, 1)).putAttr("dilations", ints(1, 1, 1, 1))
                .putAttr("padding", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(padding)).build())
                .putAttr("data_format", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("NHWC")).build())
                .putAttr("explicit_paddings", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()).build())
                .putAttr("epsilon", AttrValue.newBuilder().setF(0).build())
                .putAttr("leakyrelu_alpha", AttrValue.newBuilder().setF(0.2f).build());
        for (String in : inputs) {
            b.addInput(in);
        }
        return b;
    }

    private static AttrValue ops(String... names) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (String n : names) {
            l.addS(ByteString.copyFromUtf8(n));
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    private static AttrValue ints(long... v) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (long i : v) {
            l.addI(i);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    private static AttrValue type() {
        return AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    private static NodeDef.Builder constant(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dims))
                .setTensorContent(ByteString.copyFrom(b.array())).build();
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type())
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build());
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
