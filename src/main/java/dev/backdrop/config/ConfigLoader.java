package dev.backdrop.config;

import dev.backdrop.segment.ModelLimits;
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
            Setting.integer("segmentation.limits.model_mb", 1024, 1, 1 << 20),
            Setting.integer("segmentation.limits.tensor_elements", 1 << 28, 1, Integer.MAX_VALUE),
            Setting.integer("segmentation.limits.graph_nodes", 200_000, 1, Integer.MAX_VALUE),
            Setting.integer("segmentation.limits.graph_depth", 20_000, 1, Integer.MAX_VALUE),
            Setting.number("compose.blur", 12, 0, 200),
            Setting.number("compose.blur_scale", 0.25, 0.05, 1),
            Setting.text("compose.background", ""),
            Setting.choice("compose.background_fit", "cover", List.of("cover", "fit", "stretch")),
            Setting.text("compose.background_colour", ""),
            Setting.number("compose.guide_sigma_space", 0.8, 0.1, 4),
            Setting.number("compose.guide_sigma_colour", 0.1, 0.01, 10),
            Setting.number("compose.temporal_weight", 0.35, 0.01, 1),
            Setting.number("compose.motion_threshold", 0.08, 0.005, 1),
            Setting.number("compose.edge_low", 0.3, 0, 1),
            Setting.number("compose.edge_high", 0.7, 0, 1),
            Setting.number("compose.feather", 2, 0, 64),
            Setting.choice("compose.feather_direction", "inward", List.of("inward", "centred", "outward")),
            Setting.number("compose.light_wrap", 0, 0, 1),
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
                new ModelLimits(((Integer) value(values, "segmentation.limits.model_mb")).longValue() << 20,
                        (Integer) value(values, "segmentation.limits.tensor_elements"),
                        (Integer) value(values, "segmentation.limits.graph_nodes"),
                        (Integer) value(values, "segmentation.limits.graph_depth")),
                ((Number) value(values, "compose.blur")).doubleValue(),
                ((Number) value(values, "compose.blur_scale")).doubleValue(),
                (String) value(values, "compose.background"),
                (String) value(values, "output.preset"),
                (Integer) value(values, "output.crf"),
                checkRingSize((Integer) value(values, "pipeline.ring_size")),
                composeOptions(values));
    }

    private static ComposeOptions composeOptions(Map<String, Object> values) {
        ComposeOptions o = new ComposeOptions(
                (String) value(values, "compose.background_fit"),
                (String) value(values, "compose.background_colour"),
                number(values, "compose.guide_sigma_space"),
                number(values, "compose.guide_sigma_colour"),
                number(values, "compose.temporal_weight"),
                number(values, "compose.motion_threshold"),
                number(values, "compose.edge_low"),
                number(values, "compose.edge_high"),
                number(values, "compose.feather"),
                (String) value(values, "compose.feather_direction"),
                number(values, "compose.light_wrap"));
        if (!o.backgroundColour().isEmpty() && !o.transparent() && !o.backgroundColour().matches("#[0-9a-fA-F]{6}")) {
            throw new ConfigException("'compose.background_colour' must be empty, #RRGGBB (e.g. \"#00b140\") or transparent, got '"
                    + o.backgroundColour() + "'");
        }
        if (!(o.edgeLow() < o.edgeHigh())) {
            throw new ConfigException("'compose.edge_low' (" + o.edgeLow() + ") must be below 'compose.edge_high' ("
                    + o.edgeHigh() + ")");
        }
        return o;
    }

    private static double number(Map<String, Object> values, String key) {
        return ((Number) value(values, key)).doubleValue();
    }

    /**
     * Applies command-line values over loaded settings: each key is checked by its rule, with the
     * flag named in the message. overrides maps config key to {flag name, value}.
     */
    public static Settings override(Settings base, Map<String, Object[]> overrides) {
        if (overrides.isEmpty()) {
            return base;
        }
        Map<String, Object> values = toValues(base);
        for (Map.Entry<String, Object[]> e : overrides.entrySet()) {
            values.put(e.getKey(), check(e.getKey(), e.getValue()[1], "the " + e.getValue()[0] + " flag"));
        }
        return build(values);
    }

    private static Map<String, Object> toValues(Settings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("segmentation.model", s.model());
        v.put("segmentation.intra_op_threads", s.intraOpThreads());
        v.put("segmentation.inter_op_threads", s.interOpThreads());
        v.put("segmentation.aspect", s.aspect());
        v.put("segmentation.downsample_ratio", s.downsampleRatio());
        v.put("segmentation.limits.model_mb", (int) (s.modelLimits().modelBytes() >> 20));
        v.put("segmentation.limits.tensor_elements", (int) s.modelLimits().tensorElements());
        v.put("segmentation.limits.graph_nodes", s.modelLimits().graphNodes());
        v.put("segmentation.limits.graph_depth", s.modelLimits().graphDepth());
        v.put("compose.blur", s.blur());
        v.put("compose.blur_scale", s.blurScale());
        v.put("compose.background", s.background());
        ComposeOptions o = s.composeOptions();
        v.put("compose.background_fit", o.backgroundFit());
        v.put("compose.background_colour", o.backgroundColour());
        v.put("compose.guide_sigma_space", o.guideSigmaSpace());
        v.put("compose.guide_sigma_colour", o.guideSigmaColour());
        v.put("compose.temporal_weight", o.temporalWeight());
        v.put("compose.motion_threshold", o.motionThreshold());
        v.put("compose.edge_low", o.edgeLow());
        v.put("compose.edge_high", o.edgeHigh());
        v.put("compose.feather", o.feather());
        v.put("compose.feather_direction", o.featherDirection());
        v.put("compose.light_wrap", o.lightWrap());
        v.put("output.preset", s.preset());
        v.put("output.crf", s.crf());
        v.put("pipeline.ring_size", s.ringSize());
        return v;
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
