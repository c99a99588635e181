package dev.backdrop.cli;

import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Settings;
import dev.backdrop.pipeline.ProcessJob;
import java.nio.file.Path;
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

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        ProcessJob job = new ProcessJob(input, output, settings, Backdrop.home());
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
        return s;
    }
}
