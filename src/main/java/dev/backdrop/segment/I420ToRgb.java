package dev.backdrop.segment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.backdrop.capture.Bt601;
import java.nio.FloatBuffer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * An I420 frame -> RGB floats in [0,1] at the model size, without converting the full-size frame: the
 * Y plane is resized bilinearly, the chroma planes are remapped to the same points ({@link ChromaTaps}),
 * and only those pixels go through BT.601 limited range to RGB, all in OpenCV's vector loops. Resizing
 * before the conversion instead of after changes the result only where a colour clamps (the matrix is
 * linear). OpenCV's COLOR_YUV2RGB is full range, and its I420 conversion works at full size.
 */
final class I420ToRgb implements AutoCloseable {
    private final int width;
    private final int height;
    private final Size size;
    private final Mat luma;
    private final Mat u;
    private final Mat v;
    private final MatVector planes;
    private final Mat yuv;
    private final Mat rgb;
    /** BT.601 limited range as an affine 3x4 matrix over (Y, U, V, 1), to RGB bytes. */
    private final Mat toRgb;
    /** Where each output pixel reads the chroma planes, for the frame size last fitted (fixed point, remap's). */
    private final Mat chromaMap = new Mat();
    private final Mat chromaWeights = new Mat();
    private final Scalar noBorder = new Scalar();
    private int fittedWidth;
    private int fittedHeight;

    I420ToRgb(int width, int height) {
        this.width = width;
        this.height = height;
        size = new Size(width, height);
        luma = new Mat(height, width, CV_8UC1);
        u = new Mat(height, width, CV_8UC1);
        v = new Mat(height, width, CV_8UC1);
        planes = new MatVector(luma, u, v);
        yuv = new Mat(height, width, CV_8UC3);
        rgb = new Mat(height, width, CV_8UC3);
        float y = Bt601.Y_SCALE;
        float[] m = {
            y, 0, Bt601.V_TO_R, -16 * y - 128 * Bt601.V_TO_R,
            y, Bt601.U_TO_G, Bt601.V_TO_G, -16 * y - 128 * (Bt601.U_TO_G + Bt601.V_TO_G),
            y, Bt601.U_TO_B, 0, -16 * y - 128 * Bt601.U_TO_B};
        toRgb = new Mat(3, 4, CV_32FC1);
        ((FloatBuffer) toRgb.createBuffer()).put(0, m);
    }

    /**
     * @param y     the frame's Y plane
     * @param cb    its U plane, cr its V plane (half the size each way)
     * @param out   a width x height CV_32FC3 Mat: receives RGB in [0,1]
     */
    void convert(Mat y, Mat cb, Mat cr, Mat out) {
        fit(y.cols(), y.rows());
        opencv_imgproc.resize(y, luma, size, 0, 0, opencv_imgproc.INTER_LINEAR);
        opencv_imgproc.remap(cb, u, chromaMap, chromaWeights, opencv_imgproc.INTER_LINEAR, BORDER_REPLICATE,
                noBorder);
        opencv_imgproc.remap(cr, v, chromaMap, chromaWeights, opencv_imgproc.INTER_LINEAR, BORDER_REPLICATE,
                noBorder);
        opencv_core.merge(planes, yuv);
        opencv_core.transform(yuv, rgb, toRgb); // rounds and clamps to bytes, as swscale's RGB is
        rgb.convertTo(out, CV_32FC3, 1.0 / 255.0, 0.0);
    }

    /** The chroma map for frames of this size: each output pixel's two taps along each axis, as one position. */
    private void fit(int frameWidth, int frameHeight) {
        if (frameWidth == fittedWidth && frameHeight == fittedHeight) {
            return;
        }
        float[] columns = ChromaTaps.positions(frameWidth, width);
        float[] rows = ChromaTaps.positions(frameHeight, height);
        float[] xs = new float[width * height];
        float[] ys = new float[width * height];
        for (int row = 0, i = 0; row < height; row++) {
            for (int col = 0; col < width; col++, i++) {
                xs[i] = columns[col];
                ys[i] = rows[row];
            }
        }
        try (Mat mapX = new Mat(height, width, CV_32FC1); Mat mapY = new Mat(height, width, CV_32FC1)) {
            ((FloatBuffer) mapX.createBuffer()).put(0, xs);
            ((FloatBuffer) mapY.createBuffer()).put(0, ys);
            opencv_imgproc.convertMaps(mapX, mapY, chromaMap, chromaWeights, CV_16SC2, false);
        }
        fittedWidth = frameWidth;
        fittedHeight = frameHeight;
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {luma, u, v, yuv, rgb, toRgb, chromaMap, chromaWeights}) {
            m.close();
        }
        planes.close();
        noBorder.close();
        size.close();
    }
}
