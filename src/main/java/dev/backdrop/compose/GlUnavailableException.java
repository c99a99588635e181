package dev.backdrop.compose;

/** No usable headless OpenGL context could be created; the message says what to install. */
public final class GlUnavailableException extends RuntimeException {
    static final String PACKAGES_HINT =
            "install Mesa's EGL and OpenGL drivers (Debian/Ubuntu: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)";

    public GlUnavailableException(String message) {
        super(message + "; " + PACKAGES_HINT);
    }

    public GlUnavailableException(String message, Throwable cause) {
        super(message + "; " + PACKAGES_HINT, cause);
    }
}
