package dev.backdrop.config;

/**
 * A setting that cannot be used: the message names the key, the value and what is allowed. An
 * IllegalArgumentException, since a setting is an argument whether it comes from a file, a flag or code.
 */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
