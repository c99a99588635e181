package dev.backdrop.segment;

/**
 * How a frame whose aspect ratio differs from a fixed-size model input (16:9 into 256x256) is fitted.
 * Whatever the mode, {@link SegmentationModel#predict} returns a mask covering the whole frame.
 */
public enum AspectMode {
    /** Scale each axis on its own: the whole frame, distorted. */
    STRETCH,
    /** Scale to fit inside the input, pad the rest black: the whole frame, undistorted, fewer pixels. */
    LETTERBOX,
    /** Scale to cover the input, cut the centre out: undistorted, the cut-off sides count as background. */
    CROP;

    /** "letterbox" -> LETTERBOX; the message names {@code what} when the text is no mode. */
    public static AspectMode parse(String text, String what) {
        for (AspectMode m : values()) {
            if (m.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException(what + " must be one of stretch, letterbox, crop, got '" + text + "'");
    }

    public String lowerName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
