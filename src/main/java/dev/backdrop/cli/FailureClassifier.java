package dev.backdrop.cli;

import dev.backdrop.capture.CaptureException;
import dev.backdrop.compose.GlUnavailableException;
import dev.backdrop.config.ConfigException;
import dev.backdrop.output.OutputException;
import dev.backdrop.segment.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one place that maps a failure to its {@link ExitCode}. The exception types that say whose fault
 * it is decide first; an IllegalArgumentException or I/O exception says nothing by its type (the same
 * type reports a missing photo in one class and a bug in another), so where it was thrown decides.
 * Anything else is a bug.
 */
final class FailureClassifier {

    private static final String PACKAGE = "dev.backdrop.";

    /**
     * Where an IllegalArgumentException or I/O exception is a user's error, by the class that threw it,
     * or "class#method" where one class throws it for two reasons. Classes not named here throw it only
     * for broken invariants (buffer sizes, closed objects): bugs.
     */
    private static final Map<String, ExitCode> ORIGINS = Map.ofEntries(
            // flags and settings
            Map.entry("cli.FrameSize", ExitCode.USAGE),
            Map.entry("cli.ProcessCommand", ExitCode.USAGE),
            Map.entry("cli.LiveCommand", ExitCode.USAGE),
            Map.entry("cli.EvalCommand", ExitCode.USAGE),
            Map.entry("cli.SegmentCommand#call", ExitCode.USAGE),
            Map.entry("segment.AspectMode", ExitCode.USAGE),
            Map.entry("segment.ModelOptions", ExitCode.USAGE),
            Map.entry("pipeline.LiveJob", ExitCode.USAGE),
            Map.entry("pipeline.BatchPlan", ExitCode.USAGE),
            Map.entry("train.TrainOptions", ExitCode.USAGE),
            Map.entry("train.UNetSpec", ExitCode.USAGE),
            // files read: photos, masks, backgrounds, training data and weights
            Map.entry("cli.SegmentCommand#photos", ExitCode.INPUT),
            Map.entry("compose.BackgroundImage#load", ExitCode.INPUT),
            Map.entry("compose.BackgroundVideo", ExitCode.INPUT),
            Map.entry("compose.BackgroundFile", ExitCode.INPUT),
            Map.entry("pipeline.LiveControls", ExitCode.INPUT),
            Map.entry("still.StillImage", ExitCode.INPUT),
            Map.entry("eval.ImageEvaluation", ExitCode.INPUT),
            Map.entry("eval.VideoEvaluation", ExitCode.INPUT),
            Map.entry("train.TrainingSet", ExitCode.INPUT),
            Map.entry("train.TrainingRun", ExitCode.INPUT),
            Map.entry("train.WeightsFile", ExitCode.INPUT),
            Map.entry("train.Trainer", ExitCode.INPUT),
            Map.entry("train.AdamUpdate", ExitCode.INPUT),
            // files written
            Map.entry("cli.LiveCommand#sinks", ExitCode.OUTPUT),
            Map.entry("cli.SegmentCommand#target", ExitCode.OUTPUT),
            Map.entry("still.StillImage#write", ExitCode.OUTPUT));

    private FailureClassifier() {
    }

    static ExitCode exitCode(Throwable failure) {
        // A missing native library shows up wrapped (TensorFlow's as a ModelException): it outranks the wrapper.
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GlUnavailableException || t instanceof LinkageError) {
                return ExitCode.SYSTEM;
            }
        }
        // The outermost failure that says whose fault it is: a wrapper that says nothing passes to its cause.
        for (Throwable t = failure; t != null; t = t.getCause()) {
            ExitCode code = byType(t);
            if (code != null) {
                return code;
            }
        }
        return ExitCode.INTERNAL;
    }

    private static ExitCode byType(Throwable t) {
        if (t instanceof ConfigException) {
            return ExitCode.USAGE;
        }
        if (t instanceof CaptureException || t instanceof ModelException) {
            return ExitCode.INPUT;
        }
        if (t instanceof OutputException) {
            return ExitCode.OUTPUT;
        }
        if (t instanceof IllegalArgumentException || t instanceof IOException || t instanceof UncheckedIOException) {
            return byOrigin(t);
        }
        return null;
    }

    /** By the innermost Backdrop frame of the stack: the code that threw it, or that called the library that did. */
    private static ExitCode byOrigin(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith(PACKAGE)) {
                String type = frame.getClassName().substring(PACKAGE.length()).replaceFirst("\\$.*", "");
                ExitCode code = ORIGINS.get(type + "#" + frame.getMethodName());
                return code != null ? code : ORIGINS.get(type);
            }
        }
        return null;
    }
}
