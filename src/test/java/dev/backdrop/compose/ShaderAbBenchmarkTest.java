package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Shader A/B timing on a shared machine: {@code -Dbackdrop.bench.ab=DIR[,DIR...]} times the
 * compositor with shaders/ and with each DIR in turn, batch after batch, so all see the same load.
 * Prints each variant's best and median batch (wall ms per frame) and its median as a ratio to shaders/.
 * {@code -Dbackdrop.bench.image=true} replaces the background instead of blurring it.
 */
class ShaderAbBenchmarkTest {
    private static final int ROUNDS = 24;
    private static final int WARM_UP_ROUNDS = 2;
    private static final int FRAMES = 10;

    @Test
    void alternate() {
        String others = System.getProperty("backdrop.bench.ab", "");
        assumeTrue(!others.isEmpty(), "runs only with -Dbackdrop.bench.ab=SHADER_DIR[,SHADER_DIR...]");
        String[] size = System.getProperty("backdrop.bench.sizes", "1280x720").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        String[] maskSize = System.getProperty("backdrop.bench.mask", "256x144").split("x");
        int maskWidth = Integer.parseInt(maskSize[0]);
        int maskHeight = Integer.parseInt(maskSize[1]);
        Frame in = Frame.noise(width, height, 7);
        Frame out = new Frame(width, height);
        FloatBuffer mask = Frame.personMask(maskWidth, maskHeight);
        BackgroundFile image = Boolean.getBoolean("backdrop.bench.image")
                ? new BackgroundFile.Image(new BackgroundImage(1920, 1080, java.nio.ByteBuffer.allocateDirect(1920 * 1080 * 3)))
                : null;
        String[] dirs = ("shaders," + others).split(",");
        Compositor[] all = new Compositor[dirs.length];
        try (HeadlessGl gl = HeadlessGl.create()) {
            try {
                for (int v = 0; v < dirs.length; v++) {
                    all[v] = Compositor.builder(new FrameGeometry(width, height, maskWidth, maskHeight)).shaders(Path.of(dirs[v]))
                            .background(image).build();
                }
                double[][] ms = new double[dirs.length][ROUNDS - WARM_UP_ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int k = 0; k < dirs.length; k++) {
                        int v = (k + round) % dirs.length; // rotate who goes first
                        long start = System.nanoTime();
                        for (int i = 0; i < FRAMES; i++) {
                            all[v].composite(in.data, in.stride, mask, out.data);
                        }
                        if (round >= WARM_UP_ROUNDS) {
                            ms[v][round - WARM_UP_ROUNDS] = (System.nanoTime() - start) / 1e6 / FRAMES;
                        }
                    }
                }
                double baseline = median(ms[0]);
                for (int v = 0; v < dirs.length; v++) {
                    System.out.printf("AB %dx%d %s: best %.2f ms, median %.2f ms, median / shaders %.2f%n", width, height,
                            dirs[v], Arrays.stream(ms[v]).min().orElseThrow(), median(ms[v]), median(ms[v]) / baseline);
                }
            } finally {
                for (Compositor c : all) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
