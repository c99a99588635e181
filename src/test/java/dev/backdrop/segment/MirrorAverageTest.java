package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Mirror averaging: the mask of a mirrored photo is exactly the mirrored mask of the photo. */
class MirrorAverageTest {
    private static final int SIZE = 256; // selfie's input: no resampling between the two

    @Test
    void aMirroredPhotoGetsTheMirroredMask() throws IOException {
        Path photo = AstronautPlausibilityTest.ASTRONAUT;
        Assumptions.assumeTrue(Files.exists(photo), "needs " + photo + " (the shared test data)");
        BufferedImage img = ImageIO.read(photo.toFile());
        ByteBuffer plain = bgr(img, false);
        ByteBuffer mirrored = bgr(img, true);
        ModelOptions.Builder options = ModelOptions.builder().threads(1, 1);
        double plainAsymmetry = asymmetry(options.build(), plain, mirrored);
        double averagedAsymmetry = asymmetry(options.averaging(Averaging.MIRROR).build(), plain, mirrored);
        System.out.printf("largest |mask(x) - mask(mirrored)(w-1-x)|: one run %.4f, mirror averaged %.6f%n",
                plainAsymmetry, averagedAsymmetry);
        assertTrue(plainAsymmetry > 0.01, "one run should not be mirror-symmetric by itself: " + plainAsymmetry);
        assertEquals(0, averagedAsymmetry, 1e-4, "averaging with the mirrored run makes the mask symmetric");
    }

    private static double asymmetry(ModelOptions options, ByteBuffer plain, ByteBuffer mirrored) {
        try (SegmentationModel model = SegmentationModel.load("selfie", Path.of("models"), options)) {
            FloatBuffer a = FloatBuffer.allocate(SIZE * SIZE);
            FloatBuffer b = FloatBuffer.allocate(SIZE * SIZE);
            model.predict(plain, SIZE, SIZE, SIZE * 3, a);
            model.predict(mirrored, SIZE, SIZE, SIZE * 3, b);
            double worst = 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    worst = Math.max(worst, Math.abs(a.get(y * SIZE + x) - b.get(y * SIZE + SIZE - 1 - x)));
                }
            }
            return worst;
        }
    }

    /** The photo's every other pixel (512 -> 256), BGR, optionally mirrored left to right. */
    private static ByteBuffer bgr(BufferedImage img, boolean mirror) {
        ByteBuffer out = ByteBuffer.allocateDirect(SIZE * SIZE * 3);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int p = img.getRGB(2 * (mirror ? SIZE - 1 - x : x), 2 * y);
                int o = (y * SIZE + x) * 3;
                out.put(o, (byte) p).put(o + 1, (byte) (p >> 8)).put(o + 2, (byte) (p >> 16));
            }
        }
        return out;
    }
}
