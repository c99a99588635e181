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
        dev.backdrop.segment.ModelLimits modelLimits,
        double blur,
        double blurScale,
        String background,
        String preset,
        int crf,
        int ringSize,
        ComposeOptions composeOptions) {

    /** True when the background is replaced by an image rather than blurred. */
    public boolean replacesBackground() {
        return background != null && !background.isEmpty();
    }
}
