package dev.backdrop.cli;

import dev.backdrop.config.Settings;
import dev.backdrop.pipeline.BatchJob;
import dev.backdrop.pipeline.BatchPlan;
import dev.backdrop.pipeline.ProcessJob;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backdrop process IN OUT}: filters a video file into a new one; or many files into a folder. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Blur or replace the background of a video file and write the result (H.264);"
                + " or of every video in folders and files given, into OUTDIR.")
final class ProcessCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "IN... OUT", description = "Input video file (or lavfi:GRAPH) and the"
            + " output file, e.g. out.mp4 or out.mkv; or input files and folders and an output folder (a batch).")
    List<String> paths;

    @Mixin
    SettingsOptions options;

    @Option(names = "--debug-mask", paramLabel = "OUT", description = "Also write the refined mask as a grey video to OUT (one file only).")
    Path debugMask;

    @Option(names = "--jobs", paramLabel = "N", description = "A batch: files processed at once (default 1).")
    int jobs = 1;

    @Option(names = "--overwrite", description = "A batch: redo files whose output is already there (else they are skipped).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return isBatch() ? batch() : single(paths.get(0), Path.of(paths.get(1)));
    }

    /** More than one input, a folder in, or a folder (or a name ending in /) out. */
    private boolean isBatch() {
        String last = paths.get(paths.size() - 1);
        return paths.size() > 2 || Files.isDirectory(Path.of(paths.get(0))) || Files.isDirectory(Path.of(last))
                || last.endsWith(File.separator);
    }

    private int single(String input, Path output) throws Exception {
        if (!input.contains(":") && Files.exists(Path.of(input))
                && Files.exists(output) && Files.isSameFile(Path.of(input), output)) {
            throw new IllegalArgumentException("OUT " + output + " is the input file: give another name (the input is never overwritten)");
        }
        Settings settings = options.resolve();
        ProcessJob job = new ProcessJob(input, output, settings, Backdrop.home());
        if (debugMask != null) {
            job.writeMaskTo(debugMask);
        }
        ProgressLine progress = new ProgressLine(System.console() != null);
        // Ctrl-C: stop reading, finish writing what was read, finalise the file.
        return whileStoppable(job::stop, progress, () -> {
            ProcessJob.Summary summary = job.run(progress);
            progress.finish(summary, output);
            return 0;
        });
    }

    private int batch() throws Exception {
        if (debugMask != null) {
            throw new IllegalArgumentException("--debug-mask writes one file's mask: give one input and one OUT file");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be 1 or more, got " + jobs);
        }
        List<String> inputs = paths.subList(0, paths.size() - 1);
        for (String input : inputs) {
            if (input.startsWith("lavfi:") || input.contains("://")) {
                throw new IllegalArgumentException("a batch takes files and folders, not " + input
                        + ": process it on its own (process IN OUT)");
            }
        }
        Settings settings = options.resolve();
        BatchPlan plan = BatchPlan.of(inputs.stream().map(Path::of).toList(), Path.of(paths.get(paths.size() - 1)),
                settings.compose().background().transparent());
        BatchJob job = new BatchJob(plan, settings, Backdrop.home(), jobs, overwrite);
        ProgressLine progress = new ProgressLine(System.console() != null);
        // Ctrl-C: no new file starts; the files in progress are finalised under their partial names.
        return whileStoppable(job::stop, progress, () -> {
            List<BatchJob.FileResult> results = job.run(progress);
            progress.clear();
            BatchReport.printTable(results, System.out);
            return BatchReport.exitCode(results, spec.commandLine().getErr());
        });
    }

    /** Runs the work with a shutdown hook that stops it and waits for its outputs to be finalised. */
    private static int whileStoppable(Runnable stop, ProgressLine progress, Callable<Integer> work) throws Exception {
        Thread hook = new Thread(() -> {
            stop.run();
            progress.awaitDone(30_000);
        }, "stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.call();
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
