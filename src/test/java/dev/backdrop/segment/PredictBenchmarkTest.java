package dev.backdrop.segment;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Mean predict() time on 640x360 BGR frames; opt-in: mvn -o test -Dtest=PredictBenchmarkTest -Dbackdrop.bench=true */
class PredictBenchmarkTest {
    @Test
    void predict640x360() {
        Assumptions.assumeTrue(Boolean.getBoolean("backdrop.bench"), "benchmark runs only with -Dbackdrop.bench=true");
        for (int threads : new int[] {1, 0}) {
            try (SegmentationModel model = SegmentationModel.load("selfie", Path.of("models"), new ModelOptions(threads, threads, null, 0))) {
                int w = 640;
                int h = 360;
                ByteBuffer bgr = ByteBuffer.allocateDirect(w * h * 3);
                for (int i = 0; i < bgr.capacity(); i++) {
                    bgr.put(i, (byte) (i * 31));
                }
                FloatBuffer mask = ByteBuffer.allocateDirect(model.maskWidth(w, h) * model.maskHeight(w, h) * 4)
                        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = 0; i < 20; i++) {
                    model.predict(bgr, w, h, w * 3, mask);
                }
                int runs = 100;
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    model.predict(bgr, w, h, w * 3, mask);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / runs;
                System.out.printf("BENCH %s: %.2f ms per predict (640x360, %d runs, %d cores)%n",
                        model.description(), ms, runs, Runtime.getRuntime().availableProcessors());
            }
        }
    }
}
