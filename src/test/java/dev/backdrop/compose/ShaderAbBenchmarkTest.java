package dev.backdrop.compose;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Shader A/B timing on a shared machine: {@code -Dbackdrop.bench.ab=DIR} times the compositor with
 * shaders/ and with DIR in alternating batches, so both see the same load. Prints best batch wall ms.
 */
class ShaderAbBenchmarkTest {
    @Test
    void alternate() {
        String other = System.getProperty("backdrop.bench.ab", "");
        assumeTrue(!other.isEmpty(), "runs only with -Dbackdrop.bench.ab=SHADER_DIR");
        String[] size = System.getProperty("backdrop.bench.sizes", "1280x720").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        String[] maskSize = System.getProperty("backdrop.bench.mask", "256x144").split("x");
        int maskWidth = Integer.parseInt(maskSize[0]);
        int maskHeight = Integer.parseInt(maskSize[1]);
        Frame in = Frame.noise(width, height, 7);
        Frame out = new Frame(width, height);
        FloatBuffer mask = Frame.mask(maskWidth, maskHeight, (x, y) -> x < maskWidth / 2 ? 1f : 0f);
        ComposeSettings settings = Boolean.getBoolean("backdrop.bench.image")
                ? new ComposeSettings(12f, 0.25f, new BackgroundImage(1920, 1080, java.nio.ByteBuffer.allocateDirect(1920 * 1080 * 3)))
                : ComposeSettings.defaults();
        try (HeadlessGl gl = HeadlessGl.create();
             Compositor a = new Compositor(width, height, maskWidth, maskHeight, settings, Path.of("shaders"));
             Compositor b = new Compositor(width, height, maskWidth, maskHeight, settings, Path.of(other))) {
            Compositor[] both = {a, b};
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int round = 0; round < 24; round++) {
                for (int k = 0; k < 2; k++) {
                    Compositor c = both[(k + round) & 1];
                    long start = System.nanoTime();
                    for (int i = 0; i < 10; i++) {
                        c.composite(in.data, in.stride, mask, out.data);
                    }
                    double ms = (System.nanoTime() - start) / 1e6 / 10;
                    if (round >= 2) {
                        int which = c == a ? 0 : 1;
                        best[which] = Math.min(best[which], ms);
                    }
                }
            }
            System.out.printf("AB %dx%d: shaders %.2f ms, %s %.2f ms%n", width, height, best[0], other, best[1]);
        }
    }
}
