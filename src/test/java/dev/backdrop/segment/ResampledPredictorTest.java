package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Resampling a mask to another grid over the same frame: values and positions carry over. */
class ResampledPredictorTest {

    @Test
    void aSameSizeGridIsCopiedAndARampStaysARamp() {
        FloatBuffer ramp = FloatBuffer.allocate(320 * 180);
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 320; x++) {
                ramp.put(y * 320 + x, (x + 0.5f) / 320);
            }
        }
        FloatBuffer same = FloatBuffer.allocate(320 * 180);
        ResampledPredictor.resample(ramp, 320, 180, same, 320, 180);
        assertEquals(0, same.compareTo(ramp), "the same grid is an exact copy");

        FloatBuffer square = FloatBuffer.allocate(256 * 256);
        ResampledPredictor.resample(ramp, 320, 180, square, 256, 256);
        for (int x = 8; x < 248; x += 16) { // away from the clamped edges: the value at a point is its x position
            assertEquals((x + 0.5f) / 256, square.get(100 * 256 + x), 1e-4, "x " + x);
        }
    }

    @Test
    void aPersonKeepsItsPlaceAndArea() {
        FloatBuffer mask = FloatBuffer.allocate(320 * 180);
        for (int y = 45; y < 135; y++) {
            for (int x = 120; x < 200; x++) { // a box over the middle quarter of the frame's width
                mask.put(y * 320 + x, 1);
            }
        }
        FloatBuffer square = FloatBuffer.allocate(256 * 256);
        ResampledPredictor.resample(mask, 320, 180, square, 256, 256);
        double area = 0;
        for (int i = 0; i < square.capacity(); i++) {
            area += square.get(i);
        }
        assertEquals(80.0 * 90 / (320 * 180), area / (256 * 256), 0.005, "share of the frame");
        assertEquals(1, square.get(128 * 256 + 128), 1e-6, "the middle is the person");
        assertEquals(0, square.get(10 * 256 + 10), 1e-6, "the corner is not");
    }
}
