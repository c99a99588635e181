package dev.backdrop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.ffmpeg.FfmpegProgram;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YUYV input (an uncompressed camera) goes through {@link YuyvConverter}'s two fast swscale steps:
 * the same frames, in order, with the pixels of the grabber's own one-step conversion.
 */
class YuyvInputTest {

    private static final String YUYV = "testsrc2=size=320x180:rate=30:duration=1,format=yuyv422";

    @TempDir
    Path dir;

    @Test
    void yuyvFramesMatchTheGrabbersOwnConversion() throws Exception {
        for (PixelLayout layout : PixelLayout.values()) {
            assertMatches("lavfi:" + YUYV, layout, 30);
        }
    }

    @Test
    void aYuyvFileToo() throws Exception {
        // raw YUYV in NUT: the rawvideo decoder hands over frames that point into each packet
        Path clip = dir.resolve("yuyv.nut");
        FfmpegProgram.run("-i", "samples/astronaut.mp4", "-an", "-frames:v", "20", "-c:v", "rawvideo", "-pix_fmt", "yuyv422",
                clip.toString());
        assertMatches(clip.toString(), PixelLayout.RGBA, 20);
    }

    private static void assertMatches(String input, PixelLayout layout, int expectedFrames) throws Exception {
        {
            try (VideoSource source = VideoSource.open(input, layout);
                 FFmpegFrameGrabber reference = new FFmpegFrameGrabber(input.replace("lavfi:", ""))) {
                if (input.startsWith("lavfi:")) {
                    reference.setFormat("lavfi");
                }
                reference.setPixelFormat(layout.avPixelFormat);
                reference.start();
                int frames = 0;
                long sum = 0;
                long pixels = 0;
                int worst = 0;
                long lastTimestamp = -1;
                for (Frame f = source.grab(); f != null; f = source.grab()) {
                    Frame r = reference.grabImage();
                    assertEquals(layout.channels, f.imageChannels);
                    assertEquals(r.timestamp, f.timestamp, "frame " + frames + " is the reference's frame");
                    assertTrue(f.timestamp > lastTimestamp, "frames in order");
                    lastTimestamp = f.timestamp;
                    ByteBuffer a = (ByteBuffer) f.image[0];
                    ByteBuffer b = (ByteBuffer) r.image[0];
                    for (int y = 0; y < f.imageHeight; y++) {
                        for (int x = 0; x < f.imageWidth * layout.channels; x++) {
                            int d = Math.abs((a.get(y * f.imageStride + x) & 0xff) - (b.get(y * r.imageStride + x) & 0xff));
                            sum += d;
                            worst = Math.max(worst, d);
                            pixels++;
                        }
                    }
                    frames++;
                }
                double mean = sum / (double) pixels;
                System.out.printf("YUYV (%s) to %s: %d frames, mean |difference| %.3f, max %d%n", input, layout, frames, mean,
                        worst);
                assertEquals(expectedFrames, frames);
                // Rounding differs between the two paths by a few levels; measured: mean 0.004 (BGR24), 0.32 (RGBA), max 3.
                assertTrue(mean < 0.5 && worst <= 4, "mean difference " + mean + ", max " + worst);
            }
        }
    }

    @Test
    void otherVideoIsConvertedByTheGrabber() {
        try (VideoSource source = VideoSource.open("lavfi:testsrc2=size=320x180:rate=30:duration=0.2", PixelLayout.RGBA)) {
            Frame f = source.grab();
            assertEquals(4, f.imageChannels);
            assertTrue(f.opaque == null || !(f.opaque instanceof org.bytedeco.ffmpeg.avutil.AVFrame)
                    || ((org.bytedeco.ffmpeg.avutil.AVFrame) f.opaque).format() == avutil.AV_PIX_FMT_RGBA,
                    "converted by the grabber, in COLOR mode");
        }
    }
}
