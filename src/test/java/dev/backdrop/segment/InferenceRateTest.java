package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceRateTest {

    /** A stand-in for the model: fills the mask with the number of its run, and counts the runs. */
    private final List<Integer> runs = new ArrayList<>();

    private void predict(FloatBuffer mask) {
        runs.add(runs.size());
        for (int i = 0; i < mask.capacity(); i++) {
            mask.put(i, runs.size());
        }
    }

    /** A 64x36 grey RGBA frame; the gate is off in these tests, so the picture does not matter. */
    private static final ByteBuffer FRAME = ByteBuffer.allocate(PixelLayout.RGBA.stride(64) * 36);

    private boolean next(InferenceRate rate, FloatBuffer mask) {
        return rate.next(mask, FRAME, PixelLayout.RGBA, 64, 36, PixelLayout.RGBA.stride(64), this::predict);
    }

    private static float[] values(FloatBuffer mask) {
        float[] v = new float[mask.capacity()];
        mask.get(0, v);
        return v;
    }

    @Test
    void everyThirdFrameRunsAndTheOthersGetItsMask() {
        InferenceRate rate = new InferenceRate(3);
        List<Boolean> ran = new ArrayList<>();
        List<Float> firstValue = new ArrayList<>();
        for (int frame = 0; frame < 7; frame++) {
            FloatBuffer mask = FloatBuffer.allocate(12); // a fresh buffer each frame, as each ring slot has its own
            ran.add(next(rate, mask));
            assertFalse(rate.lastStill(), "reuse by count alone knows nothing of the picture");
            float[] v = values(mask);
            for (float x : v) {
                assertEquals(v[0], x, "the whole mask is one run's");
            }
            firstValue.add(v[0]);
        }
        assertEquals(List.of(true, false, false, true, false, false, true), ran);
        assertEquals(3, runs.size());
        assertEquals(List.of(1f, 1f, 1f, 2f, 2f, 2f, 3f), firstValue);
    }

    @Test
    void everyFrameRunsWithOne() {
        InferenceRate rate = new InferenceRate(1);
        FloatBuffer mask = FloatBuffer.allocate(4);
        for (int frame = 0; frame < 5; frame++) {
            assertTrue(next(rate, mask));
        }
        assertEquals(5, runs.size());
        assertArrayEquals(new float[] {5, 5, 5, 5}, values(mask));
    }

    @Test
    void aRestartOrANewMaskSizeRunsTheModel() {
        InferenceRate rate = new InferenceRate(4);
        assertTrue(next(rate, FloatBuffer.allocate(4)));
        assertFalse(next(rate, FloatBuffer.allocate(4)));
        rate.restart();
        assertTrue(next(rate, FloatBuffer.allocate(4)), "a new sequence starts with a prediction");
        assertTrue(next(rate, FloatBuffer.allocate(8)), "no mask of this size to carry");
        FloatBuffer carried = FloatBuffer.allocate(8);
        assertFalse(next(rate, carried));
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3, 3, 3}, values(carried));
    }

    @Test
    void refusesLessThanOne() {
        assertThrows(IllegalArgumentException.class, () -> new InferenceRate(0));
    }

    @Test
    void withAGateOnlyStillFramesReuseTheMask() {
        InferenceRate rate = new InferenceRate(4, new MotionGate(2));
        int stride = PixelLayout.RGBA.stride(64);
        ByteBuffer grey = filled(stride, 100);
        ByteBuffer lighter = filled(stride, 103); // every cell 3 grey levels away: moved
        ByteBuffer almost = filled(stride, 101);  // 1 level from grey: still
        FloatBuffer mask = FloatBuffer.allocate(4);
        List<Boolean> ran = new ArrayList<>();
        List<Boolean> still = new ArrayList<>();
        for (ByteBuffer frame : List.of(grey, almost, grey, lighter, lighter, almost, lighter, lighter, lighter, lighter,
                lighter)) {
            ran.add(rate.next(mask, frame, PixelLayout.RGBA, 64, 36, stride, this::predict));
            still.add(rate.lastStill());
        }
        // the first frame; then still frames reuse, a moved one runs, and at most 4 frames share one mask
        assertEquals(List.of(true, false, false, true, false, true, true, false, false, false, true), ran);
        assertEquals(List.of(false, true, true, false, true, false, false, true, true, true, false), still,
                "the frames that reuse the mask are still since the frame it came from");
    }

    private static ByteBuffer filled(int stride, int value) {
        ByteBuffer b = ByteBuffer.allocate(stride * 36);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) value);
        }
        return b;
    }
}
