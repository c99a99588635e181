package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Background;
import dev.backdrop.config.Temporal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Transparent output: the frame's colours with the refined mask as alpha. */
class TransparentOutputTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");


    @Test
    void alphaIsTheMaskAndColourIsTheFrame() {
        int w = 96;
        int h = 64;
        Frame in = Frame.noise(w, h, 9);
        ComposeSettings settings = ComposeSettings.DEFAULT.with(new Temporal(1f, 0.08f)).with(Background.DEFAULT.withColour(Background.TRANSPARENT));
        int stride = (w * 4 + 7) & ~7;
        ByteBuffer out = ByteBuffer.allocateDirect(stride * h);
        try (Compositor c = new GlCompositor(new FrameGeometry(w, h, 16, 16), settings, SHADERS)) {
            // Person on the left half of the mask, background on the right.
            c.render(in.data, in.stride, Frame.mask(16, 16, (x, y) -> x < 8 ? 1f : 0f));
            c.readBackBgra(out);
        }
        for (int[] p : new int[][] {{5, 5}, {20, 40}, {30, 60}}) { // well inside the person
            int i = p[1] * stride + p[0] * 4;
            assertEquals(255, out.get(i + 3) & 0xFF, "alpha at " + p[0] + "," + p[1]);
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(in.get(p[0], p[1], ch), out.get(i + ch) & 0xFF, 1, "colour at " + p[0] + "," + p[1]);
            }
        }
        for (int[] p : new int[][] {{60, 5}, {90, 60}, {75, 30}}) { // well inside the background
            int i = p[1] * stride + p[0] * 4;
            assertEquals(0, out.get(i + 3) & 0xFF, "alpha at " + p[0] + "," + p[1]);
            for (int ch = 0; ch < 3; ch++) { // straight alpha: the frame's colour is kept
                assertEquals(in.get(p[0], p[1], ch), out.get(i + ch) & 0xFF, 1, "colour at " + p[0] + "," + p[1]);
            }
        }
    }

    @Test
    void transparentExcludesABackground() {
        assertThrows(IllegalArgumentException.class,
                () -> Background.DEFAULT.withFile("beach.png", Background.Fit.COVER).withColour(Background.TRANSPARENT));
    }
}
