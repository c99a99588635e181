package dev.backdrop.config;

import java.util.List;

/**
 * One key of config/backdrop.yaml: its type, default and allowed values. Checking a value here
 * is what turns a typo in a config file into a message that names the key.
 */
record Setting(String key, Kind kind, Object defaultValue, double min, double max, List<String> choices) {

    enum Kind { TEXT, INTEGER, NUMBER }

    static Setting text(String key, String defaultValue) {
        return new Setting(key, Kind.TEXT, defaultValue, 0, 0, List.of());
    }

    static Setting choice(String key, String defaultValue, List<String> choices) {
        return new Setting(key, Kind.TEXT, defaultValue, 0, 0, choices);
    }

    static Setting integer(String key, int defaultValue, int min, int max) {
        return new Setting(key, Kind.INTEGER, defaultValue, min, max, List.of());
    }

    static Setting number(String key, double defaultValue, double min, double max) {
        return new Setting(key, Kind.NUMBER, defaultValue, min, max, List.of());
    }

    /** Returns the value converted to this setting's type, or throws naming the key. */
    Object check(Object value, String source) {
        String where = "'" + key + "'" + (source == null ? "" : " in " + source);
        switch (kind) {
            case TEXT -> {
                if (value == null) {
                    return "";
                }
                if (!(value instanceof String s)) {
                    throw new ConfigException(where + " must be text, got " + describe(value));
                }
                if (!choices.isEmpty() && !choices.contains(s)) {
                    throw new ConfigException(where + " must be one of " + String.join(", ", choices) + ", got '" + s + "'");
                }
                return s;
            }
            case INTEGER -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    throw new ConfigException(where + " must be a whole number, got " + describe(value));
                }
                long v = ((Number) value).longValue();
                if (v < min || v > max) {
                    throw new ConfigException(where + " must be between " + (long) min + " and " + (long) max + ", got " + v);
                }
                return (int) v;
            }
            case NUMBER -> {
                if (!(value instanceof Number n) || value instanceof java.math.BigInteger) {
                    throw new ConfigException(where + " must be a number, got " + describe(value));
                }
                double v = n.doubleValue();
                if (!(v >= min && v <= max)) {
                    throw new ConfigException(where + " must be between " + min + " and " + max + ", got " + v);
                }
                return v;
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        String type = value instanceof String ? "text" : value instanceof Number ? "a number"
                : value instanceof java.util.Map ? "a section" : value instanceof List ? "a list" : value.getClass().getSimpleName();
        return type + " '" + value + "'";
    }
}
