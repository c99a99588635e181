package dev.backdrop.capture;

/** The input cannot be opened or decoded; the message names the input and what to check. */
public class CaptureException extends RuntimeException {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
