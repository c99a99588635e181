package dev.backdrop.capture;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** A frame's memory as OpenCV Mats, without copying: one for a packed layout, Y, U and V for I420. */
public final class FramePlanes {
    private FramePlanes() {
    }

    /** Mats over a frame with tight rows ({@link PixelLayout#stride}); close them, not the buffer. */
    public static Mat[] wrap(ByteBuffer frame, int width, int height, PixelLayout layout) {
        return wrap(frame, width, height, layout.stride(width), layout);
    }

    /**
     * Mats over frame (from its position), in layout at width x height, rows stride bytes apart (I420: the
     * Y plane's; the U and V planes follow it, rows stride / 2 apart); close them, not the buffer.
     */
    public static Mat[] wrap(ByteBuffer frame, int width, int height, int stride, PixelLayout layout) {
        long at = frame.position();
        Mat first = new Mat(height, width, CV_8UC(layout.channels), new BytePointer(frame).position(at), stride);
        if (layout != PixelLayout.I420) {
            return new Mat[] {first};
        }
        int cw = width / 2;
        int ch = height / 2;
        long uAt = at + (long) stride * height;
        long vAt = uAt + (long) (stride / 2) * ch;
        return new Mat[] {
            first,
            new Mat(ch, cw, CV_8UC(1), new BytePointer(frame).position(uAt), stride / 2),
            new Mat(ch, cw, CV_8UC(1), new BytePointer(frame).position(vAt), stride / 2)
        };
    }
}
