package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** A frame's memory as OpenCV Mats, without copying: one for a packed layout, Y, U and V for I420. */
final class FramePlanes {
    private FramePlanes() {
    }

    /** Mats over frame (from its position), in layout at width x height; close them, not the buffer. */
    static Mat[] wrap(ByteBuffer frame, int width, int height, PixelLayout layout) {
        BytePointer at = new BytePointer(frame).position(frame.position());
        if (layout != PixelLayout.I420) {
            return new Mat[] {new Mat(height, width, CV_8UC(layout.channels), at, layout.stride(width))};
        }
        int cw = width / 2;
        int ch = height / 2;
        long uAt = frame.position() + (long) width * height;
        return new Mat[] {
            new Mat(height, width, CV_8UC(1), at, width),
            new Mat(ch, cw, CV_8UC(1), new BytePointer(frame).position(uAt), cw),
            new Mat(ch, cw, CV_8UC(1), new BytePointer(frame).position(uAt + (long) cw * ch), cw)
        };
    }
}
