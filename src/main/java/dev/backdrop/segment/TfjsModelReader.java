package dev.backdrop.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a TF.js graph model (model.json plus its binary weight shards) into a TensorFlow GraphDef whose
 * Const nodes carry their weights, ready for {@code Graph.importGraphDef}. TF.js-only fused ops are
 * rewritten into plain ones ({@link FusedOpRewriter}) so the stock TF runtime accepts the graph.
 */
final class TfjsModelReader {

    /** What a loaded model.json gives: the graph, and which tensors to feed and fetch. */
    record TfjsModel(Path file, GraphDef graph, String inputName, String outputName, long[] inputShape,
            long[] outputShape, Map<String, String> signatureInputs, Map<String, String> signatureOutputs) {
    }

    private TfjsModelReader() {
    }

    /** Reads a model within the default limits. */
    static TfjsModel read(Path modelJson) {
        return read(modelJson, ModelLimits.DEFAULTS);
    }

    /** Reads a model; any problem, or a model beyond the limits, becomes one ModelException that names the file. */
    static TfjsModel read(Path modelJson, ModelLimits limits) {
        try {
            return readChecked(modelJson, limits);
        } catch (ModelException e) {
            String name = modelJson.getFileName().toString();
            if (e.getMessage() != null && e.getMessage().contains(name)) {
                throw e;
            }
            throw new ModelException(modelJson + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a well-formed JSON of the wrong shape (an object where a string belongs, ...)
            throw new ModelException(modelJson + " is not a valid TF.js graph model: " + e.getMessage(), e);
        }
    }

    private static TfjsModel readChecked(Path modelJson, ModelLimits limits) {
        JsonObject root = parseJson(modelJson, limits);
        if (!root.has("modelTopology") || !root.get("modelTopology").isJsonObject()) {
            throw new ModelException(modelJson + " has no 'modelTopology' object: it is not a TF.js graph model"
                    + " (convert the model with tensorflowjs_converter --output_format=tfjs_graph_model)");
        }
        String format = root.has("format") ? root.get("format").getAsString() : "graph-model";
        if (!"graph-model".equals(format)) {
            throw new ModelException(modelJson + " is a TF.js '" + format + "', but only graph models can be loaded"
                    + " (convert it with tensorflowjs_converter --output_format=tfjs_graph_model)");
        }
        GraphDef.Builder graph = GraphDef.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(root.get("modelTopology").toString(), graph);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new ModelException("cannot read the graph in " + modelJson + ": " + e.getMessage(), e);
        }
        if (!root.has("weightsManifest")) {
            throw new ModelException(modelJson + " has no 'weightsManifest': the model's weights are not described");
        }
        limits.checkGraph(graph.build(), modelJson.toString());
        fillWeights(modelJson, root.get("weightsManifest"), graph, limits);
        GraphDef rewritten = FusedOpRewriter.rewrite(graph.build());
        OpAllowlist.check(rewritten, modelJson.toString());

        String[] io = ioNames(root, rewritten, modelJson);
        long[] inShape = signatureShape(root, "inputs", io[0]);
        if (inShape == null) {
            inShape = placeholderShape(rewritten, io[0]);
        }
        long[] outShape = signatureShape(root, "outputs", io[1]);
        return new TfjsModel(modelJson, rewritten, io[0], io[1], inShape, outShape,
                signatureNames(root, "inputs"), signatureNames(root, "outputs"));
    }

    private static JsonObject parseJson(Path modelJson, ModelLimits limits) {
        String text;
        try {
            limits.checkSize(modelJson.toString(), Files.size(modelJson));
            text = Files.readString(modelJson);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file " + modelJson + " does not exist: check the model name or path");
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + modelJson + ": " + e, e);
        }
        try {
            JsonElement el = JsonParser.parseString(text);
            if (!el.isJsonObject()) {
                throw new ModelException(modelJson + " is not a TF.js model.json (expected a JSON object)");
            }
            return el.getAsJsonObject();
        } catch (RuntimeException e) {
            if (e instanceof ModelException me) {
                throw me;
            }
            throw new ModelException(modelJson + " is not valid JSON (" + e.getMessage()
                    + "): the file is damaged or not a TF.js model.json; download or convert the model again", e);
        }
    }

    /** Reads each manifest group's shards back to back and puts every weight into its Const node. */
    private static void fillWeights(Path modelJson, JsonElement manifest, GraphDef.Builder graph, ModelLimits limits) {
        Map<String, Integer> nodeIndex = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            nodeIndex.put(graph.getNode(i).getName(), i);
        }
        Path dir = modelJson.toAbsolutePath().getParent();
        long modelBytes = fileSize(modelJson, modelJson);
        for (JsonElement groupEl : manifest.getAsJsonArray()) {
            JsonObject group = groupEl.getAsJsonObject();
            List<WeightSpec> specs = new ArrayList<>();
            for (JsonElement w : group.getAsJsonArray("weights")) {
                WeightSpec spec = spec(w.getAsJsonObject(), modelJson);
                limits.checkShape(modelJson.toString(), spec.name(), spec.shape());
                specs.add(spec);
            }
            List<Path> shards = new ArrayList<>();
            for (JsonElement p : group.getAsJsonArray("paths")) {
                Path shard = shardPath(dir, p.getAsString(), modelJson);
                shards.add(shard);
                modelBytes += fileSize(shard, modelJson);
            }
            limits.checkSize(modelJson.toString(), modelBytes);
            ByteBuffer data = readShards(shards, specs, modelJson);
            for (WeightSpec spec : specs) {
                byte[] content = WeightDecoder.decode(spec, data);
                Integer idx = nodeIndex.get(spec.name());
                if (idx == null) {
                    // The converter sometimes lists weights that graph optimisation removed; harmless.
                    continue;
                }
                graph.setNode(idx, withValue(graph.getNode(idx), spec, content, modelJson));
            }
        }
    }

    /**
     * Untrusted manifests: a shard path must name a file inside the model directory: no absolute path, no
     * ".." segment, and no symbolic link that leads out of the directory.
     */
    static Path shardPath(Path dir, String rel, Path modelJson) {
        boolean dotdot = false;
        for (String seg : rel.split("[/\\\\]")) {
            dotdot |= seg.equals("..");
        }
        if (dotdot || rel.startsWith("/") || rel.startsWith("\\") || Path.of(rel).isAbsolute()
                || rel.matches("^[A-Za-z]:.*")) {
            throw new ModelException(modelJson + ": weight file path '" + rel + "' points outside the model"
                    + " directory; a manifest may only name files inside it");
        }
        Path shard = dir.resolve(rel).normalize();
        if (!shard.startsWith(dir.normalize())) {
            throw new ModelException(modelJson + ": weight file path '" + rel + "' points outside the model directory");
        }
        if (Files.exists(shard)) {
            try {
                if (!shard.toRealPath().startsWith(dir.toRealPath())) {
                    throw new ModelException(modelJson + ": weight file '" + rel + "' is a link to "
                            + shard.toRealPath() + ", outside the model directory; a manifest may only name files"
                            + " inside it");
                }
            } catch (IOException e) {
                throw new ModelException("cannot read weight file " + shard + ": " + e, e);
            }
        }
        return shard;
    }

    /** Signature key -> tensor name ("node" or "node:1"), e.g. pha -> Identity_1; empty without a signature. */
    private static Map<String, String> signatureNames(JsonObject root, String key) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!root.has("signature") || !root.get("signature").isJsonObject()) {
            return out;
        }
        JsonObject sig = root.getAsJsonObject("signature");
        if (!sig.has(key) || !sig.get(key).isJsonObject()) {
            return out;
        }
        for (Map.Entry<String, JsonElement> e : sig.getAsJsonObject(key).entrySet()) {
            String tensor = e.getValue().isJsonObject() && e.getValue().getAsJsonObject().has("name")
                    ? e.getValue().getAsJsonObject().get("name").getAsString() : e.getKey();
            out.put(stripIndex0(e.getKey()), stripIndex0(tensor));
        }
        return out;
    }

    private static WeightSpec spec(JsonObject w, Path modelJson) {
        String name = w.get("name").getAsString();
        JsonArray shapeArr = w.getAsJsonArray("shape");
        long[] shape = new long[shapeArr.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeArr.get(i).getAsLong();
            if (shape[i] < 0) {
                throw new ModelException(modelJson + ": weight '" + name + "' has a negative dimension");
            }
        }
        String dtype = w.get("dtype").getAsString();
        String qd = null;
        float min = 0;
        float scale = 1;
        if (w.has("quantization")) {
            JsonObject q = w.getAsJsonObject("quantization");
            qd = q.get("dtype").getAsString();
            if (q.has("min")) {
                min = q.get("min").getAsFloat();
            }
            if (q.has("scale")) {
                scale = q.get("scale").getAsFloat();
            }
            if (q.has("original_dtype")) {
                dtype = q.get("original_dtype").getAsString();
            }
        }
        return new WeightSpec(name, shape, dtype, qd, min, scale);
    }

    private static ByteBuffer readShards(List<Path> shards, List<WeightSpec> specs, Path modelJson) {
        long needed = 0;
        for (WeightSpec s : specs) {
            needed += s.storedBytes();
        }
        long have = 0;
        for (Path p : shards) {
            have += fileSize(p, modelJson);
        }
        if (have < needed) {
            throw new ModelException("weight file(s) " + shards + " hold " + have + " bytes but " + modelJson
                    + " describes " + needed + ": the weights are truncated; download or convert the model again");
        }
        if (needed > Integer.MAX_VALUE) {
            throw new ModelException(modelJson + ": weight group of " + needed + " bytes is too large (2 GiB max)");
        }
        ByteBuffer all = ByteBuffer.allocate((int) needed);
        for (Path p : shards) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                while (all.hasRemaining() && ch.read(all) >= 0) {
                    // keep reading: the weights run on across shard boundaries
                }
            } catch (IOException e) {
                throw new ModelException("cannot read weight file " + p + ": " + e, e);
            }
        }
        all.flip();
        return all;
    }

    /** The size of model.json or one of the weight files it lists. */
    private static long fileSize(Path p, Path modelJson) {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            throw new ModelException("weight file " + p + " (listed in " + modelJson + ") does not exist:"
                    + " copy all of the model's .bin files next to model.json");
        } catch (IOException e) {
            throw new ModelException("cannot read " + p + ": " + e, e);
        }
    }

    private static NodeDef withValue(NodeDef node, WeightSpec spec, byte[] content, Path modelJson) {
        if (!"Const".equals(node.getOp())) {
            throw new ModelException(modelJson + ": weight '" + spec.name() + "' belongs to a " + node.getOp()
                    + " node, not a Const: the manifest does not fit the graph");
        }
        TensorProto old = node.getAttrOrDefault("value", null) != null ? node.getAttrOrThrow("value").getTensor()
                : TensorProto.getDefaultInstance();
        if (old.hasTensorShape() && !old.getTensorShape().getUnknownRank()) {
            TensorShapeProto s = old.getTensorShape();
            boolean same = s.getDimCount() == spec.shape().length;
            for (int i = 0; same && i < spec.shape().length; i++) {
                same = s.getDim(i).getSize() == spec.shape()[i];
            }
            if (!same) {
                throw new ModelException(modelJson + ": weight '" + spec.name() + "' has shape "
                        + java.util.Arrays.toString(spec.shape()) + " in the manifest but "
                        + describe(s) + " in the graph: the manifest does not fit the graph");
            }
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : spec.shape()) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        TensorProto value = TensorProto.newBuilder()
                .setDtype(WeightDecoder.dataType(spec))
                .setTensorShape(shape)
                .setTensorContent(ByteString.copyFrom(content))
                .build();
        NodeDef.Builder b = node.toBuilder();
        b.putAttr("value", b.getAttrOrThrow("value").toBuilder().setTensor(value).build());
        return b.build();
    }

    private static String describe(TensorShapeProto s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.getDimCount(); i++) {
            sb.append(i > 0 ? ", " : "").append(s.getDim(i).getSize());
        }
        return sb.append(']').toString();
    }

    /** Input and output tensor names ("node" or "node:1"): from the signature if any, else guessed. */
    private static String[] ioNames(JsonObject root, GraphDef graph, Path modelJson) {
        String in = null;
        String out = null;
        if (root.has("signature") && root.get("signature").isJsonObject()) {
            JsonObject sig = root.getAsJsonObject("signature");
            in = firstKey(sig, "inputs");
            out = firstKey(sig, "outputs");
        }
        if (in == null) {
            for (NodeDef n : graph.getNodeList()) {
                if ("Placeholder".equals(n.getOp())) {
                    if (in != null) {
                        throw new ModelException(modelJson + " has several inputs and no signature saying which"
                                + " one is the image; Backdrop needs a single-input model");
                    }
                    in = n.getName();
                }
            }
            if (in == null) {
                throw new ModelException(modelJson + " has no Placeholder input node");
            }
        }
        if (out == null) {
            out = graph.getNode(graph.getNodeCount() - 1).getName();
        }
        return new String[] {stripIndex0(in), stripIndex0(out)};
    }

    private static String firstKey(JsonObject sig, String key) {
        if (!sig.has(key) || !sig.get(key).isJsonObject()) {
            return null;
        }
        JsonObject m = sig.getAsJsonObject(key);
        for (Map.Entry<String, JsonElement> e : m.entrySet()) {
            JsonElement v = e.getValue();
            if (v.isJsonObject() && v.getAsJsonObject().has("name")) {
                return v.getAsJsonObject().get("name").getAsString();
            }
            return e.getKey();
        }
        return null;
    }

    private static String stripIndex0(String name) {
        return name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
    }

    private static long[] signatureShape(JsonObject root, String key, String name) {
        if (!root.has("signature") || !root.get("signature").isJsonObject()) {
            return null;
        }
        JsonObject sig = root.getAsJsonObject("signature");
        if (!sig.has(key) || !sig.get(key).isJsonObject()) {
            return null;
        }
        for (Map.Entry<String, JsonElement> e : sig.getAsJsonObject(key).entrySet()) {
            if (!stripIndex0(e.getKey()).equals(name) || !e.getValue().isJsonObject()) {
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            if (!t.has("tensorShape") || !t.getAsJsonObject("tensorShape").has("dim")) {
                return null;
            }
            JsonArray dims = t.getAsJsonObject("tensorShape").getAsJsonArray("dim");
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonObject d = dims.get(i).getAsJsonObject();
                shape[i] = d.has("size") ? d.get("size").getAsLong() : -1;
            }
            return shape;
        }
        return null;
    }

    private static long[] placeholderShape(GraphDef graph, String name) {
        for (NodeDef n : graph.getNodeList()) {
            if (n.getName().equals(name) && n.containsAttr("shape")) {
                TensorShapeProto s = n.getAttrOrThrow("shape").getShape();
                if (s.getUnknownRank()) {
                    return null;
                }
                long[] shape = new long[s.getDimCount()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = s.getDim(i).getSize();
                }
                return shape;
            }
        }
        return null;
    }
}
