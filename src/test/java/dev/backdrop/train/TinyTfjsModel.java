package dev.backdrop.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small TF.js graph model written the way the TF.js converter writes one (model.json, a weights shard), with
 * the ops of MediaPipe's selfie: convolution, depthwise convolution, hard-swish (AddV2, Relu6, Mul), a
 * transposed convolution with a batch-1 output size, bilinear resize and a final sigmoid. Input 32x32 RGB in
 * [0, 1], output "mask" 32x32x1.
 */
final class TinyTfjsModel {
    static final int SIZE = 32;

    private final List<String> nodes = new ArrayList<>();
    private final Map<String, Object> weights = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    private TinyTfjsModel() {
    }

    /**
     * @param extraOp an op put after the first convolution (e.g. "Round", which has no gradient), or null
     * @param seed    the random weights' seed
     */
    static Path write(Path dir, String extraOp, long seed) throws IOException {
        TinyTfjsModel m = new TinyTfjsModel();
        Random r = new Random(seed);
        m.node("input_1", "Placeholder", List.of(), "\"dtype\": {\"type\": \"DT_FLOAT\"}, \"shape\": {\"shape\": {\"dim\": "
                + "[{\"size\": \"1\"}, {\"size\": \"32\"}, {\"size\": \"32\"}, {\"size\": \"3\"}]}}");
        m.floats("w1", r, 0.3f, 3, 3, 3, 8);
        m.floats("b1", r, 0.1f, 8);
        m.conv("c1", "Conv2D", "input_1", "w1", 2);
        m.binary("AddV2", "a1", "c1", "b1");
        String x = "a1";
        if (extraOp != null) {
            m.node("extra", extraOp, List.of(x), "\"T\": {\"type\": \"DT_FLOAT\"}");
            x = "extra";
        }
        // hard-swish: x * relu6(x + 3) / 6
        m.scalar("three", 3f);
        m.scalar("sixth", 1 / 6f);
        m.binary("AddV2", "hs/add", x, "three");
        m.node("hs/relu6", "Relu6", List.of("hs/add"), "\"T\": {\"type\": \"DT_FLOAT\"}");
        m.binary("Mul", "hs/mul", x, "hs/relu6");
        m.binary("Mul", "hs", "hs/mul", "sixth");
        m.floats("dw", r, 0.3f, 3, 3, 8, 1);
        m.floats("b2", r, 0.1f, 8);
        m.conv("d1", "DepthwiseConv2dNative", "hs", "dw", 1);
        m.binary("AddV2", "a2", "d1", "b2");
        m.node("r2", "Relu", List.of("a2"), "\"T\": {\"type\": \"DT_FLOAT\"}");
        // a coarse head, resized up, plus a transposed convolution back to full size
        m.floats("wh", r, 0.3f, 1, 1, 8, 1);
        m.floats("bh", r, 0.1f, 1);
        m.conv("ch", "Conv2D", "r2", "wh", 1);
        m.binary("AddV2", "head", "ch", "bh");
        m.ints("size", 2, SIZE, SIZE);
        m.node("up", "ResizeBilinear", List.of("head", "size"), "\"T\": {\"type\": \"DT_FLOAT\"}, "
                + "\"half_pixel_centers\": {\"b\": true}, \"align_corners\": {\"b\": false}");
        m.ints("tsizes", 4, 1, SIZE, SIZE, 4);
        m.floats("wt", r, 0.3f, 2, 2, 4, 8);
        m.node("t1", "Conv2DBackpropInput", List.of("tsizes", "wt", "r2"), "\"T\": {\"type\": \"DT_FLOAT\"}, "
                + "\"strides\": {\"list\": {\"i\": [\"1\", \"2\", \"2\", \"1\"]}}, \"padding\": {\"s\": \"U0FNRQ==\"}, "
                + "\"data_format\": {\"s\": \"TkhXQw==\"}, \"dilations\": {\"list\": {\"i\": [\"1\", \"1\", \"1\", \"1\"]}}, "
                + "\"explicit_paddings\": {\"list\": {}}, \"use_cudnn_on_gpu\": {\"b\": true}");
        m.floats("w4", r, 0.3f, 1, 1, 4, 1);
        m.conv("skip", "Conv2D", "t1", "w4", 1);
        m.binary("AddV2", "logits", "up", "skip");
        m.node("mask", "Sigmoid", List.of("logits"), "\"T\": {\"type\": \"DT_FLOAT\"}");
        return m.save(dir);
    }

    private void node(String name, String op, List<String> inputs, String attrs) {
        StringBuilder in = new StringBuilder();
        for (String i : inputs) {
            in.append(in.length() == 0 ? "" : ", ").append('"').append(i).append('"');
        }
        nodes.add("{\"name\": \"" + name + "\", \"op\": \"" + op + "\", \"input\": [" + in + "], \"attr\": {" + attrs + "}}");
    }

    private void conv(String name, String op, String x, String filter, int stride) {
        node(name, op, List.of(x, filter), "\"T\": {\"type\": \"DT_FLOAT\"}, \"strides\": {\"list\": {\"i\": [\"1\", \""
                + stride + "\", \"" + stride + "\", \"1\"]}}, \"padding\": {\"s\": \"U0FNRQ==\"}, \"data_format\": "
                + "{\"s\": \"TkhXQw==\"}, \"dilations\": {\"list\": {\"i\": [\"1\", \"1\", \"1\", \"1\"]}}, "
                + "\"explicit_paddings\": {\"list\": {}}");
    }

    private void binary(String op, String name, String a, String b) {
        node(name, op, List.of(a, b), "\"T\": {\"type\": \"DT_FLOAT\"}");
    }

    private void constant(String name, String type, int... shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(dims.length() == 0 ? "" : ", ").append("{\"size\": \"").append(d).append("\"}");
        }
        node(name, "Const", List.of(), "\"dtype\": {\"type\": \"" + type + "\"}, \"value\": {\"tensor\": {\"dtype\": \""
                + type + "\", \"tensorShape\": {" + (shape.length == 0 ? "" : "\"dim\": [" + dims + "]") + "}}}");
        shapes.put(name, shape);
    }

    private void floats(String name, Random r, float scale, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        constant(name, "DT_FLOAT", shape);
        weights.put(name, v);
    }

    private void scalar(String name, float value) {
        constant(name, "DT_FLOAT");
        weights.put(name, new float[] {value});
    }

    private void ints(String name, int length, int... values) {
        constant(name, "DT_INT32", length);
        weights.put(name, values);
    }

    private Path save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteBuffer bin = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder manifest = new StringBuilder();
        for (var e : weights.entrySet()) {
            boolean isFloat = e.getValue() instanceof float[];
            if (isFloat) {
                for (float f : (float[]) e.getValue()) {
                    bin.putFloat(f);
                }
            } else {
                for (int i : (int[]) e.getValue()) {
                    bin.putInt(i);
                }
            }
            StringBuilder shape = new StringBuilder();
            for (int d : shapes.get(e.getKey())) {
                shape.append(shape.length() == 0 ? "" : ", ").append(d);
            }
            manifest.append(manifest.length() == 0 ? "" : ", ").append("{\"name\": \"").append(e.getKey())
                    .append("\", \"shape\": [").append(shape).append("], \"dtype\": \"")
                    .append(isFloat ? "float32" : "int32").append("\"}");
        }
        Files.write(dir.resolve("tiny.bin"), java.util.Arrays.copyOf(bin.array(), bin.position()));
        String json = "{\"format\": \"graph-model\", \"generatedBy\": \"Backdrop tests\", \"convertedBy\": \"TinyTfjsModel\",\n"
                + " \"modelTopology\": {\"node\": [\n  " + String.join(",\n  ", nodes) + "\n ], \"library\": {}, "
                + "\"versions\": {\"producer\": 561}},\n"
                + " \"weightsManifest\": [{\"paths\": [\"tiny.bin\"], \"weights\": [" + manifest + "]}]}\n";
        Files.writeString(dir.resolve("model.json"), json);
        Files.writeString(dir.resolve("model.yaml"), "format: tfjs\nfile: model.json\ninput:\n  name: input_1\n"
                + "  size: 32x32\n  range: [0, 1]\n  colors: rgb\noutput:\n  name: mask\n  kind: sigmoid\n");
        return dir;
    }
}
