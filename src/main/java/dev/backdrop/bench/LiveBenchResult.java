package dev.backdrop.bench;

import java.util.Map;

/**
 * One {@code bench --live} run at one size: FFmpeg alone and {@code backdrop live} on the same
 * paced clip, in the same run. CPU figures count from settleSeconds after the first frame out, once the
 * JIT has compiled the hot loops; cpuMsFromStart counts from the first frame out (start-up excluded).
 *
 * @param limitCpuMs      FFmpeg alone (the median of three runs around Backdrop's): CPU ms per frame decoding
 *                        the clip and writing the same raw frames (and the same recording, with --record)
 *                        flat out
 * @param pacedLimitCpuMs the same with FFmpeg reading the clip at its own rate, as Backdrop's live run does
 * @param frames          frames Backdrop wrote in its run; fps over the run after its start-up
 * @param startupSeconds  from starting a fresh JVM with the command to the first whole frame in the output
 *                        (the median of five starts)
 * @param settleSeconds   how long the run went on after its first frame out before CPU was counted
 * @param cpuMs           Backdrop's CPU ms per frame after the settle time, all threads
 * @param cpuMsFromStart  the same from the first frame out: with the JIT's compiling in those first seconds
 * @param cpuMsByGroup    the same split by thread group (inference, compose, encode, decode, JVM, other)
 * @param peakRssBytes    the live process's peak resident set; rssAtStart/EndBytes: at the first frame and at the end
 */
public record LiveBenchResult(String size, String model, boolean record, double limitCpuMs, double pacedLimitCpuMs,
                              long frames, double fps, long dropped, double latencyP50, double latencyP99,
                              double startupSeconds, double settleSeconds, double cpuMs, double cpuMsFromStart,
                              Map<String, Double> cpuMsByGroup,
                              long peakRssBytes, long rssAtStartBytes, long rssAtEndBytes, String date, int cores) {

    /** Backdrop's CPU per frame over FFmpeg's flat out. */
    public double ratioToLimit() {
        return cpuMs / limitCpuMs;
    }

    /** Backdrop's CPU per frame over FFmpeg's paced, both at the clip's rate: the figure to compare across runs and machines. */
    public double ratioToPacedLimit() {
        return cpuMs / pacedLimitCpuMs;
    }
}
