package dev.backdrop.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Prints benchmark results as a table and writes them as JSON. */
public final class BenchReport {

    private BenchReport() {
    }

    public static void print(BenchResult r, PrintStream out) {
        out.printf("%s: %s, %d frames, model %s, %d cores, %s%n  GL: %s%n", r.date(), r.size(), r.frames(), r.model(),
                r.cores(), r.clip(), r.renderer());
        out.printf("  %-34s %8s %8s%n", "", "fps", "x limit");
        out.printf("  %-34s %8.1f %8.2f%n", "ffmpeg decode+encode (the limit)", r.limitFps(), 1.0);
        out.printf("  %-34s %8.1f %8.2f%n", "JavaCV decode+BGR+encode, no filter", r.javacvFps(), r.javacvFps() / r.limitFps());
        out.printf("  %-34s %8.1f %8.2f%n", "backdrop process", r.backdropFps(), r.ratioToLimit());
        out.printf("  %-34s %8.1f %8.2f%n", String.format("  after its %.2f s start-up", r.startupSeconds()),
                r.fpsAfterStartup(), r.fpsAfterStartup() / r.limitFps());
        out.printf("  %-12s %8s %8s %8s   (ms per frame, Backdrop run)%n", "stage", "mean", "p50", "p99");
        for (Map.Entry<String, double[]> e : r.stages().entrySet()) {
            double[] v = e.getValue();
            out.printf("  %-12s %8.2f %8.1f %8.1f%n", e.getKey(), v[0], v[1], v[2]);
        }
        double total = r.cpuSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf("  CPU during the Backdrop run: %.1f s%n", total);
        r.cpuSeconds().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.printf("    %-32s %6.1f s %5.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / total));
        out.printf("  memory: peak RSS %d MB, final RSS %d MB, heap in use %d MB%n",
                r.peakRssBytes() >> 20, r.finalRssBytes() >> 20, r.heapUsedBytes() >> 20);
        if (!r.peers().isEmpty()) {
            // Peers time segmentation and compositing of decoded frames after their start-up: beside them,
            // Backdrop's rate after its start-up (which still includes decoding and encoding).
            out.printf("  %-44s %8s %14s %9s%n", "peer (headless Chromium, " + r.peers().get(0).frames() + " frames)",
                    "fps", "backdrop/peer", "start-up");
            for (PeerResult p : r.peers()) {
                out.printf("  %-44s %8.1f %14.2f %7.2f s%n", p.label(), p.fps(), r.fpsAfterStartup() / p.fps(),
                        p.startupMs() / 1000);
            }
        }
    }

    public static void writeJson(List<?> results, Path file) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(results));
    }
}
