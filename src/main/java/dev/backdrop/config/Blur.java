package dev.backdrop.config;

import java.util.List;

/**
 * compose.blur*: the blurred background (GaussianBlurPass).
 *
 * @param sigma Gaussian sigma in output pixels; 0 = no blur
 * @param scale the largest reduced resolution the blur runs at, as a fraction of the frame; strong
 *              blurs run smaller still, so their cost stays flat
 */
public record Blur(float sigma, float scale) {

    public static final Setting<Double> SIGMA = Setting.number("compose.blur", 12, 0, 200,
            "Background blur strength: Gaussian sigma in output pixels; 0 turns blurring off.").flag("--blur", "N");
    public static final Setting<Double> SCALE = Setting.number("compose.blur_scale", 0.25, 0.05, 1,
            "Resolution the blur runs at, as a fraction of the frame. Smaller is faster; a Gaussian this wide hides"
            + " the difference.");
    static final List<Setting<?>> SETTINGS = List.of(SIGMA, SCALE);

    public static final Blur DEFAULT = from(SettingValues.DEFAULTS);

    public Blur {
        SIGMA.requireFloat(sigma);
        SCALE.requireFloat(scale);
    }

    static Blur from(SettingValues v) {
        return new Blur(v.get(SIGMA).floatValue(), v.get(SCALE).floatValue());
    }

    public Blur withSigma(float value) {
        return new Blur(value, scale);
    }
}
