package dev.backdrop.config;

import dev.backdrop.compose.BackgroundImage;
import dev.backdrop.compose.ComposeSettings;

/**
 * Every setting Backdrop reads, after the config file and the command-line flags are applied.
 * Field comments are in config/backdrop.yaml, the file users edit.
 */
public record Settings(
        String model,
        int intraOpThreads,
        int interOpThreads,
        double blur,
        double blurScale,
        String background,
        String preset,
        int crf,
        int ringSize,
        ComposeOptions composeOptions) {

    public Settings withModel(String value) {
        return new Settings(value, intraOpThreads, interOpThreads, blur, blurScale, background, preset, crf, ringSize, composeOptions);
    }

    public Settings withBlur(double value) {
        return new Settings(model, intraOpThreads, interOpThreads, value, blurScale, background, preset, crf, ringSize, composeOptions);
    }

    public Settings withBackground(String value) {
        return new Settings(model, intraOpThreads, interOpThreads, blur, blurScale, value, preset, crf, ringSize, composeOptions);
    }

    public Settings withComposeOptions(ComposeOptions value) {
        return new Settings(model, intraOpThreads, interOpThreads, blur, blurScale, background, preset, crf, ringSize, value);
    }

    /** The compositor's settings; image is the loaded {@link #background()} or null. */
    public ComposeSettings compose(BackgroundImage image) {
        ComposeOptions o = composeOptions;
        return new ComposeSettings((float) blur, (float) blurScale, image,
                ComposeSettings.Fit.valueOf(o.backgroundFit().toUpperCase(java.util.Locale.ROOT)), o.solidColour(),
                (float) o.guideSigmaSpace(), (float) o.guideSigmaColour(), (float) o.temporalWeight(),
                (float) o.motionThreshold(), (float) o.edgeLow(), (float) o.edgeHigh(), (float) o.feather(),
                ComposeSettings.FeatherDirection.valueOf(o.featherDirection().toUpperCase(java.util.Locale.ROOT)));
    }

    /** True when the background is replaced by an image rather than blurred. */
    public boolean replacesBackground() {
        return background != null && !background.isEmpty();
    }
}
