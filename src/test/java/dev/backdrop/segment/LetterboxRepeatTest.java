package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same frame twice gives the same mask with letterbox bars and an input range other than [0,1]: the bars
 * must stay black in the model's range, not drift as each frame's conversion is applied again.
 */
class LetterboxRepeatTest {
    static final Path SELFIE = Path.of("models", "selfie");

    @TempDir
    Path tmp;

    @Test
    void sameFrameSameMask() throws IOException {
        Files.copy(SELFIE.resolve("model.json"), tmp.resolve("model.json"));
        Files.copy(SELFIE.resolve("selfie.bin"), tmp.resolve("selfie.bin"));
        Files.writeString(tmp.resolve("model.yaml"), """
                input: {name: input_1, size: 256x256, range: [-1, 1]}
                output: {name: activation_10, kind: sigmoid}
                aspect: letterbox
                """);
        int w = 64;
        int h = 36;
        ByteBuffer frame = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < frame.capacity(); i++) {
            frame.put(i, (byte) (i * 37));
        }
        try (SegmentationModel m = SegmentationModel.load(tmp.toString(), null, ModelOptions.defaults())) {
            float[] first = predict(m, frame, w, h);
            float[] second = predict(m, frame, w, h);
            float[] third = predict(m, frame, w, h);
            assertArrayEquals(first, second, 0f);
            assertArrayEquals(first, third, 0f);
        }
    }

    private static float[] predict(SegmentationModel m, ByteBuffer frame, int w, int h) {
        FloatBuffer mask = FloatBuffer.allocate(m.maskWidth(w, h) * m.maskHeight(w, h));
        m.predict(frame, w, h, w * 3, mask);
        return mask.array();
    }
}
