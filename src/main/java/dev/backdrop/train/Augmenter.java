package dev.backdrop.train;

import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a training photo into one network input and its target, each time a little different: mirrored,
 * zoomed, rotated and shifted (one affine warp), pasted onto another background half of the time (another
 * photo's person-free background, a solid colour or a gradient), then colour-jittered. Some full-body photos
 * are cut to their upper third to half first, with their true mask: the head-and-shoulders framing of a webcam. Without
 * augmentation a model trained on one folder learns that folder's rooms and lighting; with it, people.
 * One instance per thread: it reuses its buffers.
 */
final class Augmenter implements AutoCloseable {
    private final int width;
    private final int height;
    private final Mat warpedImage;
    private final Mat warpedMask;
    private final Mat warpedBackground;
    private final Mat transform = new Mat(2, 3, CV_64FC1);
    private final Size size;
    private final Scalar border = new Scalar(0.0);
    private final byte[] image;
    private final byte[] mask;
    private final byte[] background;
    private final int[] backdrop;

    private final double webcamCrops;
    private final boolean fitHeight;

    /**
     * @param webcamCrops the share of full-body samples cut to webcam framing
     * @param fitHeight   photos keep their aspect, scaled to the input's height (else stretched to the input)
     */
    Augmenter(int width, int height, double webcamCrops, boolean fitHeight) {
        this.webcamCrops = webcamCrops;
        this.fitHeight = fitHeight;
        this.width = width;
        this.height = height;
        warpedImage = new Mat(height, width, CV_8UC3);
        warpedMask = new Mat(height, width, CV_8UC1);
        warpedBackground = new Mat(height, width, CV_8UC3);
        size = new Size(width, height);
        image = new byte[width * height * 3];
        mask = new byte[width * height];
        background = new byte[width * height * 3];
        backdrop = new int[width * height];
    }

    /** The plain input for validation and export checks: stretched to size, nothing random. */
    void plain(TrainingImage photo, float[] rgbOut, float[] maskOut, int sample) {
        warp(photo.image, photo.mask, photo.width(), photo.height(), false, 1, 0, 0, 0, false);
        toFloats(rgbOut, maskOut, sample, false, null, Jitter.NONE);
    }

    /** A random variant of photo; backgrounds come from any photo of the set. */
    void random(TrainingImage photo, List<TrainingImage> all, SplittableRandom r, float[] rgbOut, float[] maskOut,
            int sample) {
        // StrictMath here and in warp: Math.exp/cos may differ by an ulp once the JIT compiles them, and a
        // sample must come out the same every time (a resumed run repeats an uninterrupted one exactly)
        double zoom = StrictMath.exp(r.nextDouble(StrictMath.log(0.75), StrictMath.log(1.3)));
        double angle = Math.toRadians(r.nextDouble(-10, 10));
        double shiftX = r.nextDouble(-0.12, 0.12) * width;
        double shiftY = r.nextDouble(-0.08, 0.15) * height;
        boolean flip = r.nextBoolean();
        // the crop is the source's top rows; what the warp brings in from below them is the real photo
        int rows = photo.fullBody && r.nextDouble() < webcamCrops
                ? (int) Math.round(photo.height() * r.nextDouble(1 / 3.0, 0.5)) : photo.height();
        // Fitted by height, a photo narrower than the input leaves the sides uncovered: they count as background
        // (the mask's border is 0 there) and always get another background, not the photo's edge smeared out.
        warp(photo.image, photo.mask, photo.width(), rows, fitHeight, zoom, angle, shiftX, shiftY, flip);
        boolean uncovered = fitHeight && photo.width() * (height * zoom / rows) < 1.3 * width;
        int[] swapped = uncovered || r.nextDouble() < 0.5 ? newBackground(all.get(r.nextInt(all.size())), r) : null;
        toFloats(rgbOut, maskOut, sample, true, swapped, Jitter.random(r));
    }

    /** keepAspect: scaled to the input's height alone, the mask 0 beyond the photo; else stretched to the input. */
    private void warp(Mat img, Mat msk, int sw, int sh, boolean keepAspect, double zoom, double angle, double shiftX, double shiftY,
            boolean flip) {
        double sx = (keepAspect ? (double) height / sh : (double) width / sw) * zoom * (flip ? -1 : 1);
        double sy = (double) height / sh * zoom;
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        // dest = centre + shift + R * S * (src - srcCentre)
        double a = cos * sx;
        double b = -sin * sy;
        double c = sin * sx;
        double d = cos * sy;
        double cx = sw / 2.0;
        double cy = sh / 2.0;
        DoubleIndexer m = transform.createIndexer();
        m.put(0, 0, a).put(0, 1, b).put(0, 2, width / 2.0 + shiftX - a * cx - b * cy);
        m.put(1, 0, c).put(1, 1, d).put(1, 2, height / 2.0 + shiftY - c * cx - d * cy);
        m.close();
        opencv_imgproc.warpAffine(img, warpedImage, transform, size, opencv_imgproc.INTER_LINEAR,
                org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE, border);
        opencv_imgproc.warpAffine(msk, warpedMask, transform, size, opencv_imgproc.INTER_LINEAR,
                keepAspect ? org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT
                        : org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE, border);
        warpedImage.data().get(image);
        warpedMask.data().get(mask);
    }

    /** RGB colours per pixel of a new background (packed 0xRRGGBB), in a buffer reused for every sample. */
    private int[] newBackground(TrainingImage other, SplittableRandom r) {
        double kind = r.nextDouble();
        int[] out = backdrop;
        if (kind < 0.6) {
            opencv_imgproc.resize(other.cleanBackground, warpedBackground, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            warpedBackground.data().get(background);
            boolean flip = r.nextBoolean();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = (y * width + (flip ? width - 1 - x : x)) * 3;
                    out[y * width + x] = (background[i + 2] & 255) << 16 | (background[i + 1] & 255) << 8
                            | (background[i] & 255);
                }
            }
        } else {
            int c0 = r.nextInt(0x1000000);
            int c1 = kind < 0.8 ? c0 : r.nextInt(0x1000000);
            boolean vertical = r.nextBoolean();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double t = vertical ? (double) y / height : (double) x / width;
                    out[y * width + x] = mix(c0, c1, t);
                }
            }
        }
        return out;
    }

    private static int mix(int c0, int c1, double t) {
        int rr = (int) ((c0 >> 16 & 255) * (1 - t) + (c1 >> 16 & 255) * t);
        int gg = (int) ((c0 >> 8 & 255) * (1 - t) + (c1 >> 8 & 255) * t);
        int bb = (int) ((c0 & 255) * (1 - t) + (c1 & 255) * t);
        return rr << 16 | gg << 8 | bb;
    }

    /** Colour changes a camera or room would make: brightness, contrast, saturation, white balance. */
    record Jitter(float brightness, float contrast, float saturation, float gainR, float gainG, float gainB) {
        static final Jitter NONE = new Jitter(0, 1, 1, 1, 1, 1);

        static Jitter random(SplittableRandom r) {
            return new Jitter((float) r.nextDouble(-0.15, 0.15), (float) r.nextDouble(0.7, 1.3),
                    (float) r.nextDouble(0.6, 1.4), (float) r.nextDouble(0.9, 1.1), (float) r.nextDouble(0.9, 1.1),
                    (float) r.nextDouble(0.9, 1.1));
        }
    }

    private void toFloats(float[] rgbOut, float[] maskOut, int sample, boolean augmented, int[] newBackground, Jitter j) {
        int n = width * height;
        int rgbBase = sample * n * 3;
        int maskBase = sample * n;
        for (int p = 0; p < n; p++) {
            float alpha = (mask[p] & 255) / 255f;
            float rr = (image[p * 3 + 2] & 255) / 255f;
            float gg = (image[p * 3 + 1] & 255) / 255f;
            float bb = (image[p * 3] & 255) / 255f;
            if (newBackground != null) {
                int c = newBackground[p];
                rr = rr * alpha + (c >> 16 & 255) / 255f * (1 - alpha);
                gg = gg * alpha + (c >> 8 & 255) / 255f * (1 - alpha);
                bb = bb * alpha + (c & 255) / 255f * (1 - alpha);
            }
            if (augmented) {
                rr *= j.gainR;
                gg *= j.gainG;
                bb *= j.gainB;
                float grey = 0.299f * rr + 0.587f * gg + 0.114f * bb;
                rr = grey + (rr - grey) * j.saturation;
                gg = grey + (gg - grey) * j.saturation;
                bb = grey + (bb - grey) * j.saturation;
                rr = (rr - 0.5f) * j.contrast + 0.5f + j.brightness;
                gg = (gg - 0.5f) * j.contrast + 0.5f + j.brightness;
                bb = (bb - 0.5f) * j.contrast + 0.5f + j.brightness;
            }
            rgbOut[rgbBase + p * 3] = clamp(rr);
            rgbOut[rgbBase + p * 3 + 1] = clamp(gg);
            rgbOut[rgbBase + p * 3 + 2] = clamp(bb);
            maskOut[maskBase + p] = alpha;
        }
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    @Override
    public void close() {
        warpedImage.close();
        warpedMask.close();
        warpedBackground.close();
        transform.close();
        size.close();
        border.close();
    }
}
