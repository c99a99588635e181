package dev.backdrop.segment;

import dev.backdrop.config.UserDirs;
import dev.backdrop.threads.NativeThreadNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.tensorflow.proto.ConfigProto;

/**
 * A bundled model name or a path -> the model's descriptor and graph file -> the graph open in a session.
 * Finding and opening are separate steps so that a model that fails its checks can be closed by the caller.
 */
final class ModelLoader {
    private ModelLoader() {
    }

    /** A model found on disk: its display name, its model.yaml (read or inferred) and where its graph is. */
    record Found(String name, ModelDescriptor descriptor, ModelGraph.Located graph) {
    }

    /**
     * @param nameOrPath a bundled name ("selfie" -> modelsDir/selfie) or a path: a model directory (with
     *                   model.yaml, or model.json / saved_model.pb / one .pb), a model.json, or a frozen .pb
     */
    static Found find(String nameOrPath, Path modelsDir) {
        Path target = resolve(nameOrPath, modelsDir);
        if (Files.isDirectory(target)) {
            ModelDescriptor d = descriptorIn(target);
            return new Found(nameOf(target, nameOrPath), d, ModelGraph.locate(target, d));
        }
        Path dir = target.toAbsolutePath().getParent();
        String file = target.getFileName().toString();
        if (file.equals(ModelDescriptor.FILE_NAME)) {
            ModelDescriptor d = ModelDescriptor.read(target);
            return new Found(nameOf(dir, nameOrPath), d, ModelGraph.locate(dir, d));
        }
        // A graph file named directly: its format follows from the name, a model.yaml beside it still applies.
        String format = file.endsWith(".json") ? "tfjs" : file.equals("saved_model.pb") ? "savedmodel" : "frozen";
        return new Found(nameOf(dir, nameOrPath), descriptorIn(dir),
                new ModelGraph.Located(format, target.toAbsolutePath()));
    }

    /** The found graph, checked against the limits, in a session with the options' thread counts. */
    static ModelGraph open(Found found, ModelOptions options) {
        TensorFlowNatives.load();
        ConfigProto sessionConfig = SessionOptions.builder(options.intraOpThreads(), options.interOpThreads()).build();
        // TensorFlow's pool threads, started with the session, are named "tensorflow"
        return NativeThreadNames.startingAs("tensorflow",
                () -> ModelGraph.open(found.graph(), found.descriptor(), sessionConfig, options.limits()));
    }

    private static ModelDescriptor descriptorIn(Path dir) {
        Path yaml = dir.resolve(ModelDescriptor.FILE_NAME);
        return Files.isRegularFile(yaml) ? ModelDescriptor.read(yaml) : ModelDescriptor.inferred(dir);
    }

    private static String nameOf(Path dir, String nameOrPath) {
        return dir.getFileName() != null ? dir.getFileName().toString() : nameOrPath;
    }

    /**
     * A plain name is looked up in modelsDir (the bundled models), then in the user's models folder
     * ($XDG_DATA_HOME/backdrop/models); anything else is a path, relative to the working folder.
     */
    static Path resolve(String nameOrPath, Path modelsDir) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ModelException("no model given: name a bundled model (e.g. selfie) or a model directory");
        }
        boolean plainName = !nameOrPath.contains("/") && !nameOrPath.contains("\\") && !nameOrPath.contains(".");
        List<Path> dirs = searchPath(modelsDir);
        if (plainName) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir.resolve(nameOrPath))) {
                    return dir.resolve(nameOrPath);
                }
            }
        }
        Path p = Path.of(nameOrPath);
        if (Files.isDirectory(p) || Files.isRegularFile(p)) {
            return p;
        }
        StringBuilder msg = new StringBuilder("model '").append(nameOrPath).append("' not found: ");
        if (plainName && !dirs.isEmpty()) {
            msg.append("there is no ").append(nameOrPath).append(" directory in ")
                    .append(String.join(" or ", dirs.stream().map(Path::toString).toList()));
            String bundled = String.join(", ", available(modelsDir));
            msg.append(bundled.isEmpty() ? "" : " (models: " + bundled + ")");
            msg.append(", and no such path; ");
        } else {
            msg.append(p.toAbsolutePath()).append(" does not exist; ");
        }
        msg.append("give a bundled model name or a model directory");
        throw new ModelException(msg.toString());
    }

    /** Where plain model names are looked up, in order: modelsDir (when given), then the user's models folder. */
    static List<Path> searchPath(Path modelsDir) {
        List<Path> dirs = new java.util.ArrayList<>();
        if (modelsDir != null) {
            dirs.add(modelsDir);
        }
        Path user = UserDirs.modelsDir();
        if (!dirs.contains(user)) {
            dirs.add(user);
        }
        return dirs;
    }

    /** The names --model takes: the models in modelsDir and in the user's models folder, sorted, each once. */
    public static List<String> available(Path modelsDir) {
        return searchPath(modelsDir).stream().flatMap(d -> bundled(d).stream()).distinct().sorted().toList();
    }

    /** The names of the models in a models folder (each a folder with a model.json or model.yaml), sorted. */
    public static List<String> bundled(Path modelsDir) {
        if (!Files.isDirectory(modelsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(modelsDir)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("model.json"))
                            || Files.isRegularFile(d.resolve(ModelDescriptor.FILE_NAME)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
