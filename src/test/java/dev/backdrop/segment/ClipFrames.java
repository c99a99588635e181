package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.capture.VideoSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;

/** The first video frames of an input decoded in one layout, each copied out of the decoder's reused buffer. */
record ClipFrames(int width, int height, int stride, List<ByteBuffer> frames) {

    static final String ASTRONAUT = "samples/astronaut.mp4";

    static ClipFrames read(String input, PixelLayout layout, int count) {
        List<ByteBuffer> frames = new ArrayList<>();
        try (VideoSource source = VideoSource.open(input, layout)) {
            int stride = 0;
            for (Frame f = source.grab(); f != null && frames.size() < count; f = source.grab()) {
                if (f.image == null) {
                    continue; // audio
                }
                stride = f.imageStride;
                // The grabber limits an I420 frame's buffer to its Y plane; the U and V planes follow it.
                ByteBuffer image = ((ByteBuffer) f.image[0]).duplicate().clear();
                frames.add(ByteBuffer.allocateDirect(image.capacity()).put(0, image, 0, image.capacity()));
            }
            return new ClipFrames(source.width(), source.height(), stride, frames);
        }
    }
}
