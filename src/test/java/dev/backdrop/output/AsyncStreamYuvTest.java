package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.VideoSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream's own thread encodes the I420 it is handed, and BGR too when the outputs are mixed. */
class AsyncStreamYuvTest {
    private static final int W = 64;
    private static final int H = 48;

    @TempDir
    Path dir;

    @Test
    void i420AndBgrFramesReachTheStreamInOrder() {
        Path out = dir.resolve("stream.ts");
        VideoWriter.Format format = new VideoWriter.Format(W, H, 10, 0, 0, 0, "ultrafast", 20);
        AsyncSink sink = new AsyncSink("test", new ReconnectingSink("test", () -> VideoWriter.open(out.toString(),
                format, Encoding.stream("mpegts", "ultrafast", 2000)), 5), W, H);
        assertTrue(sink.takesYuv420(W, H));
        Yuv420Image red = new Yuv420Image(W, H); // BT.601 limited range red: Y 81, U 90, V 240
        fill(red.data, 0, W * H, 81);
        fill(red.data, W * H, W * H / 4, 90);
        fill(red.data, W * H * 5 / 4, W * H / 4, 240);
        Frame blue = new Frame(W, H, Frame.DEPTH_UBYTE, 3);
        ByteBuffer bgr = (ByteBuffer) blue.image[0];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // every channel: a JavaCV Frame's memory comes from malloc, not zeroed
                bgr.put(y * blue.imageStride + x * 3, (byte) 255).put(y * blue.imageStride + x * 3 + 1, (byte) 0)
                        .put(y * blue.imageStride + x * 3 + 2, (byte) 0);
            }
        }
        for (int i = 0; i < 10; i++) {
            if (i < 5) {
                sink.writeYuv420(red, i * 100_000L);
            } else {
                sink.writeVideo(blue, i * 100_000L);
            }
            waitForTheSender(sink, i + 1);
        }
        sink.close();

        List<int[]> colours = new ArrayList<>();
        try (VideoSource source = VideoSource.open(out.toString())) {
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    ByteBuffer p = (ByteBuffer) f.image[0];
                    int i = (H / 2) * f.imageStride + (W / 2) * 3;
                    colours.add(new int[] {p.get(i) & 0xFF, p.get(i + 1) & 0xFF, p.get(i + 2) & 0xFF});
                }
            }
        }
        assertEquals(10, colours.size(), "frames in the stream");
        for (int i = 0; i < 10; i++) {
            int[] expected = i < 5 ? new int[] {0, 0, 255} : new int[] {255, 0, 0};
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[c], colours.get(i)[c], 6, "channel " + c + " of frame " + i);
            }
        }
    }

    private static void fill(ByteBuffer b, int from, int count, int value) {
        for (int i = from; i < from + count; i++) {
            b.put(i, (byte) value);
        }
    }

    /** The sink drops frames when its pool is full; the test wants every one sent. */
    private static void waitForTheSender(AsyncSink sink, int sent) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sink.sent() < sent && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(sent, sink.sent(), "frames sent");
        assertEquals(0, sink.dropped(), "frames dropped");
    }
}
