package dev.backdrop.config;

import java.util.List;

/**
 * compose.temporal_weight and motion_threshold: motion-aware smoothing of the mask over time
 * (TemporalPass).
 *
 * @param weight          weight of the new mask where nothing moves (1 = no temporal smoothing)
 * @param motionThreshold mean colour change (0..1) at which a pixel counts as moving (no smoothing)
 */
public record Temporal(float weight, float motionThreshold) {

    public static final Setting<Double> WEIGHT = Setting.number("compose.temporal_weight", 0.35, 0.01, 1,
            "Temporal smoothing: weight of the new mask where nothing moves; 1 = off. Smaller is calmer; moving"
            + " pixels always take the new mask, so there is no ghosting.").flag("--temporal-weight", "W");
    public static final Setting<Double> MOTION_THRESHOLD = Setting.number("compose.motion_threshold", 0.08, 0.005, 1,
            "Mean colour change (colours 0 to 1) from one frame to the next at which a pixel counts as moving.")
            .flag("--motion-threshold", "T");
    static final List<Setting<?>> SETTINGS = List.of(WEIGHT, MOTION_THRESHOLD);

    public static final Temporal DEFAULT = from(SettingValues.DEFAULTS);

    /** No smoothing over time: every frame's mask as the model gave it. */
    public static final Temporal OFF = new Temporal(1f, DEFAULT.motionThreshold);

    public Temporal {
        WEIGHT.requireFloat(weight);
        MOTION_THRESHOLD.requireFloat(motionThreshold);
    }

    static Temporal from(SettingValues v) {
        return new Temporal(v.get(WEIGHT).floatValue(), v.get(MOTION_THRESHOLD).floatValue());
    }
}
