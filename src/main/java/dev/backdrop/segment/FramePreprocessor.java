package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A frame -> model input: resized (stretched) to the model size, RGB, float in [0,1], interleaved.
 * BGR24 and RGBA frames are resized, then converted; I420 frames go through {@link I420ToRgb}, which
 * converts only the resized planes. Every Mat and buffer is kept between calls; the Mat wrapping the
 * caller's frame are rebuilt only when the frame buffer, its geometry or its stride changes, so
 * steady-state calls allocate nothing on the Java heap.
 */
final class FramePreprocessor implements AutoCloseable {
    private final int outWidth;
    private final int outHeight;
    private final Size outSize;
    private final Mat resized;
    /** The RGBA frame resized: a resize of all four channels, then the alpha dropped, at model size. */
    private final Mat resizedRgba;
    private final Mat rgb;
    private final FloatBuffer output;
    private final Mat outputMat;
    /** Made on the first I420 frame. */
    private I420ToRgb i420;

    // Wrapper of the caller's frame (I420: its Y plane), cached for the last (buffer, geometry) seen.
    private ByteBuffer lastBuffer;
    private int lastPosition = -1;
    private int lastWidth;
    private int lastHeight;
    private int lastStride;
    private PixelLayout lastLayout;
    private BytePointer framePointer;
    private Mat frameMat;
    // Heap buffers cannot be wrapped by OpenCV: their bytes are copied here first.
    private ByteBuffer staging;

    FramePreprocessor(int outWidth, int outHeight) {
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.outSize = new Size(outWidth, outHeight);
        this.resized = new Mat(outHeight, outWidth, opencv_core.CV_8UC3);
        this.resizedRgba = new Mat(outHeight, outWidth, opencv_core.CV_8UC4);
        this.rgb = new Mat(outHeight, outWidth, opencv_core.CV_8UC3);
        this.output = ByteBuffer.allocateDirect(outWidth * outHeight * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.outputMat = new Mat(outHeight, outWidth, opencv_core.CV_32FC3, new FloatPointer(output));
    }

    /** The last result: outWidth*outHeight*3 floats, RGB interleaved, rows top-first. Reused by every call. */
    FloatBuffer output() {
        return output;
    }

    /**
     * @param pixels frame bytes starting at the buffer's position; rows of {@code stride} bytes (for I420,
     *               the Y plane's; the U and V planes follow it with rows stride/2 apart)
     */
    FloatBuffer process(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride) {
        long needed = neededBytes(layout, width, height, stride);
        if (pixels.remaining() < needed) {
            throw new IllegalArgumentException("frame buffer holds " + pixels.remaining() + " bytes, "
                    + layout + " " + width + "x" + height + " with stride " + stride + " needs " + needed);
        }
        ByteBuffer frame = wrap(pixels, layout, width, height, stride, (int) needed);
        if (layout == PixelLayout.I420) {
            if (i420 == null) {
                i420 = new I420ToRgb(outWidth, outHeight);
            }
            int uAt = frame.position() + stride * height;
            i420.convert(frameMat, frame, uAt, uAt + stride / 2 * (height / 2), stride / 2, output);
            return output;
        }
        int toRgb = layout == PixelLayout.RGBA ? opencv_imgproc.COLOR_RGBA2RGB : opencv_imgproc.COLOR_BGR2RGB;
        if (width == outWidth && height == outHeight) {
            opencv_imgproc.cvtColor(frameMat, rgb, toRgb);
        } else {
            // Bilinear, like tf.image.resizeBilinear that the model was used with in TF.js.
            Mat small = layout == PixelLayout.RGBA ? resizedRgba : resized;
            opencv_imgproc.resize(frameMat, small, outSize, 0, 0, opencv_imgproc.INTER_LINEAR);
            opencv_imgproc.cvtColor(small, rgb, toRgb);
        }
        rgb.convertTo(outputMat, opencv_core.CV_32FC3, 1.0 / 255.0, 0.0);
        return output;
    }

    /** Bytes from the buffer's position that a frame of this geometry covers; throws on a bad geometry. */
    private static long neededBytes(PixelLayout layout, int width, int height, int stride) {
        boolean i420 = layout == PixelLayout.I420;
        if (width <= 0 || height <= 0 || stride < width * layout.channels
                || i420 && !PixelLayout.fitsI420(width, height)) {
            throw new IllegalArgumentException("bad " + layout + " frame geometry " + width + "x" + height
                    + " stride " + stride);
        }
        // The last row need not be padded; in I420 that is the V plane's, after h rows of stride and h of stride/2.
        return i420 ? (long) stride * height + (long) (stride / 2) * (height - 1) + width / 2
                : (long) stride * (height - 1) + (long) width * layout.channels;
    }

    /** Wraps the frame's plane (I420: its Y plane) as a Mat; returns the direct buffer the frame is now in. */
    private ByteBuffer wrap(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, int bytes) {
        if (!pixels.isDirect()) {
            if (staging == null || staging.capacity() < bytes) {
                staging = ByteBuffer.allocateDirect(bytes);
            }
            // Absolute bulk copy: leaves both buffers' positions alone.
            staging.put(0, pixels, pixels.position(), bytes);
            pixels = staging;
        }
        if (pixels != lastBuffer || pixels.position() != lastPosition || width != lastWidth || height != lastHeight
                || stride != lastStride || layout != lastLayout) {
            releaseFrame();
            framePointer = new BytePointer(pixels).position(pixels.position());
            frameMat = new Mat(height, width, opencv_core.CV_8UC(layout.channels), framePointer, stride);
            lastBuffer = pixels;
            lastPosition = pixels.position();
            lastWidth = width;
            lastHeight = height;
            lastStride = stride;
            lastLayout = layout;
        }
        return pixels;
    }

    private void releaseFrame() {
        if (frameMat != null) {
            frameMat.close();
            frameMat = null;
        }
        if (framePointer != null) {
            framePointer.close();
            framePointer = null;
        }
    }

    @Override
    public void close() {
        releaseFrame();
        if (i420 != null) {
            i420.close();
        }
        outputMat.close();
        rgb.close();
        resizedRgba.close();
        resized.close();
        outSize.close();
        lastBuffer = null;
    }
}
