package dev.backdrop.train;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One training photo held at working resolution: the BGR image, its person mask (0..255, soft where a
 * teacher labelled it) and a "clean" background (the person painted over with the background's mean colour
 * and blurred) that other samples' people are pasted onto.
 */
final class TrainingImage implements AutoCloseable {
    final String name;
    final Mat image;
    final Mat mask;
    final Mat cleanBackground;
    /** The person spans most of the photo's height: a crop of its top looks like a webcam's framing. */
    final boolean fullBody;

    /** Takes ownership of nothing: copies and scales so the longer side is at most maxSide. */
    TrainingImage(String name, Mat bgr, Mat mask, int maxSide) {
        this.name = name;
        double s = Math.min(1.0, (double) maxSide / Math.max(bgr.cols(), bgr.rows()));
        int w = Math.max(1, (int) Math.round(bgr.cols() * s));
        int h = Math.max(1, (int) Math.round(bgr.rows() * s));
        image = new Mat(h, w, CV_8UC3);
        this.mask = new Mat(h, w, CV_8UC1);
        try (Size size = new Size(w, h)) {
            opencv_imgproc.resize(bgr, image, size, 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.resize(mask, this.mask, size, 0, 0, opencv_imgproc.INTER_AREA);
        }
        cleanBackground = cleanBackground(image, this.mask);
        fullBody = personRows(this.mask) > 0.6 * h;
    }

    /** How many rows lie between the person's top and bottom (mask at least half). */
    private static int personRows(Mat mask) {
        try (Mat rows = new Mat()) {
            org.bytedeco.opencv.global.opencv_core.reduce(mask, rows, 1, org.bytedeco.opencv.global.opencv_core.REDUCE_MAX);
            byte[] max = new byte[mask.rows()];
            rows.data().get(max);
            int first = -1;
            int last = -1;
            for (int y = 0; y < max.length; y++) {
                if ((max[y] & 255) >= 128) {
                    first = first < 0 ? y : first;
                    last = y;
                }
            }
            return first < 0 ? 0 : last - first + 1;
        }
    }

    private static Mat cleanBackground(Mat image, Mat mask) {
        Mat out = image.clone();
        try (Mat person = new Mat(); Mat background = new Mat()) {
            opencv_imgproc.threshold(mask, person, 64, 255, opencv_imgproc.THRESH_BINARY);
            org.bytedeco.opencv.global.opencv_core.bitwise_not(person, background);
            try (Scalar mean = org.bytedeco.opencv.global.opencv_core.mean(image, background);
                 Mat fill = new Mat(1, 1, CV_8UC3, mean)) {
                out.setTo(fill, person);
            }
            int k = (Math.max(image.cols(), image.rows()) / 24) | 1;
            try (Size ksize = new Size(k, k)) {
                opencv_imgproc.GaussianBlur(out, out, ksize, 0);
            }
        }
        return out;
    }

    int width() {
        return image.cols();
    }

    int height() {
        return image.rows();
    }

    @Override
    public void close() {
        image.close();
        mask.close();
        cleanBackground.close();
    }
}
