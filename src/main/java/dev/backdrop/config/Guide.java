package dev.backdrop.config;

import java.util.List;

/**
 * compose.guide_*: the guided upsampling of the mask to the frame, a joint bilateral filter
 * (guided_mask.glsl, used by the blend and the mask view).
 *
 * @param sigmaSpace  spatial sigma in mask texels
 * @param sigmaColour colour sigma, colours in 0..1
 */
public record Guide(float sigmaSpace, float sigmaColour) {

    public static final Setting<Double> SIGMA_SPACE = Setting.number("compose.guide_sigma_space", 0.8, 0.1, 4,
            "Guided mask upsampling (joint bilateral): spatial sigma in mask pixels.").flag("--guide-sigma-space", "S");
    public static final Setting<Double> SIGMA_COLOUR = Setting.number("compose.guide_sigma_colour", 0.1, 0.01, 10,
            "Guided mask upsampling: colour sigma, colours 0 to 1; smaller snaps the mask edge harder to image edges.")
            .flag("--guide-sigma-colour", "S");
    static final List<Setting<?>> SETTINGS = List.of(SIGMA_SPACE, SIGMA_COLOUR);

    public static final Guide DEFAULT = from(SettingValues.DEFAULTS);

    public Guide {
        SIGMA_SPACE.requireFloat(sigmaSpace);
        SIGMA_COLOUR.requireFloat(sigmaColour);
    }

    static Guide from(SettingValues v) {
        return new Guide(v.get(SIGMA_SPACE).floatValue(), v.get(SIGMA_COLOUR).floatValue());
    }
}
