package dev.backdrop.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Reads a config/backdrop.yaml-style file into {@link Settings}, rejecting anything it does not know. */
public final class ConfigLoader {

    static final List<Setting> SETTINGS = List.of(
            Setting.text("segmentation.model", "selfie"),
            Setting.integer("segmentation.intra_op_threads", 0, 0, 256),
            Setting.integer("segmentation.inter_op_threads", 0, 0, 256),
            Setting.choice("segmentation.aspect", "stretch", List.of("stretch", "letterbox", "crop")),
            Setting.number("segmentation.downsample_ratio", 0, 0, 1),
            Setting.number("compose.blur", 12, 0, 200),
            Setting.number("compose.blur_scale", 0.25, 0.05, 1),
            Setting.text("compose.background", ""),
            Setting.choice("output.preset", "veryfast", List.of(
                    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow")),
            Setting.integer("output.crf", 20, 0, 51),
            Setting.integer("pipeline.ring_size", 8, 2, 1024));

    private ConfigLoader() {
    }

    public static Settings defaults() {
        return build(new LinkedHashMap<>());
    }

    /** Loads a file; keys it leaves out keep their defaults. */
    public static Settings load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; pass an existing file to --config"
                    + " (config/backdrop.yaml lists every setting)");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; source names it in error messages. */
    public static Settings parse(String yaml, String source) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ConfigException(source + " is not valid YAML: " + firstLine(e.getMessage()));
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        if (root != null) {
            if (!(root instanceof Map<?, ?> map)) {
                throw new ConfigException(source + " must hold sections of settings (e.g. 'compose:'), not a single value");
            }
            flatten("", map, flat, source);
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            Setting setting = find(e.getKey());
            if (setting == null) {
                throw new ConfigException("unknown setting '" + e.getKey() + "' in " + source
                        + "; known settings: " + String.join(", ", SETTINGS.stream().map(Setting::key).toList()));
            }
            checked.put(e.getKey(), setting.check(e.getValue(), source));
        }
        return build(checked);
    }

    /** Checks one value, e.g. from a command-line flag, by the rule of its config key. */
    public static Object check(String key, Object value, String source) {
        Setting setting = find(key);
        if (setting == null) {
            throw new IllegalArgumentException("no setting " + key);
        }
        return setting.check(value, source);
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out, String source) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> section) {
                if (find(key) != null) {
                    throw new ConfigException("'" + key + "' in " + source + " must be a single value, not a section");
                }
                flatten(key + ".", section, out, source);
            } else if (isSection(key)) {
                throw new ConfigException("'" + key + "' in " + source + " must be a section of settings, not a single value");
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static boolean isSection(String key) {
        return SETTINGS.stream().anyMatch(s -> s.key().startsWith(key + "."));
    }

    private static Setting find(String key) {
        return SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }

    private static Settings build(Map<String, Object> values) {
        return new Settings(
                (String) value(values, "segmentation.model"),
                (Integer) value(values, "segmentation.intra_op_threads"),
                (Integer) value(values, "segmentation.inter_op_threads"),
                (String) value(values, "segmentation.aspect"),
                checkDownsampleRatio(((Number) value(values, "segmentation.downsample_ratio")).doubleValue()),
                ((Number) value(values, "compose.blur")).doubleValue(),
                ((Number) value(values, "compose.blur_scale")).doubleValue(),
                (String) value(values, "compose.background"),
                (String) value(values, "output.preset"),
                (Integer) value(values, "output.crf"),
                checkRingSize((Integer) value(values, "pipeline.ring_size")));
    }

    private static Object value(Map<String, Object> values, String key) {
        return values.containsKey(key) ? values.get(key) : find(key).defaultValue();
    }

    private static double checkDownsampleRatio(double ratio) {
        if (ratio != 0 && ratio < 0.05) {
            throw new ConfigException("'segmentation.downsample_ratio' must be 0 (auto) or between 0.05 and 1, got "
                    + ratio);
        }
        return ratio;
    }

    private static int checkRingSize(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new ConfigException("'pipeline.ring_size' must be a power of two (2, 4, 8, 16, ...), got " + size);
        }
        return size;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
