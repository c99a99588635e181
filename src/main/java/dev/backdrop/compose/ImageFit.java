package dev.backdrop.compose;

import dev.backdrop.config.Background;

/** Where a background image or video lands on the frame: the frame-uv to image-uv mapping of each fit. */
final class ImageFit {

    private ImageFit() {
    }

    /** {scaleX, scaleY, offsetX, offsetY} for background_fit.frag. */
    static float[] of(Background.Fit fit, int width, int height, int imageWidth, int imageHeight) {
        return switch (fit) {
            case COVER -> cover(width, height, imageWidth, imageHeight);
            case FIT -> contain(width, height, imageWidth, imageHeight);
            case STRETCH -> new float[] {1, 1, 0, 0};
        };
    }

    /** Cover: scale the image uniformly until it fills the frame, then crop the excess equally on both sides. */
    static float[] cover(int frameWidth, int frameHeight, int imageWidth, int imageHeight) {
        return centred(Math.max((double) frameWidth / imageWidth, (double) frameHeight / imageHeight),
                frameWidth, frameHeight, imageWidth, imageHeight);
    }

    /** Fit (contain): the whole image visible, centred; the uncovered bands fall outside [0,1]. */
    static float[] contain(int frameWidth, int frameHeight, int imageWidth, int imageHeight) {
        return centred(Math.min((double) frameWidth / imageWidth, (double) frameHeight / imageHeight),
                frameWidth, frameHeight, imageWidth, imageHeight);
    }

    private static float[] centred(double scale, int frameWidth, int frameHeight, int imageWidth, int imageHeight) {
        // The fraction of the image that stays visible along each axis (1 on the axis that fits exactly).
        double visibleX = frameWidth / scale / imageWidth;
        double visibleY = frameHeight / scale / imageHeight;
        return new float[] {(float) visibleX, (float) visibleY, (float) ((1 - visibleX) / 2), (float) ((1 - visibleY) / 2)};
    }
}
