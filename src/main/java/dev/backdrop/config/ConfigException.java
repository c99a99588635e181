package dev.backdrop.config;

/** A setting that cannot be used: the message names the key, the value and what is allowed. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
