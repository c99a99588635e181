package dev.backdrop.config;

import java.util.List;

/**
 * compose.edge_*, feather*: the mask's edge. The soft threshold runs in TemporalPass, the feather
 * in EdgePass.
 *
 * @param low       soft threshold: mask values at or below become 0
 * @param high      soft threshold: mask values at or above become 1
 * @param feather   edge feather, Gaussian sigma in pixels of a 720-row frame (scaled with the frame); 0 = none
 * @param direction where the feathered ramp goes relative to the edge
 */
public record Edge(float low, float high, float feather, FeatherDirection direction) {

    /** Where the feather ramp goes: inside the person (the old background never shows), straddling, or outside. */
    public enum FeatherDirection { INWARD, CENTRED, OUTWARD }

    public static final Setting<Double> LOW = Setting.number("compose.edge_low", 0.3, 0, 1,
            "Soft threshold: mask values up to this become background (below edge_high).").flag("--edge-low", "L");
    public static final Setting<Double> HIGH = Setting.number("compose.edge_high", 0.7, 0, 1,
            "Soft threshold: mask values from this become person (above edge_low).").flag("--edge-high", "H");
    public static final Setting<Double> FEATHER = Setting.number("compose.feather", 0, 0, 64,
            "Extra edge feather: Gaussian sigma in pixels of a 720-row frame, scaled with the frame's height; 0 = the"
            + " edge as the guided upsampling leaves it. Any feather moves the edge (see feather_direction): 2 inward"
            + " costs IoU at every size (BENCHMARKS.md).").flag("--feather", "PX");
    public static final Setting<FeatherDirection> DIRECTION = Setting.choice("compose.feather_direction",
            FeatherDirection.INWARD, "Where the feathered edge goes: inward (inside the person, so the old background"
            + " never shows around them), centred, or outward.").flag("--feather-direction", "inward|centred|outward");
    static final List<Setting<?>> SETTINGS = List.of(LOW, HIGH, FEATHER, DIRECTION);

    public static final Edge DEFAULT = from(SettingValues.DEFAULTS);

    public Edge {
        LOW.requireFloat(low);
        HIGH.requireFloat(high);
        FEATHER.requireFloat(feather);
        DIRECTION.require(direction);
        if (!(low < high)) {
            throw new ConfigException("'" + LOW.key() + "' (" + low + ") must be below '" + HIGH.key() + "' (" + high + ")");
        }
    }

    static Edge from(SettingValues v) {
        return new Edge(v.get(LOW).floatValue(), v.get(HIGH).floatValue(), v.get(FEATHER).floatValue(), v.get(DIRECTION));
    }

    /** The same threshold with another feather. */
    public Edge withFeather(float sigma, FeatherDirection towards) {
        return new Edge(low, high, sigma, towards);
    }
}
