package dev.backdrop.bench;

import dev.backdrop.config.Settings;
import dev.backdrop.ffmpeg.FfmpegProgram;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code backdrop bench --live}: the virtual-camera path as a user runs it. A clip played at its
 * own pace goes through {@code backdrop live} in a fresh JVM into YUYV frames on a FIFO (what the
 * v4l2 writer sends a loopback device, and like it a copy into the kernel that a reader takes),
 * watched from outside: start-up is the time from starting the command to the first whole frame
 * read, and CPU, drops, latency and memory are read after it. FFmpeg alone decoding the same clip
 * and writing the same frames to a FIFO is the limit, measured in the same run, twice: flat out, and
 * paced at the clip's rate ({@code -re}, as FFmpeg feeds a loopback device from a file). Paced, every
 * frame starts on cold caches after the threads slept, as Backdrop's do: on the 2-core machine of
 * BENCHMARKS.md FFmpeg spent about 15% more CPU per frame paced than flat out. A FIFO rather than
 * a file, because writing gigabytes into the page cache costs a varying amount of system time.
 */
public final class LiveBenchmark {

    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) frames in ([\\d.]+) s \\(([\\d.]+) fps\\), dropped (\\d+), latency p50 ([\\d.]+) ms p99 ([\\d.]+) ms");
    private static final Pattern FFMPEG_CPU = Pattern.compile("bench: utime=([\\d.]+)s stime=([\\d.]+)s");
    private static final long SAMPLE_NANOS = 200_000_000L;
    /** A paced limit run reads this many seconds of the clip at most (the counted window, if shorter). */
    private static final double PACED_LIMIT_SECONDS = 10;
    /** Start-up is the median of these short runs and the long one: a single start varies by a few tenths of a second. */
    private static final int STARTUP_RUNS = 4;

    private final Settings settings;
    private final Path workDir;
    private final List<String> settingsArguments;

    /** settingsArguments: the bench's own settings flags, passed on to the live command. */
    public LiveBenchmark(Settings settings, Path workDir, List<String> settingsArguments) {
        this.settings = settings;
        this.workDir = workDir;
        this.settingsArguments = settingsArguments;
    }

    /**
     * Runs the live command on clip for settle + seconds after its start-up; CPU is counted over the last
     * seconds (and, beside it, from the first frame out). record: also record it with x264.
     */
    public LiveBenchResult run(Path clip, int width, int height, double seconds, double settle, boolean record)
            throws IOException, InterruptedException {
        long frameBytes = 2L * width * height; // YUYV
        // The limit around the live run: once before, once between the start-ups and the run, once after;
        // the median, as one run of it varied by up to 1.6x within an hour on a shared machine.
        double pacedSeconds = Math.min(seconds, PACED_LIMIT_SECONDS);
        List<Double> limits = new ArrayList<>();
        List<Double> pacedLimits = new ArrayList<>();
        measureLimits(clip, frameBytes, record, pacedSeconds, limits, pacedLimits);

        List<Double> startups = new ArrayList<>();
        for (int i = 0; i < STARTUP_RUNS; i++) {
            startups.add(startupSeconds(clip, frameBytes));
        }
        measureLimits(clip, frameBytes, record, pacedSeconds, limits, pacedLimits);
        Started run = startLive(clip, "live", settle + seconds, record, frameBytes);
        Process live = run.live();
        FifoReader frames = run.frames();
        long pid = live.pid();
        startups.add(run.startupSeconds());
        Collections.sort(startups);
        double startup = startups.get(startups.size() / 2);
        ThreadCpu fromStart = new ThreadCpu(pid);
        fromStart.sample();
        ThreadCpu cpu = new ThreadCpu(pid);
        long settledAt = System.nanoTime() + (long) (settle * 1e9);
        boolean settled = false;
        long bytesAtFirst = frames.bytes();
        long bytesAtStart = bytesAtFirst;
        long rssAtStart = Memory.rss(pid);
        long bytesAtLastSample = bytesAtStart;
        long rssAtEnd = rssAtStart;
        long peakRss = Memory.peakRss(pid);
        while (live.isAlive()) {
            Thread.sleep(SAMPLE_NANOS / 1_000_000);
            if (!settled && System.nanoTime() >= settledAt) { // the counted window starts here
                cpu.sample();
                bytesAtStart = frames.bytes();
                settled = true;
            }
            long rss = Memory.rss(pid);
            long peak = Memory.peakRss(pid);
            long bytes = frames.bytes();
            fromStart.sample();
            if (settled) {
                cpu.sample();
            }
            if (rss > 0 && peak > 0) { // the process still ran at this sample: its figures belong together
                rssAtEnd = rss;
                peakRss = peak;
                bytesAtLastSample = bytes;
            }
        }
        String output = run.finish();
        measureLimits(clip, frameBytes, record, pacedSeconds, limits, pacedLimits);
        Matcher m = SUMMARY.matcher(output);
        if (!m.find()) {
            throw new IOException("backdrop live printed no summary: " + tail(output));
        }
        if (!settled) {
            throw new IOException("backdrop live ended within the " + settle + " s settle time: " + tail(output));
        }
        long counted = (bytesAtLastSample - bytesAtStart) / frameBytes;
        long countedFromStart = (bytesAtLastSample - bytesAtFirst) / frameBytes;
        Map<String, Double> byGroup = new LinkedHashMap<>();
        cpu.secondsByGroup().forEach((group, s) -> byGroup.put(group, 1000 * s / Math.max(1, counted)));
        return new LiveBenchResult(width + "x" + height, settings.segmentation().model(), record, median(limits),
                median(pacedLimits), Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)), Long.parseLong(m.group(4)),
                Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)), startup, settle,
                1000 * cpu.totalSeconds() / Math.max(1, counted),
                1000 * fromStart.totalSeconds() / Math.max(1, countedFromStart), byGroup, peakRss, rssAtStart,
                rssAtEnd, LocalDate.now().toString(), Runtime.getRuntime().availableProcessors());
    }

    /** The limit once flat out into flat and once paced (pacedSeconds of the clip) into paced. */
    private void measureLimits(Path clip, long frameBytes, boolean record, double pacedSeconds, List<Double> flat,
                               List<Double> paced) throws IOException, InterruptedException {
        flat.add(limitCpuMs(clip, frameBytes, record, 0));
        paced.add(limitCpuMs(clip, frameBytes, record, pacedSeconds));
    }

    private static double median(List<Double> three) {
        List<Double> sorted = new ArrayList<>(three);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** A short run in a fresh JVM: seconds from starting the command to the first whole frame out. */
    private double startupSeconds(Path clip, long frameBytes) throws IOException, InterruptedException {
        Started run = startLive(clip, "startup", 0.5, false, frameBytes);
        run.finish();
        return run.startupSeconds();
    }

    /** A live command started, its frames being read off the FIFO, its first whole frame already out. */
    private record Started(Process live, FifoReader frames, Path log, double startupSeconds) {
        /** Waits for the command to end; returns what it printed, or throws when it failed. */
        String finish() throws IOException, InterruptedException {
            int exit = live.waitFor();
            frames.close();
            String output = Files.readString(log);
            if (exit != 0) {
                throw new IOException("backdrop live failed (exit " + exit + "): " + tail(output));
            }
            return output;
        }
    }

    /** Starts `backdrop live` on clip into the FIFO name.yuv (log in name.log) and waits for its first frame. */
    private Started startLive(Path clip, String name, double seconds, boolean record, long frameBytes)
            throws IOException, InterruptedException {
        FifoReader frames = FifoReader.start(workDir.resolve(name + ".yuv"));
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("live", "--input", clip.toString(), "--v4l2", frames.path().toString(),
                "--seconds", Double.toString(seconds), "--report", "3600"));
        if (record) {
            command.addAll(List.of("--record", workDir.resolve(name + ".mkv").toString()));
        }
        command.addAll(settingsArguments);
        long start = System.nanoTime();
        Process live = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Started(live, frames, log, (frames.awaitBytes(frameBytes, live) - start) / 1e9);
    }

    /**
     * FFmpeg's CPU ms per frame decoding the clip into the same YUYV frames (and, with record, the same
     * x264 recording): what the live path cannot go below. pacedSeconds: 0 = flat out, the whole clip;
     * more = that many seconds of it read at its own rate, from the first frame (no initial burst).
     */
    private double limitCpuMs(Path clip, long frameBytes, boolean record, double pacedSeconds)
            throws IOException, InterruptedException {
        FifoReader raw = FifoReader.start(workDir.resolve("limit.yuv"));
        Path log = workDir.resolve("limit.log");
        List<String> args = new ArrayList<>(List.of("-loglevel", "info", "-nostats", "-benchmark"));
        if (pacedSeconds > 0) {
            args.addAll(List.of("-re", "-readrate_initial_burst", "0", "-t", Double.toString(pacedSeconds)));
        }
        args.addAll(List.of("-i", clip.toString(), "-map", "0:v", "-pix_fmt", "yuyv422", "-f", "rawvideo",
                raw.path().toString()));
        if (record) {
            args.addAll(List.of("-map", "0:v", "-c:v", "libx264", "-preset", settings.output().preset(),
                    "-crf", Integer.toString(settings.output().crf()), "-pix_fmt", "yuv420p",
                    workDir.resolve("limit.mkv").toString()));
        }
        Process p = FfmpegProgram.start(log, args.toArray(String[]::new));
        int exit = p.waitFor();
        raw.close();
        String output = Files.readString(log);
        Matcher m = FFMPEG_CPU.matcher(output);
        if (exit != 0 || !m.find()) {
            throw new IOException("ffmpeg (the limit run) failed: " + tail(output));
        }
        long frames = raw.bytes() / frameBytes;
        return 1000 * (Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))) / frames;
    }

    /** This JVM's own command line (java, its options, class path), ready for a subcommand. */
    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.backdrop.cli.Backdrop"));
        return command;
    }

    private static String tail(String output) {
        String s = output.strip();
        return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
    }
}
