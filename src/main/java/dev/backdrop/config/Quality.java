package dev.backdrop.config;

import dev.backdrop.segment.Averaging;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --quality}: a named set of settings laid over the config file; a flag given beside it still wins.
 * The values are the best measured (BENCHMARKS.md, "Mask quality").
 */
public enum Quality {
    /** The config file's settings as they are. */
    STANDARD(Map.of()),
    /**
     * For recordings and photos, where time matters less than the edge: RVM on the whole frame with its
     * encoder at 480 pixels, averaged with its mirror image.
     */
    BEST(Map.of(Segmentation.MODEL, "rvm", Segmentation.MAX_INPUT_SIDE, 0, Segmentation.DOWNSAMPLE_RATIO, 0.0,
            Segmentation.ENCODER_SIDE, 480, Segmentation.AVERAGING, Averaging.MIRROR));

    private final Map<Setting<?>, Object> values;

    Quality(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** The given values with this preset's laid over them. */
    public SettingValues over(SettingValues given) {
        SettingValues v = given;
        for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
            v = v.with(e.getKey(), e.getValue(), "--quality " + name().toLowerCase(Locale.ROOT));
        }
        return v;
    }
}
