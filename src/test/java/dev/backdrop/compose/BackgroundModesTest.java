package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Background;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Solid colour, fit (letterbox) and stretch replacement. */
class BackgroundModesTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");


    private static Frame composite(Frame in, ComposeSettings settings) {
        return composite(in, settings, null);
    }

    /** image: the background, already decoded; null = as the settings say. */
    private static Frame composite(Frame in, ComposeSettings settings, BackgroundImage image) {
        Frame out = new Frame(in.width, in.height);
        try (Compositor c = Compositor.builder(new FrameGeometry(in.width, in.height, 8, 8)).settings(settings).shaders(SHADERS)
                .background(image == null ? null : new BackgroundFile.Image(image)).build()) {
            c.composite(in.data, in.stride, Frame.mask(8, 8, (x, y) -> 0f), out.data);
        }
        return out;
    }

    /** Left half of the image red, right half blue (BGR24 rows). */
    private static BackgroundImage halves(int w, int h) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                pixels.put(i, (byte) (x < w / 2 ? 0 : 255)).put(i + 2, (byte) (x < w / 2 ? 255 : 0));
            }
        }
        return new BackgroundImage(w, h, pixels);
    }

    private static void assertBgr(Frame f, int x, int y, int b, int g, int r) {
        String at = "(" + x + "," + y + ") = " + f.get(x, y, 0) + "," + f.get(x, y, 1) + "," + f.get(x, y, 2);
        assertEquals(b, f.get(x, y, 0), 2, at);
        assertEquals(g, f.get(x, y, 1), 2, at);
        assertEquals(r, f.get(x, y, 2), 2, at);
    }

    @Test
    void solidColourFillsTheBackground() {
        Frame out = composite(Frame.noise(100, 60, 1), ComposeSettings.DEFAULT.with(Background.DEFAULT.withSolidColour(0x20C040)));
        for (int[] p : new int[][] {{0, 0}, {99, 59}, {50, 30}}) {
            assertBgr(out, p[0], p[1], 0x40, 0xC0, 0x20);
        }
    }

    @Test
    void fitLetterboxesAWideImageWithTheBorderColour() {
        // 200x50 image into 100x100: scaled to 100x25, centred: rows 37.5..62.5 image, the rest border.
        ComposeSettings settings = ComposeSettings.DEFAULT.with(new Background("", Background.Fit.FIT, "#000080", 0f));
        Frame out = composite(Frame.noise(100, 100, 2), settings, halves(200, 50));
        assertBgr(out, 50, 5, 0x80, 0, 0);      // border above
        assertBgr(out, 50, 95, 0x80, 0, 0);     // border below
        assertBgr(out, 10, 50, 0, 0, 255);      // image, left half red
        assertBgr(out, 90, 50, 255, 0, 0);      // image, right half blue
    }

    @Test
    void stretchFillsTheFrameWithTheWholeImage() {
        ComposeSettings settings = ComposeSettings.DEFAULT.with(new Background("", Background.Fit.STRETCH, "", 0f));
        Frame out = composite(Frame.noise(100, 60, 3), settings, halves(40, 300));
        assertBgr(out, 5, 2, 0, 0, 255);
        assertBgr(out, 30, 57, 0, 0, 255);
        assertBgr(out, 70, 2, 255, 0, 0);
        assertBgr(out, 95, 57, 255, 0, 0);
    }
}
