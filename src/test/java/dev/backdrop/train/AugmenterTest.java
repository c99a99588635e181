package dev.backdrop.train;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** How a tall photo fills a wide input: stretched across it, or fitted by height with its aspect kept. */
class AugmenterTest {

    @Test
    void aTallPhotoFittedByHeightCoversOnlyItsShareOfAWideInput() {
        // 40x100, all of it "person": stretched it covers the whole 64x36 input, fitted by height about
        // 40 * 36 / 100 = 14 of its 64 columns (times the random zoom, 0.75..1.3)
        try (Mat bgr = new Mat(100, 40, CV_8UC3, new Scalar(60, 120, 180, 0));
             Mat mask = new Mat(100, 40, CV_8UC1, new Scalar(255));
             TrainingImage photo = new TrainingImage("tall", bgr, mask, 1000)) {
            double stretched = meanMask(photo, false);
            double fitted = meanMask(photo, true);
            assertTrue(stretched > 0.9, "stretched, the person fills the input: " + stretched);
            assertTrue(fitted > 0.1 && fitted < 0.45, "fitted by height, a tall person's share: " + fitted);
        }
    }

    /** The mean of the target mask over 20 random variants of photo. */
    private static double meanMask(TrainingImage photo, boolean fitHeight) {
        float[] rgb = new float[64 * 36 * 3];
        float[] mask = new float[64 * 36];
        SplittableRandom r = new SplittableRandom(7);
        double sum = 0;
        try (Augmenter a = new Augmenter(64, 36, 0, fitHeight)) {
            for (int i = 0; i < 20; i++) {
                a.random(photo, List.of(photo), r, rgb, mask, 0);
                for (float v : mask) {
                    sum += v;
                }
            }
        }
        return sum / (20.0 * mask.length);
    }
}
