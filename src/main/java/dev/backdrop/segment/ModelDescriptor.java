package dev.backdrop.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A model directory's model.yaml: which tensors to feed and fetch and how to prepare them (models/README.md
 * lists the keys). Every field may be null/absent, meaning "infer it from the graph".
 *
 * @param width  input width, 0 = any size (fully convolutional), -1 = not given (from the graph)
 * @param height input height, as width
 */
record ModelDescriptor(
        Path source,
        String format,
        String file,
        String signature,
        String inputName,
        boolean nchw,
        int width,
        int height,
        float rangeMin,
        float rangeMax,
        boolean bgr,
        String outputName,
        OutputKind outputKind,
        int personChannel,
        List<StatePair> states,
        String downsampleInput,
        AspectMode aspect) {

    enum OutputKind { SIGMOID, SOFTMAX, ALPHA }

    record StatePair(String input, String output) {
    }

    static final String FILE_NAME = "model.yaml";

    private static final Set<String> KEYS = Set.of("format", "file", "signature", "input.name", "input.layout",
            "input.size", "input.range", "input.colors", "output.name", "output.kind", "output.person_channel",
            "state", "downsample_ratio", "aspect");

    /** The descriptor of a directory without model.yaml: everything from the graph. */
    static ModelDescriptor inferred(Path dir) {
        return new ModelDescriptor(dir, null, null, null, null, false, -1, -1, 0, 1, false, null, OutputKind.SIGMOID,
                1, List.of(), null, null);
    }

    static ModelDescriptor read(Path yamlFile) {
        String text;
        try {
            text = Files.readString(yamlFile);
        } catch (NoSuchFileException e) {
            throw new ModelException(yamlFile + " does not exist");
        } catch (IOException e) {
            throw new ModelException("cannot read " + yamlFile + ": " + e.getMessage(), e);
        }
        return parse(text, yamlFile);
    }

    static ModelDescriptor parse(String yaml, Path source) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(source.toString()).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
            throw new ModelException(source + " is not valid YAML: " + msg);
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        if (root != null) {
            if (!(root instanceof Map<?, ?> map)) {
                throw new ModelException(source + " must hold keys such as 'input:' and 'output:', not a single value");
            }
            flatten("", map, flat, source);
        }
        Reader r = new Reader(flat, source);
        String format = r.choice("format", null, "tfjs", "savedmodel", "frozen");
        String file = r.text("file", null);
        if (file != null && (file.contains("..") || Path.of(file).isAbsolute())) {
            throw new ModelException("'file' in " + source + " must name a file inside the model directory, got '"
                    + file + "'");
        }
        String signature = r.text("signature", null);
        String inputName = r.text("input.name", null);
        boolean nchw = "nchw".equals(r.choice("input.layout", "nhwc", "nhwc", "nchw"));
        int[] size = r.size("input.size");
        float[] range = r.range("input.range");
        boolean bgr = "bgr".equals(r.choice("input.colors", "rgb", "rgb", "bgr"));
        String outputName = r.text("output.name", null);
        OutputKind kind = OutputKind.valueOf(
                r.choice("output.kind", "sigmoid", "sigmoid", "softmax", "alpha").toUpperCase(Locale.ROOT));
        int personChannel = r.integer("output.person_channel", 1, 0, 1);
        List<StatePair> states = r.states("state");
        String downsample = r.text("downsample_ratio", null);
        String aspectText = r.choice("aspect", null, "stretch", "letterbox", "crop");
        AspectMode aspect = aspectText == null ? null : AspectMode.parse(aspectText, "aspect");
        return new ModelDescriptor(source, format, file, signature, inputName, nchw, size[0], size[1], range[0],
                range[1], bgr, outputName, kind, personChannel, states, downsample, aspect);
    }

    boolean anySize() {
        return width == 0;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out, Path source) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            boolean section = KEYS.stream().anyMatch(k -> k.startsWith(key + "."));
            if (e.getValue() instanceof Map<?, ?> m && section) {
                flatten(key + ".", m, out, source);
            } else if (section) {
                throw new ModelException("'" + key + "' in " + source + " must be a section (e.g. '" + key
                        + ":' followed by indented keys), not a single value");
            } else if (!KEYS.contains(key)) {
                throw new ModelException("unknown key '" + key + "' in " + source + "; known keys: "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    /** Typed access to the flattened keys; every error names the key and the file. */
    private record Reader(Map<String, Object> values, Path source) {
        private String where(String key) {
            return "'" + key + "' in " + source;
        }

        String text(String key, String def) {
            Object v = values.get(key);
            if (v == null) {
                return def;
            }
            if (!(v instanceof String s) || s.isBlank()) {
                throw new ModelException(where(key) + " must be a name (text), got '" + v + "'");
            }
            return s.strip();
        }

        String choice(String key, String def, String... allowed) {
            String v = text(key, def);
            if (v == null) {
                return null;
            }
            for (String a : allowed) {
                if (a.equalsIgnoreCase(v)) {
                    return a;
                }
            }
            throw new ModelException(where(key) + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }

        int integer(String key, int def, int min, int max) {
            Object v = values.get(key);
            if (v == null) {
                return def;
            }
            if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
                    || ((Number) v).longValue() > max) {
                throw new ModelException(where(key) + " must be a whole number from " + min + " to " + max
                        + ", got '" + v + "'");
            }
            return ((Number) v).intValue();
        }

        int[] size(String key) {
            Object v = values.get(key);
            if (v == null) {
                return new int[] {-1, -1};
            }
            String s = String.valueOf(v).strip().toLowerCase(Locale.ROOT);
            if (s.equals("any")) {
                return new int[] {0, 0};
            }
            String[] parts = s.split("x");
            try {
                if (parts.length == 2) {
                    int w = Integer.parseInt(parts[0].strip());
                    int h = Integer.parseInt(parts[1].strip());
                    if (w > 0 && h > 0 && w <= 8192 && h <= 8192) {
                        return new int[] {w, h};
                    }
                }
            } catch (NumberFormatException e) {
                // falls through to the message
            }
            throw new ModelException(where(key) + " must be WIDTHxHEIGHT (e.g. 256x256) or 'any', got '" + v + "'");
        }

        float[] range(String key) {
            Object v = values.get(key);
            if (v == null) {
                return new float[] {0, 1};
            }
            if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b
                    && a.doubleValue() < b.doubleValue()) {
                return new float[] {a.floatValue(), b.floatValue()};
            }
            throw new ModelException(where(key) + " must be [min, max] with min < max (e.g. [0, 1] or [-1, 1]), got '"
                    + v + "'");
        }

        List<StatePair> states(String key) {
            Object v = values.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> list)) {
                throw new ModelException(where(key) + " must be a list of {input: NAME, output: NAME}, got '" + v + "'");
            }
            List<StatePair> out = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> m) || !(m.get("input") instanceof String in)
                        || !(m.get("output") instanceof String o) || m.size() != 2) {
                    throw new ModelException(where(key) + ": each entry must be {input: NAME, output: NAME}, got '"
                            + item + "'");
                }
                out.add(new StatePair(in, o));
            }
            return List.copyOf(out);
        }
    }
}
