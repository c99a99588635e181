package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Blur;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The YUV 4:2:0 readback (yuv420_luma.frag, yuv420_chroma.frag) against a plain-Java conversion of the BGR readback of the same render. */
class Yuv420ReadbackTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");

    /** Largest difference per plane (Y, U, V) between the GL's I420 and the reference's. */
    private static int[] maxDifferencePerPlane(ByteBuffer gl, byte[] reference, int w, int h) {
        int[] max = new int[3];
        int chromaBytes = (w / 2) * (h / 2);
        for (int i = 0; i < reference.length; i++) {
            int plane = i < w * h ? 0 : i < w * h + chromaBytes ? 1 : 2;
            max[plane] = Math.max(max[plane], Math.abs((gl.get(i) & 0xFF) - (reference[i] & 0xFF)));
        }
        return max;
    }

    private static void assertMatchesReference(int w, int h, ComposeSettings settings, Path shaderDir) {
        Frame in = Frame.noise(w, h, w * 31L + h).withPaddingJunk();
        FloatBuffer mask = Frame.mask(16, 12, (x, y) -> x < 8 ? 1f : 0f);
        Frame bgr = new Frame(w, h);
        // one byte of junk beyond the frame: the readback must not write past its size
        ByteBuffer i420 = ByteBuffer.allocateDirect(Compositor.yuv420Bytes(w, h) + 1).put(Compositor.yuv420Bytes(w, h), (byte) 0x5A);
        try (Compositor c = new GlCompositor(new FrameGeometry(w, h, 16, 12), settings, shaderDir)) {
            c.render(in.data, in.stride, mask);
            c.readBack(bgr.data);
            c.readBackYuv420(i420);
        }
        int[] max = maxDifferencePerPlane(i420, Yuv420Reference.fromBgr(bgr), w, h);
        System.out.printf("yuv420 %dx%d: max difference Y %d, U %d, V %d%n", w, h, max[0], max[1], max[2]);
        assertTrue(max[0] <= 1, "Y differs by " + max[0]);
        assertTrue(max[1] <= 2 && max[2] <= 2, "U, V differ by " + max[1] + ", " + max[2]);
        assertEquals(0x5A, i420.get(Compositor.yuv420Bytes(w, h)) & 0xFF, "byte after the frame");
    }

    @Test
    void blurredNoiseMatchesTheJavaConversionOfTheBgrReadback() {
        assertMatchesReference(96, 64, ComposeSettings.DEFAULT.with(new Blur(6f, 0.5f)), SHADERS);
    }

    @Test
    void sizeWhoseChromaRowsDoNotFillWholeTargetRows() {
        // 45 chroma rows of 104 bytes fill 22.5 rows of the 208-byte-wide target: V starts mid-row
        assertMatchesReference(208, 90, ComposeSettings.DEFAULT, null);
    }

    @Test
    void primariesHaveTheirBt601LimitedRangeValues() {
        // {b, g, r} -> {Y, U, V}, the textbook BT.601 studio-swing values
        int[][][] cases = {
            {{255, 255, 255}, {235, 128, 128}},
            {{0, 0, 0}, {16, 128, 128}},
            {{0, 0, 255}, {81, 90, 240}},
            {{0, 255, 0}, {145, 54, 34}},
            {{255, 0, 0}, {41, 240, 110}},
        };
        int w = 16;
        int h = 8;
        for (int[][] c : cases) {
            Frame in = Frame.solid(w, h, c[0][0], c[0][1], c[0][2]);
            ByteBuffer i420 = ByteBuffer.allocateDirect(Compositor.yuv420Bytes(w, h));
            try (Compositor compositor = new GlCompositor(new FrameGeometry(w, h, 4, 4), ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), SHADERS)) {
                compositor.render(in.data, in.stride, Frame.mask(4, 4, (x, y) -> 1f));
                compositor.readBackYuv420(i420);
            }
            int[] yuv = {i420.get(0) & 0xFF, i420.get(w * h) & 0xFF, i420.get(w * h + w * h / 4) & 0xFF};
            for (int p = 0; p < 3; p++) {
                assertEquals(c[1][p], yuv[p], 1, "plane " + p + " of bgr " + java.util.Arrays.toString(c[0]));
            }
        }
    }

    @Test
    void unsupportedSizesAndShortBuffersAreRefused() {
        assertTrue(Compositor.yuv420Supported(1280, 720));
        assertFalse(Compositor.yuv420Supported(1366, 768));
        assertFalse(Compositor.yuv420Supported(640, 361));
        try (Compositor c = new GlCompositor(new FrameGeometry(36, 20, 4, 4), ComposeSettings.DEFAULT, SHADERS)) {
            assertThrows(IllegalStateException.class, () -> c.readBackYuv420(ByteBuffer.allocateDirect(36 * 30)));
        }
        try (Compositor c = new GlCompositor(new FrameGeometry(32, 20, 4, 4), ComposeSettings.DEFAULT, SHADERS)) {
            assertThrows(IllegalArgumentException.class, () -> c.readBackYuv420(ByteBuffer.allocateDirect(32 * 30 - 1)));
            assertThrows(IllegalArgumentException.class, () -> c.readBackYuv420(ByteBuffer.allocate(32 * 30)));
        }
    }
}
