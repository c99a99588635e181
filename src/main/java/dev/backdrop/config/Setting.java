package dev.backdrop.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One key of the config file, declared once: its name, type, default, allowed values, help text
 * and command-line flag. The YAML reader, the flags, the settings records' own checks and the
 * generated docs (config/backdrop.yaml, README's table) all read this declaration, so a range or a
 * default cannot differ between them.
 *
 * @param <T> String, Integer, Double or an enum
 */
public final class Setting<T> {

    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final double min;
    private final double max;
    private final String help;
    private final String flag;
    private final String paramLabel;
    private final Predicate<T> rule;
    private final String ruleText;

    private Setting(String key, Class<T> type, T defaultValue, double min, double max, String help, String flag,
                    String paramLabel, Predicate<T> rule, String ruleText) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.help = help;
        this.flag = flag;
        this.paramLabel = paramLabel;
        this.rule = rule;
        this.ruleText = ruleText;
    }

    /** Free text (a name, a path); empty allowed. */
    public static Setting<String> text(String key, String defaultValue, String help) {
        return new Setting<>(key, String.class, defaultValue, 0, 0, help, null, null, null, null);
    }

    /** One of a fixed list of words. */
    public static Setting<String> word(String key, String defaultValue, List<String> words, String help) {
        return new Setting<>(key, String.class, defaultValue, 0, 0, help, null, null, words::contains,
                "one of " + String.join(", ", words));
    }

    /** An enum written in lower case in the file: {@code centred} for CENTRED. */
    public static <E extends Enum<E>> Setting<E> choice(String key, E defaultValue, String help) {
        @SuppressWarnings("unchecked")
        Class<E> type = (Class<E>) defaultValue.getDeclaringClass();
        return new Setting<>(key, type, defaultValue, 0, 0, help, null, null, null, null);
    }

    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String help) {
        return new Setting<>(key, Integer.class, defaultValue, min, max, help, null, null, null, null);
    }

    public static Setting<Double> number(String key, double defaultValue, double min, double max, String help) {
        return new Setting<>(key, Double.class, defaultValue, min, max, help, null, null, null, null);
    }

    /** The same setting, also given on the command line as {@code flag PARAM}. */
    public Setting<T> flag(String name, String param) {
        return new Setting<>(key, type, defaultValue, min, max, help, name, param, rule, ruleText);
    }

    /** The same setting with one more rule beyond type and range; mustBe completes "'key' must be ...". */
    public Setting<T> rule(Predicate<T> ok, String mustBe) {
        return new Setting<>(key, type, defaultValue, min, max, help, flag, paramLabel, ok, mustBe);
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    /** The command-line flag, or null when the setting is only read from the file. */
    public String flag() {
        return flag;
    }

    public String paramLabel() {
        return paramLabel;
    }

    /** What the value may be, for docs: "0 to 200", "cover, fit, stretch", or "" for free text. */
    public String allowed() {
        if (type.isEnum()) {
            return String.join(", ", words());
        }
        if (ruleText != null) {
            return ruleText;
        }
        if (type == Integer.class) {
            return (long) min + " to " + (long) max;
        }
        return type == Double.class ? format(min) + " to " + format(max) : "";
    }

    /** The value as the config file writes it: 12, 0.25, cover, "" for empty text. */
    public String format(T value) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Double d) {
            return format(d.doubleValue());
        }
        if (value instanceof String s) {
            return s.isEmpty() || s.startsWith("#") ? "\"" + s + "\"" : s;
        }
        return String.valueOf(value);
    }

    /** Throws naming the key unless the value is allowed; for values built in code rather than read. */
    public T require(T value) {
        return check(value, null);
    }

    /**
     * {@link #require} for a float field of a settings record: the range is compared in float, so a
     * bound such as 0.005 admits 0.005f, which is a little below it in double.
     */
    public float requireFloat(float value) {
        if (type != Double.class) {
            throw new IllegalStateException(key + " is not a number");
        }
        if (!(value >= (float) min && value <= (float) max)) {
            throw outOfRange("'" + key + "'", value);
        }
        if (rule != null) {
            check((double) value, null);
        }
        return value;
    }

    /**
     * A value from the file or a flag, converted to this setting's type, or a ConfigException naming
     * the key (and source: "c.yaml", "the --blur flag") with what is allowed.
     */
    public T check(Object value, String source) {
        String where = "'" + key + "'" + (source == null ? "" : " in " + source);
        T converted = convert(value, where);
        if (type == Integer.class || type == Double.class) {
            double v = ((Number) converted).doubleValue();
            if (!(v >= min && v <= max)) {
                throw outOfRange(where, converted);
            }
        }
        if (rule != null && !rule.test(converted)) {
            throw new ConfigException(where + " must be " + ruleText + ", got "
                    + (converted instanceof String ? "'" + converted + "'" : converted));
        }
        return converted;
    }

    /** A flag's text: numbers are parsed here so that a bad flag gets the same message as a bad file value. */
    public T parse(String text, String source) {
        if ((type == Integer.class || type == Double.class) && text != null) {
            try {
                return check(type == Integer.class ? (Object) Long.parseLong(text.strip())
                        : (Object) Double.parseDouble(text.strip()), source);
            } catch (NumberFormatException e) {
                throw new ConfigException("'" + key + "' in " + source + " must be "
                        + (type == Integer.class ? "a whole number" : "a number") + ", got '" + text + "'");
            }
        }
        return check(text, source);
    }

    private T convert(Object value, String where) {
        if (type == String.class) {
            if (value == null) {
                return type.cast("");
            }
            if (!(value instanceof String)) {
                throw new ConfigException(where + " must be text, got " + describe(value));
            }
            return type.cast(value);
        }
        if (type == Integer.class) {
            if (!(value instanceof Integer || value instanceof Long)) {
                throw new ConfigException(where + " must be a whole number, got " + describe(value));
            }
            long v = ((Number) value).longValue();
            if (v < min || v > max) { // checked before narrowing to int
                throw outOfRange(where, v);
            }
            return type.cast((int) v);
        }
        if (type == Double.class) {
            if (!(value instanceof Number n) || value instanceof BigInteger) {
                throw new ConfigException(where + " must be a number, got " + describe(value));
            }
            return type.cast(n.doubleValue());
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        if (value instanceof String s) {
            for (T constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(s.strip())) {
                    return constant;
                }
            }
        }
        throw new ConfigException(where + " must be one of " + String.join(", ", words()) + ", got "
                + (value instanceof String s ? "'" + s + "'" : describe(value)));
    }

    private ConfigException outOfRange(String where, Object value) {
        return new ConfigException(where + " must be between " + (type == Integer.class
                ? (long) min + " and " + (long) max : format(min) + " and " + format(max)) + ", got " + value);
    }

    private List<String> words() {
        return Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList();
    }

    /** 12, 0.25, 0.0001: never exponent notation, which a reader of the config file should not have to decode. */
    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        String kind = value instanceof String ? "text" : value instanceof Number ? "a number"
                : value instanceof Map ? "a section" : value instanceof List ? "a list" : value.getClass().getSimpleName();
        return kind + " '" + value + "'";
    }

    @Override
    public String toString() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setting<?> s && s.key.equals(key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key);
    }
}
