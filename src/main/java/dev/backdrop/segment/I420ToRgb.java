package dev.backdrop.segment;

import dev.backdrop.capture.Bt601;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * An I420 frame -> RGB floats in [0,1] at the model size, without converting the full-size frame: the
 * Y plane is resized bilinearly, the chroma planes are sampled at the same points ({@link ChromaTaps}),
 * and only those few pixels go through BT.601 limited range to RGB. Resizing before the conversion
 * instead of after changes the result only where a colour clamps (the matrix is linear). OpenCV's
 * COLOR_YUV2RGB is full range, and its I420 conversion works at full size.
 */
final class I420ToRgb implements AutoCloseable {
    private final int width;
    private final int height;
    private final Size size;
    private final Mat luma;
    private final ByteBuffer lumaBytes;
    private final ChromaTaps columns;
    private final ChromaTaps rows;

    I420ToRgb(int width, int height) {
        this.width = width;
        this.height = height;
        size = new Size(width, height);
        luma = new Mat(height, width, opencv_core.CV_8UC1);
        lumaBytes = luma.data().capacity((long) width * height).asByteBuffer();
        columns = new ChromaTaps(width);
        rows = new ChromaTaps(height);
    }

    /**
     * @param y     the frame's Y plane
     * @param frame the frame's bytes, with the U plane at uAt and V at vAt, rows chromaStride apart
     * @param rgb   receives width*height RGB triples from index 0
     */
    void convert(Mat y, ByteBuffer frame, int uAt, int vAt, int chromaStride, FloatBuffer rgb) {
        opencv_imgproc.resize(y, luma, size, 0, 0, opencv_imgproc.INTER_LINEAR);
        columns.fit(y.cols());
        rows.fit(y.rows());
        for (int row = 0, i = 0; row < height; row++) {
            int top = rows.lo[row] * chromaStride;
            int bottom = rows.hi[row] * chromaStride;
            float down = rows.weight[row];
            for (int col = 0; col < width; col++, i++) {
                int left = columns.lo[col];
                int right = columns.hi[col];
                float across = columns.weight[col];
                float u = sample(frame, uAt + top, uAt + bottom, left, right, across, down);
                float v = sample(frame, vAt + top, vAt + bottom, left, right, across, down);
                float l = lumaBytes.get(i) & 0xff;
                rgb.put(3 * i, Bt601.red(l, u, v));
                rgb.put(3 * i + 1, Bt601.green(l, u, v));
                rgb.put(3 * i + 2, Bt601.blue(l, u, v));
            }
        }
    }

    private static float sample(ByteBuffer b, int top, int bottom, int left, int right, float across, float down) {
        float upper = lerp(b.get(top + left) & 0xff, b.get(top + right) & 0xff, across);
        float lower = lerp(b.get(bottom + left) & 0xff, b.get(bottom + right) & 0xff, across);
        return lerp(upper, lower, down);
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }


    @Override
    public void close() {
        luma.close();
        size.close();
    }
}
