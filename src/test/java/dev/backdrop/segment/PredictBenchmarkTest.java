package dev.backdrop.segment;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Mean predict() time per model, frame size and thread count; opt-in:
 * mvn -o test -Dtest=PredictBenchmarkTest -Dbackdrop.bench=true
 */
class PredictBenchmarkTest {
    @Test
    void predict() {
        Assumptions.assumeTrue(Boolean.getBoolean("backdrop.bench"), "benchmark runs only with -Dbackdrop.bench=true");
        int runs = Integer.getInteger("backdrop.bench.runs", 30);
        for (String name : new String[] {"selfie", "rvm"}) {
            for (double ratio : name.equals("rvm") ? new double[] {0, 0.25} : new double[] {0}) {
                for (int threads : new int[] {1, 0}) {
                    ModelOptions options = new ModelOptions(threads, threads, null, ratio);
                    try (SegmentationModel model = SegmentationModel.load(name, Path.of("models"), options)) {
                        for (int[] size : new int[][] {{640, 360}, {1280, 720}}) {
                            bench(model, size[0], size[1], runs, ratio);
                        }
                    }
                }
            }
        }
    }

    private static void bench(SegmentationModel model, int w, int h, int runs, double ratio) {
        ByteBuffer bgr = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < bgr.capacity(); i++) {
            bgr.put(i, (byte) (i * 31));
        }
        FloatBuffer mask = ByteBuffer.allocateDirect(model.maskWidth(w, h) * model.maskHeight(w, h) * 4)
                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 5; i++) {
            model.predict(bgr, w, h, w * 3, mask);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            model.predict(bgr, w, h, w * 3, mask);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / runs;
        System.out.printf("BENCH %s %dx%d%s: %.2f ms per predict (%d runs, %d cores)%n", model.description(), w, h,
                ratio == 0 && model.recurrent() ? " (ratio " + SegmentationModel.autoDownsampleRatio(w, h) + ")" : "",
                ms, runs, Runtime.getRuntime().availableProcessors());
    }
}
