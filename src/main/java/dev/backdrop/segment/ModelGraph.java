package dev.backdrop.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A checked graph in a live session, from any of the three formats, with its signature names (key ->
 * tensor "node" or "node:1") and the defaults used when model.yaml does not name the input or output.
 */
final class ModelGraph implements AutoCloseable {
    final String format;
    final Graph graph;
    final Session session;
    private final SavedModelBundle bundle;
    final Map<String, String> signatureInputs;
    final Map<String, String> signatureOutputs;
    final String defaultInput;
    final String defaultOutput;

    private ModelGraph(String format, Graph graph, Session session, SavedModelBundle bundle,
            Map<String, String> sigIn, Map<String, String> sigOut, String defaultInput, String defaultOutput) {
        this.format = format;
        this.graph = graph;
        this.session = session;
        this.bundle = bundle;
        this.signatureInputs = sigIn;
        this.signatureOutputs = sigOut;
        this.defaultInput = defaultInput;
        this.defaultOutput = defaultOutput;
    }

    /** Which format and graph file a model directory holds; model.yaml's format/file win when given. */
    record Located(String format, Path file) {
    }

    static Located locate(Path dir, ModelDescriptor d) {
        if (d.file() != null) {
            Path f = dir.resolve(d.file()).normalize();
            String fmt = d.format() != null ? d.format()
                    : f.getFileName().toString().endsWith(".json") ? "tfjs"
                    : f.getFileName().toString().equals("saved_model.pb") ? "savedmodel" : "frozen";
            return new Located(fmt, f);
        }
        Path json = dir.resolve("model.json");
        Path saved = dir.resolve("saved_model.pb");
        String fmt = d.format();
        if (fmt == null) {
            fmt = Files.isRegularFile(saved) ? "savedmodel" : Files.isRegularFile(json) ? "tfjs"
                    : singlePb(dir) != null ? "frozen" : null;
        }
        if (fmt == null) {
            throw new ModelException(dir + " holds no model: no " + json + " (TF.js graph model), no saved_model.pb"
                    + " (SavedModel) and no .pb file (frozen graph)");
        }
        switch (fmt) {
            case "tfjs":
                return new Located(fmt, json);
            case "savedmodel":
                return new Located(fmt, saved);
            default:
                Path pb = singlePb(dir);
                if (pb == null) {
                    throw new ModelException(dir + " has no single .pb file; name the graph with 'file' in model.yaml");
                }
                return new Located(fmt, pb);
        }
    }

    private static Path singlePb(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> pbs = s.filter(p -> p.getFileName().toString().endsWith(".pb")
                    && !p.getFileName().toString().equals("saved_model.pb")).toList();
            return pbs.size() == 1 ? pbs.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    static ModelGraph open(Located where, ModelDescriptor d, ConfigProto config, ModelLimits limits) {
        switch (where.format()) {
            case "tfjs": {
                TfjsModelReader.TfjsModel m = TfjsModelReader.read(where.file(), limits);
                return imported("TF.js graph model", m.graph(), where.file(), config, m.signatureInputs(),
                        m.signatureOutputs(), m.inputName(), m.outputName());
            }
            case "frozen":
                return frozen(where.file(), config, limits);
            case "savedmodel":
                return savedModel(where.file(), d, config, limits);
            default:
                throw new ModelException("unknown model format '" + where.format() + "'");
        }
    }

    private static ModelGraph frozen(Path file, ConfigProto config, ModelLimits limits) {
        GraphDef def;
        try {
            limits.checkSize(file.toString(), Files.size(file));
            def = GraphDef.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + " as a frozen TensorFlow GraphDef: " + e.getMessage(), e);
        }
        limits.checkGraph(def, file.toString());
        def = FusedOpRewriter.rewrite(def);
        OpAllowlist.check(def, file.toString());
        String in = null;
        for (NodeDef n : def.getNodeList()) {
            if (n.getOp().equals("Placeholder")) {
                in = in == null ? n.getName() : "";
            }
        }
        String out = def.getNodeCount() > 0 ? def.getNode(def.getNodeCount() - 1).getName() : null;
        return imported("frozen graph", def, file, config, Map.of(), Map.of(), in == null || in.isEmpty() ? null : in,
                out);
    }

    private static ModelGraph imported(String format, GraphDef def, Path file, ConfigProto config,
            Map<String, String> sigIn, Map<String, String> sigOut, String in, String out) {
        Graph g = new Graph();
        try {
            try {
                g.importGraphDef(def);
            } catch (RuntimeException e) {
                throw ModelException.fromTensorFlow("TensorFlow rejects the graph in " + file, e);
            }
            Session s = new Session(g, config);
            return new ModelGraph(format, g, s, null, sigIn, sigOut, in, out);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static ModelGraph savedModel(Path pb, ModelDescriptor d, ConfigProto config, ModelLimits limits) {
        Path dir = pb.getParent();
        SavedModel saved;
        try {
            limits.checkSize(dir.toString(), Files.size(pb) + treeSize(dir.resolve("variables")));
            saved = SavedModel.parseFrom(Files.readAllBytes(pb));
        } catch (IOException e) {
            throw new ModelException("cannot read " + pb + " as a TensorFlow SavedModel: " + e.getMessage(), e);
        }
        MetaGraphDef meta = null;
        for (MetaGraphDef m : saved.getMetaGraphsList()) {
            if (m.getMetaInfoDef().getTagsList().contains("serve")) {
                meta = m;
            }
        }
        if (meta == null) {
            throw new ModelException(pb + " has no meta graph tagged 'serve'");
        }
        limits.checkGraph(meta.getGraphDef(), pb.toString());
        String key = d.signature() != null ? d.signature() : "serving_default";
        SignatureDef sig = meta.getSignatureDefOrDefault(key, null);
        if (sig == null && d.signature() == null && meta.getSignatureDefCount() >= 1) {
            sig = meta.getSignatureDefMap().entrySet().stream().filter(e -> !e.getKey().startsWith("__"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (sig == null) {
            throw new ModelException(pb + " has no signature '" + key + "' (it has: "
                    + String.join(", ", meta.getSignatureDefMap().keySet()) + ")");
        }
        // Everything the loader and Backdrop may run: every signature's outputs and every init/main op.
        List<String> roots = new ArrayList<>();
        for (SignatureDef s : meta.getSignatureDefMap().values()) {
            for (TensorInfo t : s.getOutputsMap().values()) {
                roots.add(t.getName());
            }
        }
        for (String c : List.of("saved_model_main_op", "legacy_init_op", "main_op", "init_op", "table_initializer")) {
            CollectionDef cd = meta.getCollectionDefOrDefault(c, null);
            if (cd != null) {
                roots.addAll(cd.getNodeList().getValueList());
            }
        }
        String restore = meta.hasSaverDef() && !meta.getSaverDef().getRestoreOpName().isEmpty()
                ? meta.getSaverDef().getRestoreOpName() : null;
        OpAllowlist.checkSavedModel(meta.getGraphDef(), roots, restore, pb.toString());

        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString()).withTags("serve").withConfigProto(config).load();
        } catch (RuntimeException e) {
            throw ModelException.fromTensorFlow("TensorFlow cannot load the SavedModel in " + dir, e);
        }
        Map<String, String> in = new LinkedHashMap<>();
        sig.getInputsMap().forEach((k, v) -> in.put(k, strip0(v.getName())));
        Map<String, String> out = new LinkedHashMap<>();
        sig.getOutputsMap().forEach((k, v) -> out.put(k, strip0(v.getName())));
        return new ModelGraph("SavedModel", bundle.graph(), bundle.session(), bundle, in, out,
                in.size() == 1 ? in.values().iterator().next() : null,
                out.isEmpty() ? null : out.values().iterator().next());
    }

    /** Bytes of the regular files under a folder (0 when it does not exist); links are not followed. */
    private static long treeSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            long total = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                total += Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : 0;
            }
            return total;
        }
    }

    static String strip0(String name) {
        return name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
    }

    /** A model.yaml name -> graph tensor: a signature key if it is one, else the tensor name itself. */
    String inputTensor(String name) {
        return strip0(signatureInputs.getOrDefault(name, name));
    }

    String outputTensor(String name) {
        return strip0(signatureOutputs.getOrDefault(name, name));
    }

    boolean has(String tensor) {
        return graph.operation(OpAllowlist.nodeName(tensor)) != null;
    }

    /** The static shape of a Placeholder (null when unknown). */
    long[] placeholderShape(String tensor) {
        var op = graph.operation(OpAllowlist.nodeName(tensor));
        if (op == null) {
            return null;
        }
        try {
            var shape = op.output(0).shape();
            if (shape.isUnknown()) {
                return null;
            }
            return shape.asArray();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static long[] dims(TensorShapeProto s) {
        long[] out = new long[s.getDimCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.getDim(i).getSize();
        }
        return out;
    }

    @Override
    public void close() {
        if (bundle != null) {
            bundle.close();
        } else {
            session.close();
            graph.close();
        }
    }
}
