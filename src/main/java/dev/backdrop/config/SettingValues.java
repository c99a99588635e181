package dev.backdrop.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Checked values by key, as read from a file with flags laid over it; a key not given has its
 * declared default. The settings records are built from these ({@link Settings#from}).
 */
public final class SettingValues {

    /** No values given: every setting at its default. */
    public static final SettingValues DEFAULTS = new SettingValues(Map.of());

    private final Map<String, Object> values;

    private SettingValues(Map<String, Object> checked) {
        this.values = Map.copyOf(checked);
    }

    public <T> T get(Setting<T> setting) {
        @SuppressWarnings("unchecked") // put only by with(), which stores what setting.check returned
        T value = (T) values.get(setting.key());
        return value != null ? value : setting.defaultValue();
    }

    /**
     * These values with one more, checked by the setting's rule; source names where it came from in
     * a message ("c.yaml").
     */
    public SettingValues with(Setting<?> setting, Object value, String source) {
        return put(setting, setting.check(value, source));
    }

    /** {@link #with} for a command-line flag's text, which is parsed first (source: "the --blur flag"). */
    public SettingValues withText(Setting<?> setting, String text, String source) {
        return put(setting, setting.parse(text, source));
    }

    private SettingValues put(Setting<?> setting, Object checked) {
        Map<String, Object> next = new HashMap<>(values);
        next.put(setting.key(), checked);
        return new SettingValues(next);
    }
}
