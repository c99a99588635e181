package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.config.Background;
import dev.backdrop.config.Blur;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Edge;
import dev.backdrop.config.Guide;
import dev.backdrop.config.Temporal;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Settings changed while frames flow: the compositor swaps its background layer or a pass, and draws what a new one would. */
class CompositorUpdateTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");
    /** No smoothing over time, so a frame's picture does not depend on the frames before it. */
    private static final ComposeSettings START = ComposeSettings.DEFAULT.with(Temporal.OFF);

    private static Frame render(Compositor c, Frame in, FloatBuffer mask) {
        Frame out = new Frame(in.width, in.height);
        c.composite(in.data, in.stride, mask, out.data);
        mask.rewind();
        return out;
    }

    private static Frame fresh(ComposeSettings settings, Frame in, FloatBuffer mask) {
        try (Compositor c = new GlCompositor(new FrameGeometry(in.width, in.height, 16, 12), settings, SHADERS)) {
            return render(c, in, mask);
        }
    }

    @Test
    void anUpdatedCompositorDrawsWhatANewOneDraws() {
        Frame in = Frame.noise(160, 120, 4);
        FloatBuffer mask = Frame.personMask(16, 12);
        ComposeSettings[] steps = {
            START.with(Background.DEFAULT.withSolidColour(0x2040C0).withLightWrap(0.5f)),
            START.with(new Blur(30f, 0.25f)),
            START.with(new Guide(3, 0.01f)).with(new Edge(0.2f, 0.9f, 4f, Edge.FeatherDirection.CENTRED)),
            START.with(new Blur(0f, 0.25f)),
            START.with(Background.DEFAULT.withColour(Background.TRANSPARENT)),
            START,
        };
        try (Compositor c = new GlCompositor(new FrameGeometry(160, 120, 16, 12), START, SHADERS)) {
            render(c, in, mask);
            for (ComposeSettings next : steps) {
                c.update(next, null);
                assertEquals(next, c.settings());
                Frame updated = render(c, in, mask);
                Frame expected = fresh(next, in, mask);
                assertEquals(0, expected.maxDifference(updated), "after updating to " + next);
            }
        }
    }

    @Test
    void aBlurChangeKeepsAReplacedBackground() {
        Frame in = Frame.noise(160, 120, 5);
        FloatBuffer mask = Frame.mask(16, 12, (x, y) -> 0f); // all background
        ComposeSettings green = START.with(Background.DEFAULT.withSolidColour(0x00FF00));
        try (Compositor c = new GlCompositor(new FrameGeometry(160, 120, 16, 12), green, SHADERS)) {
            Frame before = render(c, in, mask);
            c.update(green.with(green.blur().withSigma(40f)), null);
            Frame after = render(c, in, mask);
            assertEquals(0, before.maxDifference(after));
            assertEquals(255, after.get(80, 60, 1));
            assertEquals(0, after.get(80, 60, 0));
        }
    }

    @Test
    void aFailedUpdateLeavesTheCompositorAsItWas() {
        Frame in = Frame.noise(160, 120, 6);
        FloatBuffer mask = Frame.personMask(16, 12);
        try (Compositor c = new GlCompositor(new FrameGeometry(160, 120, 16, 12), START, SHADERS)) {
            Frame before = render(c, in, mask);
            ComposeSettings missing = START.with(Background.DEFAULT.withFile("no/such/background.png", Background.Fit.COVER));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> c.update(missing, null));
            assertTrue(e.getMessage().contains("background.png"), e.getMessage());
            assertEquals(START, c.settings());
            assertEquals(0, before.maxDifference(render(c, in, mask)));
        }
    }
}
