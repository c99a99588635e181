package dev.backdrop.cli;

import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Settings;
import dev.backdrop.pipeline.ProcessJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backdrop process IN OUT}: filters a video file into a new one. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Blur or replace the background of a video file and write the result (H.264).")
final class ProcessCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "Input video file (or lavfi:GRAPH).")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file, e.g. out.mp4 or out.mkv.")
    Path output;

    @Option(names = "--blur", paramLabel = "N", description = "Blur strength: Gaussian sigma in pixels, 0 = off (config compose.blur).")
    Double blur;

    @Option(names = "--background", paramLabel = "IMAGE", description = "Replace the background with this image (config compose.background).")
    String background;

    @Option(names = "--model", paramLabel = "NAME|PATH", description = "Segmentation model: bundled name or path (config segmentation.model).")
    String model;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: config/backdrop.yaml).")
    Path config;

    @Option(names = "--background-fit", paramLabel = "cover|fit|stretch", description = "How the background image fills the frame (config compose.background_fit).")
    String backgroundFit;

    @Option(names = "--background-colour", paramLabel = "#RRGGBB", description = "Replace the background with a solid colour (config compose.background_colour).")
    String backgroundColour;

    @Option(names = "--guide-sigma-space", paramLabel = "S", description = "Guided mask upsampling: spatial sigma in mask pixels (config compose.guide_sigma_space).")
    Double guideSigmaSpace;

    @Option(names = "--guide-sigma-colour", paramLabel = "S", description = "Guided mask upsampling: colour sigma, colours 0-1 (config compose.guide_sigma_colour).")
    Double guideSigmaColour;

    @Option(names = "--temporal-weight", paramLabel = "W", description = "Weight of the new mask where nothing moves; 1 = no temporal smoothing (config compose.temporal_weight).")
    Double temporalWeight;

    @Option(names = "--motion-threshold", paramLabel = "T", description = "Colour change (0-1) at which a pixel counts as moving (config compose.motion_threshold).")
    Double motionThreshold;

    @Option(names = "--edge-low", paramLabel = "L", description = "Soft threshold: mask values up to L become background (config compose.edge_low).")
    Double edgeLow;

    @Option(names = "--edge-high", paramLabel = "H", description = "Soft threshold: mask values from H become person (config compose.edge_high).")
    Double edgeHigh;

    @Option(names = "--feather", paramLabel = "PX", description = "Edge feather in pixels, 0 = crisp (config compose.feather).")
    Double feather;

    @Option(names = "--feather-direction", paramLabel = "inward|centred|outward", description = "Where the feathered edge goes (config compose.feather_direction).")
    String featherDirection;

    @Option(names = "--debug-mask", paramLabel = "OUT", description = "Also write the refined mask as a grey video to OUT.")
    Path debugMask;

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        ProcessJob job = new ProcessJob(input, output, settings, Backdrop.home());
        if (debugMask != null) {
            job.writeMaskTo(debugMask);
        }
        ProgressLine progress = new ProgressLine(System.console() != null);
        // Ctrl-C: stop reading, finish writing what was read, finalise the file.
        Thread hook = new Thread(() -> {
            job.stop();
            progress.awaitDone(10_000);
        }, "stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ProcessJob.Summary summary = job.run(progress);
            progress.finish(summary, output);
            return 0;
        } finally {
            progress.done();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is shutting down; the hook is running
            }
        }
    }

    private Settings settings() {
        Path file = config != null ? config : Backdrop.bundledConfig();
        Settings s = file != null ? ConfigLoader.load(file) : ConfigLoader.defaults();
        if (blur != null) {
            s = s.withBlur((Double) ConfigLoader.check("compose.blur", blur, "the --blur flag"));
        }
        if (background != null) {
            s = s.withBackground(background);
        }
        if (model != null) {
            s = s.withModel(model);
        }
        Map<String, Object[]> flags = new LinkedHashMap<>();
        flag(flags, "compose.background_fit", "--background-fit", backgroundFit);
        flag(flags, "compose.background_colour", "--background-colour", backgroundColour);
        flag(flags, "compose.guide_sigma_space", "--guide-sigma-space", guideSigmaSpace);
        flag(flags, "compose.guide_sigma_colour", "--guide-sigma-colour", guideSigmaColour);
        flag(flags, "compose.temporal_weight", "--temporal-weight", temporalWeight);
        flag(flags, "compose.motion_threshold", "--motion-threshold", motionThreshold);
        flag(flags, "compose.edge_low", "--edge-low", edgeLow);
        flag(flags, "compose.edge_high", "--edge-high", edgeHigh);
        flag(flags, "compose.feather", "--feather", feather);
        flag(flags, "compose.feather_direction", "--feather-direction", featherDirection);
        return ConfigLoader.override(s, flags);
    }

    private static void flag(Map<String, Object[]> flags, String key, String name, Object value) {
        if (value != null) {
            flags.put(key, new Object[] {name, value});
        }
    }
}
