package dev.backdrop.config;

import java.nio.file.Path;

/**
 * Where a user's own files are, by the XDG base directory spec: the config file in
 * {@code $XDG_CONFIG_HOME/backdrop} (default ~/.config), models in {@code $XDG_DATA_HOME/backdrop/models}
 * (default ~/.local/share), caches in {@code $XDG_CACHE_HOME/backdrop} (default ~/.cache). A variable that
 * is unset, empty or not an absolute path is ignored, as the spec says.
 */
public final class UserDirs {

    private UserDirs() {
    }

    /** The user's config file, whether or not it exists. */
    public static Path configFile() {
        return base("XDG_CONFIG_HOME", ".config").resolve("backdrop").resolve("backdrop.yaml");
    }

    /** The user's models folder (each model a folder in it, found by name like the bundled ones). */
    public static Path modelsDir() {
        return base("XDG_DATA_HOME", ".local/share").resolve("backdrop").resolve("models");
    }

    /** Backdrop's cache folder. */
    public static Path cacheDir() {
        return base("XDG_CACHE_HOME", ".cache").resolve("backdrop");
    }

    private static Path base(String variable, String underHome) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
            return Path.of(value);
        }
        return Path.of(System.getProperty("user.home")).resolve(underHome);
    }
}
