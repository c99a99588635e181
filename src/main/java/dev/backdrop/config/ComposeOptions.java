package dev.backdrop.config;

/**
 * The {@code compose.*} settings beyond blur and background image: mask refinement and how the
 * background is replaced. Field comments are in config/backdrop.yaml.
 */
public record ComposeOptions(
        String backgroundFit,
        String backgroundColour,
        double guideSigmaSpace,
        double guideSigmaColour,
        double temporalWeight,
        double motionThreshold,
        double edgeLow,
        double edgeHigh,
        double feather,
        String featherDirection,
        double lightWrap) {

    /** The value of {@code compose.background_colour} that asks for transparent output. */
    public static final String TRANSPARENT = "transparent";

    /** backgroundColour as 0xRRGGBB, or -1 when empty or transparent. */
    public int solidColour() {
        return backgroundColour.isEmpty() || transparent() ? -1 : Integer.parseInt(backgroundColour.substring(1), 16);
    }

    /** No background: the output's alpha is the refined mask. */
    public boolean transparent() {
        return TRANSPARENT.equals(backgroundColour);
    }
}
