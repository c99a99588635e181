package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;

import org.junit.jupiter.api.Test;

/** A 16:9 frame into a 256x256 input in each aspect mode, and the mask mapped back over the whole frame. */
class FrameFitTest {

    @Test
    void stretchUsesTheWholeInput() {
        FrameFit f = new FrameFit(640, 360, 256, 256, 0, AspectMode.STRETCH);
        assertEquals(256, f.scaledW);
        assertEquals(256, f.scaledH);
        assertEquals(256 * 256, f.maskW * f.maskH);
    }

    @Test
    void letterboxCentresTheScaledFrame() {
        FrameFit f = new FrameFit(640, 360, 256, 256, 0, AspectMode.LETTERBOX);
        assertEquals(256, f.scaledW);
        assertEquals(144, f.scaledH);
        assertEquals(0, f.offX);
        assertEquals(56, f.offY);
        assertEquals(256, f.maskW);
        assertEquals(144, f.maskH);
    }

    @Test
    void cropCutsTheCentreAndTheMaskCoversTheMargins() {
        FrameFit f = new FrameFit(640, 360, 256, 256, 0, AspectMode.CROP);
        assertEquals(455, f.scaledW);
        assertEquals(256, f.scaledH);
        assertEquals(99, f.offX);
        assertEquals(0, f.offY);
        assertEquals(455, f.maskW);
        assertEquals(256, f.maskH);
    }

    @Test
    void anySizeModelRunsAtTheFrameSize() {
        for (AspectMode mode : AspectMode.values()) {
            FrameFit f = new FrameFit(640, 360, 0, 0, 0, mode);
            assertEquals(640, f.inW);
            assertEquals(360, f.inH);
            assertEquals(640, f.maskW);
            assertEquals(360, f.maskH);
        }
    }

    @Test
    void letterboxPlacesRowsBetweenTheBarsAndReadsThemBack() {
        // 4x2 frame into a 4x4 input: scaled 4x2, one bar row above and below.
        FrameFit f = new FrameFit(4, 2, 4, 4, 0, AspectMode.LETTERBOX);
        assertEquals(1, f.offY);
        FloatBuffer scaled = FloatBuffer.allocate(4 * 2 * 3);
        for (int i = 0; i < scaled.capacity(); i++) {
            scaled.put(i, 1 + i);
        }
        float[] input = new float[4 * 4 * 3];
        f.placeInput(scaled, input);
        for (int i = 0; i < input.length; i++) {
            boolean bar = i < 12 || i >= 36;
            assertEquals(bar ? 0 : i - 11, input[i], 0f, "input[" + i + "]");
        }
        float[] atInput = new float[16];
        for (int i = 0; i < 16; i++) {
            atInput[i] = i;
        }
        FloatBuffer mask = FloatBuffer.allocate(f.maskW * f.maskH);
        f.placeMask(atInput, mask);
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, mask.array(), 0f);
    }

    @Test
    void cropMarginsAreBackground() {
        // 8x2 frame into a 2x2 input: scaled 8x2, the centre 2 columns at offset 3 are seen.
        FrameFit f = new FrameFit(8, 2, 2, 2, 0, AspectMode.CROP);
        assertEquals(3, f.offX);
        FloatBuffer mask = FloatBuffer.allocate(f.maskW * f.maskH);
        for (int i = 0; i < mask.capacity(); i++) {
            mask.put(i, -1);
        }
        f.placeMask(new float[] {1, 2, 3, 4}, mask);
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0}, mask.array(), 0f);
    }

    @Test
    void tooSmallMaskAndBadFrameAreRefused() {
        FrameFit f = new FrameFit(640, 360, 256, 256, 0, AspectMode.LETTERBOX);
        assertThrows(IllegalArgumentException.class, () -> f.requireMask(FloatBuffer.allocate(256 * 143)));
        f.requireMask(FloatBuffer.allocate(256 * 144));
        assertThrows(IllegalArgumentException.class, () -> new FrameFit(0, 360, 256, 256, 0, AspectMode.STRETCH));
    }

    @Test
    void anySizeModelsRunAtMostAtTheCapWithTheFramesAspect() {
        FrameFit big = new FrameFit(1920, 1080, 0, 0, 640, AspectMode.STRETCH);
        assertEquals(640, big.inW);
        assertEquals(360, big.inH);
        assertEquals(640, big.maskW, "the mask covers the whole frame at the input's size");
        assertEquals(360, big.maskH);
        FrameFit portrait = new FrameFit(720, 1280, 0, 0, 640, AspectMode.LETTERBOX);
        assertEquals(360, portrait.inW);
        assertEquals(640, portrait.inH);
        FrameFit small = new FrameFit(480, 270, 0, 0, 640, AspectMode.STRETCH);
        assertEquals(480, small.inW, "smaller frames are never enlarged");
        assertEquals(270, small.inH);
        FrameFit fixed = new FrameFit(1920, 1080, 256, 144, 640, AspectMode.STRETCH);
        assertEquals(256, fixed.inW, "a fixed input ignores the cap");
    }
}
