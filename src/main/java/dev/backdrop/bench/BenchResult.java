package dev.backdrop.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark run: the FFmpeg limit and Backdrop measured on the same clip in the same run.
 *
 * @param limitFps      the ffmpeg program decoding and re-encoding the clip, same x264 settings, no filter
 * @param javacvFps     the same through JavaCV with Backdrop's BGR round trip, still no filter
 * @param backdropFps   {@code backdrop process} end to end
 * @param startupSeconds the Backdrop run's start-up: from its start to the first frame written
 * @param fpsAfterStartup the Backdrop run's rate from the first frame written to the end
 * @param stages        per stage: mean, p50, p99 milliseconds per frame
 * @param cpuSeconds    CPU seconds per thread group during the Backdrop run
 * @param peers         with --peers: MediaPipe in headless Chromium on the same clip (else empty)
 */
public record BenchResult(String clip, String size, int frames, String model, String renderer,
                          double limitFps, double javacvFps, double backdropFps,
                          double startupSeconds, double fpsAfterStartup,
                          Map<String, double[]> stages, Map<String, Double> cpuSeconds,
                          long peakRssBytes, long finalRssBytes, long heapUsedBytes, String date, int cores,
                          List<PeerResult> peers) {

    public double ratioToLimit() {
        return backdropFps / limitFps;
    }

    public BenchResult withPeers(List<PeerResult> measured) {
        return new BenchResult(clip, size, frames, model, renderer, limitFps, javacvFps, backdropFps, startupSeconds,
                fpsAfterStartup, stages, cpuSeconds, peakRssBytes, finalRssBytes, heapUsedBytes, date, cores, measured);
    }
}
