package dev.backdrop.compose;

/**
 * How a frame is composited.
 *
 * @param blurSigma  Gaussian sigma in full-resolution output pixels; 0 = no blur
 * @param blurScale  the reduced resolution the blur runs at, as a fraction of the frame (e.g. 0.25)
 * @param background null = blur the real background, else replace it with this image
 */
public record ComposeSettings(float blurSigma, float blurScale, BackgroundImage background) {
    public ComposeSettings {
        if (!(blurSigma >= 0) || Float.isInfinite(blurSigma)) {
            throw new IllegalArgumentException("blurSigma must be >= 0, got " + blurSigma);
        }
        if (!(blurScale > 0 && blurScale <= 1)) {
            throw new IllegalArgumentException("blurScale must be in (0, 1], got " + blurScale);
        }
    }
}
