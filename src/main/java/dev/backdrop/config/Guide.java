package dev.backdrop.config;

import java.util.List;

/**
 * compose.guide_*: the guided upsampling of the mask to the frame, a fast guided filter
 * (GuidedFilterPass at mask size, guided_mask.glsl at frame size, used by the blend and the mask view).
 *
 * @param radius window radius in mask texels
 * @param eps    regularisation, colour units (0..1) squared: larger keeps the mask smoother, smaller
 *               follows the frame's colour edges harder
 */
public record Guide(int radius, float eps) {

    public static final Setting<Integer> RADIUS = Setting.integer("compose.guide_radius", 1, 1, 8,
            "Guided mask upsampling (guided filter): radius in mask pixels of the window its colour model is fitted"
            + " over. The edge moves only within the mask pixels around it, towards the frame's colour edges.").flag("--guide-radius", "R");
    public static final Setting<Double> EPS = Setting.number("compose.guide_eps", 0.0001, 0.00001, 1,
            "Guided mask upsampling: regularisation (colours 0 to 1, squared); smaller snaps the mask edge harder to"
            + " the frame's colour edges, larger keeps it as the model drew it.").flag("--guide-eps", "E");
    static final List<Setting<?>> SETTINGS = List.of(RADIUS, EPS);

    public static final Guide DEFAULT = from(SettingValues.DEFAULTS);

    public Guide {
        RADIUS.require(radius);
        EPS.requireFloat(eps);
    }

    static Guide from(SettingValues v) {
        return new Guide(v.get(RADIUS), v.get(EPS).floatValue());
    }
}
