package dev.backdrop.output;

/** The output cannot be written; the message names it and what to check. */
public class OutputException extends RuntimeException {
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
