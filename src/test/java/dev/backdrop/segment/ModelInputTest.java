package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/** [0,1] RGB interleaved -> the range, colour order and layout a model.yaml declares. */
class ModelInputTest {
    static final Path FILE = Path.of("my", "model.yaml");
    // A 2x1 input: a red pixel, then a blue one.
    static final float[] RGB = {1, 0, 0, 0, 0, 1};

    @BeforeAll
    static void natives() {
        TensorFlowNatives.load();
    }

    @Test
    void zeroToOneRgbInterleavedGoesInAsItIs() {
        assertArrayEquals(RGB, commit(""), 0f);
    }

    @Test
    void rangeColoursAndLayoutAreConverted() {
        // BGR planes in [-1, 1]: blue (-1, 1), green (-1, -1), red (1, -1).
        assertArrayEquals(new float[] {-1, 1, -1, -1, 1, -1},
                commit("input: {layout: nchw, range: [-1, 1], colors: bgr}\n"), 0f);
    }

    @Test
    void untouchedValuesKeepTheirMeaningFromCommitToCommit() {
        // Letterbox bars are written once, as black; converting in place would shift them on every frame.
        ModelDescriptor d = ModelDescriptor.parse("input: {range: [-1, 1]}\n", FILE);
        try (ModelInput in = new ModelInput(d, 2, 1)) {
            float[] first = read(in.commit());
            float[] second = read(in.commit());
            assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1}, first, 0f);
            assertArrayEquals(first, second, 0f);
        }
    }

    private static float[] commit(String yaml) {
        try (ModelInput in = new ModelInput(ModelDescriptor.parse(yaml, FILE), 2, 1)) {
            System.arraycopy(RGB, 0, in.rgb, 0, RGB.length);
            return read(in.commit());
        }
    }

    private static float[] read(TFloat32 t) {
        float[] out = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(out);
        return out;
    }
}
