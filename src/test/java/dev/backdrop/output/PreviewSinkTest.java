package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The control page's preview shows the same picture whether the ring hands it BGR or I420. */
class PreviewSinkTest {
    private static final int W = 320;
    private static final int H = 180;

    @Test
    void i420AndBgrFramesGiveTheSamePreview() {
        // An orange left half and a blue right half, in BGR and in I420 (BT.601 limited range).
        int[][] colours = {{40, 140, 230}, {200, 90, 20}}; // B, G, R
        Frame bgr = new Frame(W, H, Frame.DEPTH_UBYTE, 3);
        Yuv420Image yuv = new Yuv420Image(W, H);
        ByteBuffer b = (ByteBuffer) bgr.image[0];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] c = colours[x < W / 2 ? 0 : 1];
                b.put(y * bgr.imageStride + x * 3, (byte) c[0]).put(y * bgr.imageStride + x * 3 + 1, (byte) c[1])
                        .put(y * bgr.imageStride + x * 3 + 2, (byte) c[2]);
                yuv.data.put(y * W + x, (byte) (16 + (66 * c[2] + 129 * c[1] + 25 * c[0] + 128 >> 8)));
                if (x % 2 == 0 && y % 2 == 0) {
                    int at = W * H + y / 2 * (W / 2) + x / 2;
                    yuv.data.put(at, (byte) (128 + (-38 * c[2] - 74 * c[1] + 112 * c[0] + 128 >> 8)));
                    yuv.data.put(at + W / 2 * (H / 2), (byte) (128 + (112 * c[2] - 94 * c[1] - 18 * c[0] + 128 >> 8)));
                }
            }
        }
        PreviewSink fromBgr = new PreviewSink(W, H, 160, 1000);
        PreviewSink fromYuv = new PreviewSink(W, H, 160, 1000);
        assertNull(fromBgr.jpeg(), "nothing before the first frame");
        assertNull(fromYuv.jpeg());
        fromBgr.writeVideo(bgr, 0);
        fromYuv.writeYuv420(yuv, 0);
        int[] a = meanColours(fromBgr.jpeg());
        int[] c = meanColours(fromYuv.jpeg());
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 3, "channel " + i % 3 + " of half " + i / 3);
            assertEquals(colours[i / 3][i % 3], c[i], 6, "the colour itself, channel " + i % 3 + " of half " + i / 3);
        }
        fromBgr.close();
        fromYuv.close();
    }

    /** The JPEG's mean B, G, R over the middle of its left half, then of its right half. */
    private static int[] meanColours(byte[] jpeg) {
        assertNotNull(jpeg);
        try (Mat encoded = new Mat(new BytePointer(jpeg)); Mat image = opencv_imgcodecs.imdecode(encoded,
                opencv_imgcodecs.IMREAD_COLOR)) {
            ByteBuffer p = image.createBuffer();
            int w = image.cols();
            int h = image.rows();
            int[] out = new int[6];
            for (int half = 0; half < 2; half++) {
                long[] sum = new long[3];
                int n = 0;
                for (int y = h / 4; y < 3 * h / 4; y++) {
                    for (int x = half * w / 2 + w / 8; x < half * w / 2 + 3 * w / 8; x++) {
                        for (int ch = 0; ch < 3; ch++) {
                            sum[ch] += p.get((int) (y * image.step()) + x * 3 + ch) & 0xFF;
                        }
                        n++;
                    }
                }
                for (int ch = 0; ch < 3; ch++) {
                    out[half * 3 + ch] = (int) (sum[ch] / n);
                }
            }
            return out;
        }
    }
}
