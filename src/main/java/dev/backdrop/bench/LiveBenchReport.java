package dev.backdrop.bench;

import java.io.PrintStream;
import java.util.Map;

/**
 * Prints {@code bench --live} results: a row per size, then each size's CPU by thread group. "backdrop"
 * is CPU ms per frame once the run has settled; "from 1st" from the first frame out, JIT included.
 * "ffmpeg ms" is FFmpeg's CPU ms per frame flat out, "paced ms" at the clip's rate; "x paced" and "x flat"
 * are Backdrop's CPU over each.
 */
public final class LiveBenchReport {

    private LiveBenchReport() {
    }

    public static void header(String model, String source, boolean record, String renderer, PrintStream out) {
        out.printf("live from %s to YUYV frames on a FIFO (the v4l2 path)%s, model %s, %d cores%n  GL: %s%n",
                source, record ? " and an x264 recording" : "", model, Runtime.getRuntime().availableProcessors(),
                renderer);
        out.printf("  %-10s %9s %9s %9s %7s %7s %9s %6s %7s %7s %8s %8s %8s%n", "size", "ffmpeg ms", "paced ms",
                "backdrop", "x paced", "x flat", "from 1st", "fps", "dropped", "p99 ms", "start s", "peak MB", "end MB");
    }

    public static void print(LiveBenchResult r, PrintStream out) {
        out.printf("  %-10s %9.2f %9.2f %9.2f %7.2f %7.2f %9.2f %6.1f %7d %7.1f %8.2f %8d %8d%n", r.size(),
                r.limitCpuMs(), r.pacedLimitCpuMs(), r.cpuMs(), r.ratioToPacedLimit(), r.ratioToLimit(), r.cpuMsFromStart(), r.fps(), r.dropped(), r.latencyP99(),
                r.startupSeconds(), r.peakRssBytes() >> 20, r.rssAtEndBytes() >> 20);
        StringBuilder groups = new StringBuilder(String.format("    CPU ms per frame after %.0f s:", r.settleSeconds()));
        r.cpuMsByGroup().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() >= 0.005).forEach(e -> groups.append(String.format(" %s %.2f;", e.getKey(), e.getValue())));
        out.println(groups.substring(0, groups.length() - 1));
    }
}
