package dev.backdrop.segment;

/**
 * A segmentation model that cannot be used: missing or unreadable files, a manifest that does not fit the
 * weights, or a graph TensorFlow rejects. The message names the file or problem and what to do about it,
 * because it is shown to the user as is.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** TensorFlow refused something: its message's first line (the rest names graph nodes), after {@code what}. */
    static ModelException fromTensorFlow(String what, RuntimeException e) {
        String message = String.valueOf(e.getMessage()).strip();
        return new ModelException(what + ": " + message.lines().findFirst().orElse(message), e);
    }
}
