package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Background;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Light wrap through the whole compositor: it changes only a band along the person's edge, inside
 * them, towards the new background's colour, and nothing when the background is blurred. (The
 * maths against a Java reference: RefinementPassTest.tiledBlendMatchesReference.)
 */
class LightWrapTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");
    private static final int W = 240;
    private static final int H = 160;
    private static final int MASK_W = 48;
    private static final int MASK_H = 32;
    /** The person: a disc of this radius in frame pixels (10 mask texels) around the centre. */
    private static final double RADIUS = 50;

    private static Frame composite(ComposeSettings settings) {
        Frame in = Frame.solid(W, H, 128, 128, 128);
        FloatBuffer mask = Frame.mask(MASK_W, MASK_H,
                (x, y) -> Math.hypot(x + 0.5 - MASK_W / 2.0, y + 0.5 - MASK_H / 2.0) < RADIUS * MASK_W / W ? 1f : 0f);
        Frame out = new Frame(W, H);
        try (Compositor c = new GlCompositor(new FrameGeometry(W, H, MASK_W, MASK_H), settings, SHADERS)) {
            c.composite(in.data, in.stride, mask, out.data);
        }
        return out;
    }

    @Test
    void wrapChangesOnlyABandInsideTheEdgeTowardsTheBackground() {
        ComposeSettings red = ComposeSettings.DEFAULT.with(Background.DEFAULT.withSolidColour(0xFF0000));
        Frame plain = composite(red);
        Frame wrapped = composite(red.with(red.background().withLightWrap(0.8f)));
        // The band: the wrap reaches WRAP_RADIUS pixels past where the mask starts to fall. Mask
        // texels are 5 pixels: the disc drawn in texels strays up to one from the true circle, and
        // the mask's ramp (bilinear, inward feather) spans about one more on either side.
        double texel = (double) W / MASK_W;
        double inner = RADIUS - BlendPass.WRAP_RADIUS - 3 * texel;
        double outer = RADIUS + 2 * texel;
        int changed = 0;
        int deepChanged = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double r = Math.hypot(x + 0.5 - W / 2.0, y + 0.5 - H / 2.0);
                int dr = wrapped.get(x, y, 2) - plain.get(x, y, 2);
                int dg = wrapped.get(x, y, 1) - plain.get(x, y, 1);
                int db = wrapped.get(x, y, 0) - plain.get(x, y, 0);
                if (dr == 0 && dg == 0 && db == 0) {
                    continue;
                }
                changed++;
                String at = "(" + x + "," + y + ") at radius " + String.format("%.1f", r) + ": " + dr + "," + dg + "," + db;
                assertTrue(r >= inner && r <= outer, "changed outside the edge band " + at);
                assertTrue(dr >= 0 && dg <= 0 && db <= 0, "not towards the red background " + at);
                if (r < RADIUS - 4 && dr >= 10) {
                    deepChanged++;
                }
            }
        }
        assertTrue(changed > 100, "the wrap changed only " + changed + " pixels");
        assertTrue(deepChanged > 20, "only " + deepChanged + " pixels inside the person took some red");
    }

    @Test
    void aBlurredBackgroundIsNotWrapped() {
        ComposeSettings blur = ComposeSettings.DEFAULT;
        Frame plain = composite(blur);
        Frame wrapped = composite(blur.with(blur.background().withLightWrap(1f)));
        for (int i = 0; i < plain.data.capacity(); i++) {
            assertEquals(plain.data.get(i), wrapped.data.get(i), "byte " + i);
        }
    }
}
