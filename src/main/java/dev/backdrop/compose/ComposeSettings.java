package dev.backdrop.compose;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a frame is composited. Use {@link #defaults()} (or the three-argument constructor) and the
 * {@code with...} methods rather than listing every component.
 *
 * @param blurSigma        Gaussian sigma in full-resolution output pixels; 0 = no blur
 * @param blurScale        the largest reduced resolution the blur runs at, as a fraction of the frame
 *                         (e.g. 0.25); strong blurs run smaller still, so their cost stays flat
 * @param background       null = blur the real background (or use {@code solidColour}), else replace it with this image
 * @param fit              how the replacement image fills the frame
 * @param solidColour      0xRRGGBB replacing the background when there is no image; -1 = none. Also
 *                         the letterbox colour of {@link Fit#FIT}
 * @param guideSigmaSpace  guided upsampling: spatial sigma in mask texels
 * @param guideSigmaColour guided upsampling: colour sigma, colours in 0..1
 * @param temporalWeight   weight of the new mask where nothing moves (1 = no temporal smoothing)
 * @param motionThreshold  mean colour change (0..1) at which a pixel counts as moving (no smoothing)
 * @param edgeLow          soft threshold: mask values at or below become 0
 * @param edgeHigh         soft threshold: mask values at or above become 1
 * @param feather          edge feather, Gaussian sigma in full-resolution pixels; 0 = none
 * @param featherDirection where the feathered ramp goes relative to the edge
 * @param backgroundVideo  null, or a video file played (looped) behind the person instead of an image;
 *                         fitted like the image ({@code fit}). Excludes {@code background}
 * @param transparent      no background at all: the output carries the refined mask as its alpha
 *                         (read it with {@link Compositor#readBackBgra}); its colour is the frame's
 * @param lightWrap        0..1: how much of a replacement background's light (image, video or colour)
 *                         spills over the person's edge; 0 = none. No effect on a blurred background
 */
public record ComposeSettings(float blurSigma, float blurScale, BackgroundImage background, Fit fit, int solidColour,
                              float guideSigmaSpace, float guideSigmaColour, float temporalWeight,
                              float motionThreshold, float edgeLow, float edgeHigh, float feather,
                              FeatherDirection featherDirection, Path backgroundVideo,
                              boolean transparent, float lightWrap) {

    /** How a replacement image is fitted to the frame. */
    public enum Fit { COVER, FIT, STRETCH }

    /** Where the feather ramp goes: inside the person (the old background never shows), straddling, or outside. */
    public enum FeatherDirection { INWARD, CENTRED, OUTWARD }

    public ComposeSettings {
        if (!(blurSigma >= 0) || Float.isInfinite(blurSigma)) {
            throw new IllegalArgumentException("blurSigma must be >= 0, got " + blurSigma);
        }
        if (!(blurScale > 0 && blurScale <= 1)) {
            throw new IllegalArgumentException("blurScale must be in (0, 1], got " + blurScale);
        }
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(featherDirection, "featherDirection");
        if (solidColour < -1 || solidColour > 0xFFFFFF) {
            throw new IllegalArgumentException("solidColour must be 0xRRGGBB or -1, got " + solidColour);
        }
        if (!(guideSigmaSpace > 0 && guideSigmaSpace <= 4)) {
            throw new IllegalArgumentException("guideSigmaSpace must be in (0, 4], got " + guideSigmaSpace);
        }
        if (!(guideSigmaColour > 0 && guideSigmaColour <= 10)) {
            throw new IllegalArgumentException("guideSigmaColour must be in (0, 10], got " + guideSigmaColour);
        }
        if (!(temporalWeight > 0 && temporalWeight <= 1)) {
            throw new IllegalArgumentException("temporalWeight must be in (0, 1], got " + temporalWeight);
        }
        if (!(motionThreshold > 0 && motionThreshold <= 1)) {
            throw new IllegalArgumentException("motionThreshold must be in (0, 1], got " + motionThreshold);
        }
        if (!(edgeLow >= 0 && edgeLow < edgeHigh && edgeHigh <= 1)) {
            throw new IllegalArgumentException("need 0 <= edgeLow < edgeHigh <= 1, got " + edgeLow + " and " + edgeHigh);
        }
        if (!(feather >= 0 && feather <= 64)) {
            throw new IllegalArgumentException("feather must be in [0, 64], got " + feather);
        }
        if (!(lightWrap >= 0 && lightWrap <= 1)) {
            throw new IllegalArgumentException("lightWrap must be in [0, 1], got " + lightWrap);
        }
        if (background != null && backgroundVideo != null) {
            throw new IllegalArgumentException("a background image and a background video cannot both be set");
        }
        if (transparent && (background != null || backgroundVideo != null || solidColour >= 0)) {
            throw new IllegalArgumentException("transparent output has no background: drop the background image,"
                    + " video or colour");
        }
    }

    /** Without a background video (the components before videos existed). */
    public ComposeSettings(float blurSigma, float blurScale, BackgroundImage background, Fit fit, int solidColour,
                           float guideSigmaSpace, float guideSigmaColour, float temporalWeight,
                           float motionThreshold, float edgeLow, float edgeHigh, float feather,
                           FeatherDirection featherDirection) {
        this(blurSigma, blurScale, background, fit, solidColour, guideSigmaSpace, guideSigmaColour, temporalWeight,
                motionThreshold, edgeLow, edgeHigh, feather, featherDirection, null, false, 0f);
    }

    /** Blur or image replacement with every refinement at its default. */
    public ComposeSettings(float blurSigma, float blurScale, BackgroundImage background) {
        this(blurSigma, blurScale, background, Fit.COVER, -1, DEFAULT_GUIDE_SIGMA_SPACE, DEFAULT_GUIDE_SIGMA_COLOUR,
                DEFAULT_TEMPORAL_WEIGHT, DEFAULT_MOTION_THRESHOLD, DEFAULT_EDGE_LOW, DEFAULT_EDGE_HIGH,
                DEFAULT_FEATHER, FeatherDirection.INWARD);
    }

    // The defaults; config/backdrop.yaml repeats them (ConfigLoaderTest checks the file).
    public static final float DEFAULT_BLUR = 12f;
    public static final float DEFAULT_BLUR_SCALE = 0.25f;
    public static final float DEFAULT_GUIDE_SIGMA_SPACE = 0.8f;
    public static final float DEFAULT_GUIDE_SIGMA_COLOUR = 0.1f;
    public static final float DEFAULT_TEMPORAL_WEIGHT = 0.35f;
    public static final float DEFAULT_MOTION_THRESHOLD = 0.08f;
    public static final float DEFAULT_EDGE_LOW = 0.3f;
    public static final float DEFAULT_EDGE_HIGH = 0.7f;
    public static final float DEFAULT_FEATHER = 2f;
    public static final float DEFAULT_LIGHT_WRAP = 0f;

    /** Blur sigma 12 at quarter resolution, every refinement at its default. */
    public static ComposeSettings defaults() {
        return new ComposeSettings(DEFAULT_BLUR, DEFAULT_BLUR_SCALE, null);
    }

    public ComposeSettings withBlur(float sigma, float scale) {
        return new ComposeSettings(sigma, scale, background, fit, solidColour, guideSigmaSpace, guideSigmaColour,
                temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection, backgroundVideo, transparent, lightWrap);
    }

    /** A replacement image (null = none) and its fit; clears any background video. */
    public ComposeSettings withBackground(BackgroundImage image, Fit imageFit) {
        return new ComposeSettings(blurSigma, blurScale, image, imageFit, solidColour, guideSigmaSpace,
                guideSigmaColour, temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection, null, transparent, lightWrap);
    }

    /** A looped background video (null = none) and its fit; clears any background image. */
    public ComposeSettings withBackgroundVideo(Path video, Fit videoFit) {
        return new ComposeSettings(blurSigma, blurScale, null, videoFit, solidColour, guideSigmaSpace,
                guideSigmaColour, temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection, video, transparent, lightWrap);
    }

    /** Transparent output (alpha = the refined mask) instead of a blurred or replaced background. */
    public ComposeSettings withTransparent(boolean on) {
        return new ComposeSettings(blurSigma, blurScale, background, fit, solidColour, guideSigmaSpace,
                guideSigmaColour, temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection,
                backgroundVideo, on, lightWrap);
    }

    /** 0..1, 0 = no light wrap (see the component). */
    public ComposeSettings withLightWrap(float amount) {
        return new ComposeSettings(blurSigma, blurScale, background, fit, solidColour, guideSigmaSpace, guideSigmaColour,
                temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection, backgroundVideo, transparent,
                amount);
    }

    /** 0xRRGGBB, or -1 for none. */
    public ComposeSettings withSolidColour(int rgb) {
        return new ComposeSettings(blurSigma, blurScale, background, fit, rgb, guideSigmaSpace, guideSigmaColour,
                temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection, backgroundVideo, transparent, lightWrap);
    }

    public ComposeSettings withGuide(float sigmaSpace, float sigmaColour) {
        return new ComposeSettings(blurSigma, blurScale, background, fit, solidColour, sigmaSpace, sigmaColour,
                temporalWeight, motionThreshold, edgeLow, edgeHigh, feather, featherDirection, backgroundVideo, transparent, lightWrap);
    }

    /** weight 1 turns temporal smoothing off. */
    public ComposeSettings withTemporal(float weight, float motion) {
        return new ComposeSettings(blurSigma, blurScale, background, fit, solidColour, guideSigmaSpace,
                guideSigmaColour, weight, motion, edgeLow, edgeHigh, feather, featherDirection, backgroundVideo, transparent, lightWrap);
    }

    public ComposeSettings withEdge(float low, float high, float featherSigma, FeatherDirection direction) {
        return new ComposeSettings(blurSigma, blurScale, background, fit, solidColour, guideSigmaSpace,
                guideSigmaColour, temporalWeight, motionThreshold, low, high, featherSigma, direction, backgroundVideo, transparent, lightWrap);
    }

    /** The background is replaced by an image, a video or a colour (what light wrap applies to). */
    boolean replaces() {
        return !transparent && (background != null || backgroundVideo != null || solidColour >= 0);
    }

    /** The blur is on: no image or video, no solid colour, sigma above 0. */
    boolean blurs() {
        return !transparent && background == null && backgroundVideo == null && solidColour < 0 && blurSigma > 0;
    }
}
