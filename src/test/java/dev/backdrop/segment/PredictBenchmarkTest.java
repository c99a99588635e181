package dev.backdrop.segment;

import dev.backdrop.bench.InferenceTiming;
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
                    ModelOptions options = ModelOptions.builder().threads(threads, threads).downsampleRatio(ratio).build();
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
        InferenceTiming.Result t = InferenceTiming.measure(model, w, h, runs);
        System.out.printf("BENCH %s %dx%d%s: %.2f ms per predict (%d runs, %d cores)%n", model.description(), w, h,
                ratio == 0 && model.recurrent() ? " (ratio "
                        + SegmentationModel.autoDownsampleRatio(w, h, ModelOptions.DEFAULT_ENCODER_SIDE) + ")" : "",
                t.meanMs(), runs, Runtime.getRuntime().availableProcessors());
    }
}
