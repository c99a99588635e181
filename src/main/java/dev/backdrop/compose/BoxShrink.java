package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A frame shrunk to a smaller size by the mean of each target pixel's footprint, fast: halved with
 * bilinear taps between pixels (an exact 2x2 mean each time) while the size stays at or above the
 * target, then OpenCV's area resize for the rest. At 720p, to 213x120: 0.15 ms against 1.9 ms for
 * the area resize alone (whose fast path needs a whole factor), 0.8 ms by a factor of 5.
 */
final class BoxShrink implements AutoCloseable {
    private final Mat[] halves;

    /** For frames of width x height and channels bytes per pixel, to targetWidth x targetHeight. */
    BoxShrink(int width, int height, int channels, int targetWidth, int targetHeight) {
        List<Mat> steps = new ArrayList<>();
        for (int w = width, h = height; w % 2 == 0 && h % 2 == 0 && w / 2 >= targetWidth && h / 2 >= targetHeight;
             w /= 2, h /= 2) {
            steps.add(new Mat(h / 2, w / 2, CV_8UC(channels)));
        }
        halves = steps.toArray(new Mat[0]);
    }

    /** from (the frame) shrunk into to (the target size). */
    void run(Mat from, Mat to) {
        Mat source = from;
        for (Mat half : halves) {
            resize(source, half, half.size(), 0, 0, INTER_LINEAR);
            source = half;
        }
        resize(source, to, to.size(), 0, 0, INTER_AREA);
    }

    @Override
    public void close() {
        for (Mat half : halves) {
            half.close();
        }
    }
}
