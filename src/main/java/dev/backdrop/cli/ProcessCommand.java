package dev.backdrop.cli;

import dev.backdrop.config.Settings;
import dev.backdrop.pipeline.ProcessJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    SettingsOptions options;

    @Option(names = "--debug-mask", paramLabel = "OUT", description = "Also write the refined mask as a grey video to OUT.")
    Path debugMask;

    @Override
    public Integer call() throws Exception {
        if (!input.contains(":") && java.nio.file.Files.exists(Path.of(input))
                && java.nio.file.Files.exists(output) && java.nio.file.Files.isSameFile(Path.of(input), output)) {
            throw new IllegalArgumentException("OUT " + output + " is the input file: give another name (the input is never overwritten)");
        }
        Settings settings = options.resolve();
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
}
