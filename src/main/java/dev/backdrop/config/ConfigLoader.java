package dev.backdrop.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a config/backdrop.yaml-style file into {@link Settings}, rejecting anything it does not
 * know: every key must be one of {@link Settings#ALL}, checked by its declaration.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads a file; keys it leaves out keep their defaults. */
    public static Settings load(Path file) {
        return Settings.from(read(file));
    }

    /** Parses YAML text; source names it in error messages. */
    public static Settings parse(String yaml, String source) {
        return Settings.from(values(yaml, source));
    }

    /** A file's values, for flags to be laid over before the settings are built. */
    public static SettingValues read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; pass an existing file to --config"
                    + " (config/backdrop.yaml lists every setting)");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return values(text, file.toString());
    }

    /** YAML text's values; source names it in error messages. */
    public static SettingValues values(String yaml, String source) {
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
        SettingValues values = SettingValues.DEFAULTS;
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            values = values.with(setting(e.getKey(), source), e.getValue(), source);
        }
        return values;
    }

    /** The declaration of a key, or a ConfigException naming it, where it came from and the known keys. */
    public static Setting<?> setting(String key, String source) {
        Setting<?> setting = find(key);
        if (setting == null) {
            throw new ConfigException("unknown setting '" + key + "' in " + source
                    + "; known settings: " + String.join(", ", Settings.ALL.stream().map(Setting::key).toList()));
        }
        return setting;
    }

    /** The declaration of a key, or null. */
    public static Setting<?> find(String key) {
        return Settings.ALL.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
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
        return Settings.ALL.stream().anyMatch(s -> s.key().startsWith(key + "."));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
