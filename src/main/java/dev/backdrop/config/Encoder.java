package dev.backdrop.config;

import java.util.List;

/**
 * output.*: how x264 encodes recordings and processed files.
 *
 * @param preset x264's speed/size trade-off
 * @param crf    x264's constant rate factor, 0 (lossless) to 51
 */
public record Encoder(String preset, int crf) {

    public static final Setting<String> PRESET = Setting.word("output.preset", "veryfast", List.of("ultrafast",
            "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"),
            "x264 speed/size trade-off: faster presets make bigger files.");
    public static final Setting<Integer> CRF = Setting.integer("output.crf", 20, 0, 51,
            "x264 constant rate factor, 0 (lossless) to 51 (worst); 18-23 looks clean.");
    static final List<Setting<?>> SETTINGS = List.of(PRESET, CRF);

    public static final Encoder DEFAULT = from(SettingValues.DEFAULTS);

    public Encoder {
        PRESET.require(preset);
        CRF.require(crf);
    }

    static Encoder from(SettingValues v) {
        return new Encoder(v.get(PRESET), v.get(CRF));
    }
}
