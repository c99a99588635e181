package dev.backdrop.cli;

import dev.backdrop.bench.BenchReport;
import dev.backdrop.bench.BenchResult;
import dev.backdrop.bench.Benchmark;
import dev.backdrop.bench.InferenceTiming;
import dev.backdrop.bench.LiveBenchReport;
import dev.backdrop.bench.LiveBenchResult;
import dev.backdrop.bench.LiveBenchmark;
import dev.backdrop.bench.PeerBench;
import dev.backdrop.pipeline.StageFactory;
import dev.backdrop.segment.GraphStats;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import dev.backdrop.compose.HeadlessGl;
import dev.backdrop.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backdrop bench}: Backdrop's speed beside FFmpeg's own limit, measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure file-to-file speed against FFmpeg decode+encode of the same clip, per stage, CPU and memory.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--size", paramLabel = "SIZE", split = ",", defaultValue = "720p",
            description = "360p, 720p, 1080p or WxH; several separated by commas (default ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "Length of the generated clip;"
            + " with --live, how long to run after start-up (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--live", description = "Instead: the live virtual-camera path (a paced clip through `backdrop live`"
            + " in a fresh JVM to YUYV frames on a FIFO): CPU per frame, drops, latency, start-up and memory, beside"
            + " FFmpeg alone writing the same frames.")
    boolean live;

    @Option(names = "--settle", paramLabel = "S", defaultValue = "10", description = "With --live: how long the run"
            + " goes on after its first frame out before CPU is counted; the JIT compiles the hot loops in those"
            + " seconds (CPU from the first frame is reported beside it; default ${DEFAULT-VALUE}).")
    double settle;

    @Option(names = "--record", description = "With --live: also record with x264, in Backdrop and in the FFmpeg limit.")
    boolean record;

    @Option(names = "--source", paramLabel = "h264|mjpeg|yuyv", defaultValue = "h264",
            description = "With --live: the clip's coding; mjpeg and yuyv are what cameras deliver (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--input", paramLabel = "FILE", description = "Measure this clip instead of generating one (--size"
            + " is then ignored); with --live, the clip to loop and fit to each --size instead of the sample.")
    Path input;

    @Option(names = "--peers", description = "Also run MediaPipe's selfie segmentation (its WebGL build, and its Tasks"
            + " ImageSegmenter on the CPU) in headless Chromium on each clip (bench/peer; needs Node, Chromium and"
            + " npm ci there, else skipped).")
    boolean peers;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--inference", paramLabel = "MODELS", split = ",",
            description = "Instead: time only these models' inference (e.g. selfie,unet,rvm) on one thread, on a 640x360 frame.")
    List<String> inference;

    @Option(names = "--runs", defaultValue = "300", description = "With --inference: timed runs per model (default ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        Settings settings = options.resolve();
        if (inference != null) {
            inferenceTable(settings);
            return 0;
        }
        String renderer;
        try (HeadlessGl gl = HeadlessGl.create()) {
            renderer = gl.renderer();
        }
        Path work = Files.createTempDirectory("backdrop-bench");
        Benchmark bench = new Benchmark(settings, Backdrop.home(), work);
        if (live) {
            if (settle < 0 || seconds <= 0) {
                throw new IllegalArgumentException("bench --live needs --seconds above 0 and --settle of 0 or more,"
                        + " got " + seconds + " and " + settle);
            }
            liveTable(settings, bench, work, renderer);
            return 0;
        }
        List<BenchResult> results = new ArrayList<>();
        List<Path> clips = new ArrayList<>();
        if (input != null) {
            clips.add(input);
        } else {
            for (String size : sizes) {
                int[] wh = FrameSize.parse(size, "--size");
                clips.add(bench.makeClip(wh[0], wh[1], seconds));
            }
        }
        PeerBench peerBench = peers ? new PeerBench(Backdrop.home(), work) : null;
        if (peerBench != null && peerBench.unavailable() != null) {
            System.out.println("peers skipped: " + peerBench.unavailable());
            peerBench = null;
        }
        for (Path clip : clips) {
            BenchResult r = bench.run(clip, renderer);
            if (peerBench != null) {
                try {
                    r = r.withPeers(peerBench.run(clip, r.size(), PeerBench.FRAMES, "all"));
                } catch (IOException e) {
                    System.out.println("peers failed at " + r.size() + ": " + e.getMessage());
                }
            }
            BenchReport.print(r, System.out);
            results.add(r);
        }
        if (json != null) {
            BenchReport.writeJson(results, json);
        }
        return 0;
    }

    private void liveTable(Settings settings, Benchmark bench, Path work, String renderer) throws Exception {
        LiveBenchmark liveBench = new LiveBenchmark(settings, work, options.arguments());
        List<LiveBenchResult> results = new ArrayList<>();
        LiveBenchReport.header(settings.segmentation().model(), source, record, renderer, System.out);
        for (String size : sizes) {
            int[] wh = FrameSize.parse(size, "--size");
            // long enough for start-up and the timed run, at 30 fps like a camera
            Path from = input != null ? input : Backdrop.home().resolve("samples/astronaut.mp4");
            Path clip = bench.asCameraDelivers(bench.makeClip(from, wh[0], wh[1], settle + seconds + 8, false), source);
            LiveBenchResult r = liveBench.run(clip, wh[0], wh[1], seconds, settle, record);
            LiveBenchReport.print(r, System.out);
            results.add(r);
            Files.deleteIfExists(clip);
        }
        if (json != null) {
            BenchReport.writeJson(results, json);
        }
    }

    private void inferenceTable(Settings settings) {
        System.out.printf("%-12s %-9s %11s %8s %9s %9s   (one TensorFlow thread, 640x360 frame, %d runs, %d cores)%n",
                "model", "input", "parameters", "MFLOPs", "mean ms", "median ms", runs,
                Runtime.getRuntime().availableProcessors());
        ModelOptions one = StageFactory.modelOptions(settings).toBuilder().threads(1, 1).build();
        for (String name : inference) {
            try (SegmentationModel model = SegmentationModel.load(name, Backdrop.home().resolve("models"), one)) {
                InferenceTiming.Result t = InferenceTiming.measure(model, 640, 360, runs);
                GraphStats size = model.stats();
                System.out.printf("%-12s %-9s %11d %8s %9.2f %9.2f%n", name, model.inputSize(), size.parameters(),
                        size.flops() < 0 ? "?" : String.format("%.1f", size.flops() / 1e6), t.meanMs(), t.medianMs());
            }
        }
    }
}
