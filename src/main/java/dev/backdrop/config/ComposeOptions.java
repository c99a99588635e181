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
        String featherDirection) {

    /** backgroundColour as 0xRRGGBB, or -1 when empty. */
    public int solidColour() {
        return backgroundColour.isEmpty() ? -1 : Integer.parseInt(backgroundColour.substring(1), 16);
    }
}
