package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual camera's writer gives the same bytes as FFmpeg's rawvideo encoder through
 * {@link VideoWriter}, which it replaced: I420 as it is, YUYV repacked by swscale, BGR converted.
 */
class RawVideoWriterTest {
    private static final int W = 96;
    private static final int H = 64;
    private static final int FRAMES = 5;

    @TempDir
    Path dir;

    @Test
    void yuyvAndI420AreTheBytesTheEncoderPathWrote() throws IOException {
        Yuv420Image[] images = new Yuv420Image[2]; // two buffers in turn, as an AsyncSink's pool hands them over
        Random random = new Random(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = new Yuv420Image(W, H);
            byte[] noise = new byte[images[i].data.capacity()];
            random.nextBytes(noise);
            images[i].data.put(0, noise);
        }
        for (int format : new int[] {avutil.AV_PIX_FMT_YUYV422, avutil.AV_PIX_FMT_YUV420P}) {
            Path raw = dir.resolve("raw-" + format);
            Path reference = dir.resolve("reference-" + format);
            try (RawVideoWriter writer = RawVideoWriter.open(raw.toString(), W, H, format, false);
                 VideoWriter encoded = VideoWriter.open(reference.toString(),
                         new VideoWriter.Format(W, H, 30, 0, 0, 0, "ultrafast", 23), Encoding.raw("rawvideo", format))) {
                assertTrue(writer.takesYuv420(W, H));
                assertFalse(writer.takesYuv420(W / 2, H / 2));
                for (int i = 0; i < FRAMES; i++) {
                    writer.writeYuv420(images[i % 2], i * 33_333L);
                    encoded.writeYuv420(images[i % 2], i * 33_333L);
                }
            }
            byte[] got = Files.readAllBytes(raw);
            int frameBytes = format == avutil.AV_PIX_FMT_YUYV422 ? W * H * 2 : W * H * 3 / 2;
            assertEquals(FRAMES * frameBytes, got.length, "frames of " + frameBytes + " bytes");
            assertArrayEquals(Files.readAllBytes(reference), got);
            if (format == avutil.AV_PIX_FMT_YUV420P) {
                byte[] second = new byte[frameBytes];
                images[1].data.get(0, second);
                assertArrayEquals(second, Arrays.copyOfRange(got, frameBytes, 2 * frameBytes), "I420 passes as it is");
            } else {
                assertEquals(images[0].data.get(0), got[0], "YUYV starts with the first Y");
                assertEquals(images[0].data.get(W * H), got[1], "then the first U");
            }
        }
    }

    @Test
    void bgrFramesAreConvertedAsTheEncoderPathDid() throws IOException {
        Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3);
        ByteBuffer bgr = (ByteBuffer) frame.image[0];
        Random random = new Random(3);
        for (int i = 0; i < H * frame.imageStride; i++) {
            bgr.put(i, (byte) random.nextInt(256));
        }
        Path raw = dir.resolve("bgr.yuyv");
        Path reference = dir.resolve("bgr-reference.yuyv");
        try (RawVideoWriter writer = RawVideoWriter.open(raw.toString(), W, H, avutil.AV_PIX_FMT_YUYV422, false);
             VideoWriter encoded = VideoWriter.open(reference.toString(),
                     new VideoWriter.Format(W, H, 30, 0, 0, 0, "ultrafast", 23),
                     Encoding.raw("rawvideo", avutil.AV_PIX_FMT_YUYV422))) {
            for (int i = 0; i < 2; i++) { // the second through the pointers kept for the buffer
                writer.writeVideo(frame, i * 33_333L);
                encoded.writeVideo(frame, i * 33_333L);
            }
        }
        byte[] got = Files.readAllBytes(raw);
        byte[] want = Files.readAllBytes(reference);
        assertEquals(2 * W * H * 2, got.length);
        int worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs((got[i] & 0xff) - (want[i] & 0xff)));
        }
        assertTrue(worst <= 1, "BGR to YUYV differs from the encoder path's by up to " + worst);
    }

    @Test
    void aReaderThatGoesAwayIsNamedAsABrokenPipe() throws Exception {
        Path fifo = dir.resolve("camera.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread reader = new Thread(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                in.readNBytes(W * H * 2); // one frame, then gone
            } catch (IOException ignored) {
                // the test asserts on the writer's side
            }
        });
        reader.start();
        Yuv420Image image = new Yuv420Image(W, H);
        try (RawVideoWriter writer = RawVideoWriter.open(fifo.toString(), W, H, avutil.AV_PIX_FMT_YUYV422, false)) {
            writer.writeYuv420(image, 0);
            reader.join(10_000);
            OutputException e = assertThrows(OutputException.class, () -> {
                for (int i = 1; i < 100; i++) {
                    writer.writeYuv420(image, i * 33_333L);
                }
            });
            assertTrue(e.getMessage().contains("broken pipe"), e.getMessage());
        }
    }

    @Test
    void aDeviceThatIsNoVirtualCameraIsNamed() {
        // /dev/null passes for a device but takes no v4l2 format: FFmpeg's v4l2 muxer was found and said so
        OutputException e = assertThrows(OutputException.class,
                () -> RawVideoWriter.open("/dev/null", W, H, avutil.AV_PIX_FMT_YUYV422, true));
        assertTrue(e.getMessage().contains("VIDIOC") && e.getMessage().contains("v4l2loopback"), e.getMessage());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path target = dir.resolve("no-such-folder/camera.yuyv");
        OutputException e = assertThrows(OutputException.class,
                () -> RawVideoWriter.open(target.toString(), W, H, avutil.AV_PIX_FMT_YUYV422, false));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
