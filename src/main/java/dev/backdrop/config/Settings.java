package dev.backdrop.config;

/**
 * Every setting Backdrop reads, after the config file and the command-line flags are applied.
 * Field comments are in config/backdrop.yaml, the file users edit.
 */
public record Settings(
        String model,
        int intraOpThreads,
        int interOpThreads,
        String aspect,
        double downsampleRatio,
        double blur,
        double blurScale,
        String background,
        String preset,
        int crf,
        int ringSize) {

    public Settings withModel(String value) {
        return new Settings(value, intraOpThreads, interOpThreads, aspect, downsampleRatio, blur, blurScale, background, preset, crf, ringSize);
    }

    public Settings withBlur(double value) {
        return new Settings(model, intraOpThreads, interOpThreads, aspect, downsampleRatio, value, blurScale, background, preset, crf, ringSize);
    }

    public Settings withBackground(String value) {
        return new Settings(model, intraOpThreads, interOpThreads, aspect, downsampleRatio, blur, blurScale, value, preset, crf, ringSize);
    }

    /** True when the background is replaced by an image rather than blurred. */
    public boolean replacesBackground() {
        return background != null && !background.isEmpty();
    }
}
