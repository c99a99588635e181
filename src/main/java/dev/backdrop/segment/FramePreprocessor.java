package dev.backdrop.segment;

import dev.backdrop.capture.FramePlanes;
import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A frame -> model input: resized (stretched) to the model size, RGB, float in [0,1], interleaved.
 * BGR24 and RGBA frames are resized, then converted; I420 frames go through {@link I420ToRgb}, which
 * converts only the resized planes. Every Mat and buffer is kept between calls, and the Mats over the
 * caller's frames are made once per buffer, so steady-state calls allocate nothing on the Java heap.
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

    /**
     * The caller's frames as Mats (I420: Y, U and V), made once per buffer: a live ring hands over the same
     * few slots in turn. Remade when a buffer comes with another position or geometry; cleared when it grows
     * past {@link #MAX_WRAPPED}, for a caller with a new buffer per frame.
     */
    private final Map<ByteBuffer, Wrapped> wrapped = new IdentityHashMap<>();
    // Heap buffers cannot be wrapped by OpenCV: their bytes are copied here first.
    private ByteBuffer staging;

    /** Twice the default ring; no more, as the map keeps its buffers reachable until it is cleared. */
    private static final int MAX_WRAPPED = 16;

    /** Mats over one buffer's frame at one position and geometry. */
    private record Wrapped(int position, int width, int height, int stride, PixelLayout layout, Mat[] planes)
            implements AutoCloseable {
        boolean fits(ByteBuffer b, int w, int h, int s, PixelLayout l) {
            return b.position() == position && w == width && h == height && s == stride && l == layout;
        }

        @Override
        public void close() {
            for (Mat m : planes) {
                m.close();
            }
        }
    }

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
        Mat[] frame = wrap(pixels, layout, width, height, stride, (int) needed);
        if (layout == PixelLayout.I420) {
            if (i420 == null) {
                i420 = new I420ToRgb(outWidth, outHeight);
            }
            i420.convert(frame[0], frame[1], frame[2], outputMat);
            return output;
        }
        int toRgb = layout == PixelLayout.RGBA ? opencv_imgproc.COLOR_RGBA2RGB : opencv_imgproc.COLOR_BGR2RGB;
        if (width == outWidth && height == outHeight) {
            opencv_imgproc.cvtColor(frame[0], rgb, toRgb);
        } else {
            // Bilinear, like tf.image.resizeBilinear that the model was used with in TF.js.
            Mat small = layout == PixelLayout.RGBA ? resizedRgba : resized;
            opencv_imgproc.resize(frame[0], small, outSize, 0, 0, opencv_imgproc.INTER_LINEAR);
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

    /** The frame as Mats: one for a packed layout, Y, U and V for I420 (chroma rows stride / 2 apart). */
    private Mat[] wrap(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, int bytes) {
        if (!pixels.isDirect()) {
            if (staging == null || staging.capacity() < bytes) {
                staging = ByteBuffer.allocateDirect(bytes);
            }
            // Absolute bulk copy: leaves both buffers' positions alone.
            staging.put(0, pixels, pixels.position(), bytes);
            pixels = staging;
        }
        Wrapped w = wrapped.get(pixels);
        if (w == null || !w.fits(pixels, width, height, stride, layout)) {
            if (w != null) {
                w.close();
            } else if (wrapped.size() >= MAX_WRAPPED) {
                releaseFrames();
            }
            w = new Wrapped(pixels.position(), width, height, stride, layout,
                    FramePlanes.wrap(pixels, width, height, stride, layout));
            wrapped.put(pixels, w);
        }
        return w.planes();
    }

    private void releaseFrames() {
        wrapped.values().forEach(Wrapped::close);
        wrapped.clear();
    }

    @Override
    public void close() {
        releaseFrames();
        if (i420 != null) {
            i420.close();
        }
        outputMat.close();
        rgb.close();
        resizedRgba.close();
        resized.close();
        outSize.close();
    }
}
