package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            ran.add(rate.next(mask, this::predict));
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
            assertTrue(rate.next(mask, this::predict));
        }
        assertEquals(5, runs.size());
        assertArrayEquals(new float[] {5, 5, 5, 5}, values(mask));
    }

    @Test
    void aRestartOrANewMaskSizeRunsTheModel() {
        InferenceRate rate = new InferenceRate(4);
        assertTrue(rate.next(FloatBuffer.allocate(4), this::predict));
        assertFalse(rate.next(FloatBuffer.allocate(4), this::predict));
        rate.restart();
        assertTrue(rate.next(FloatBuffer.allocate(4), this::predict), "a new sequence starts with a prediction");
        assertTrue(rate.next(FloatBuffer.allocate(8), this::predict), "no mask of this size to carry");
        FloatBuffer carried = FloatBuffer.allocate(8);
        assertFalse(rate.next(carried, this::predict));
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3, 3, 3}, values(carried));
    }

    @Test
    void refusesLessThanOne() {
        assertThrows(IllegalArgumentException.class, () -> new InferenceRate(0));
    }
}
