package dev.backdrop.cli;

import dev.backdrop.pipeline.BatchJob;
import dev.backdrop.pipeline.BatchJob.FileResult;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The end of a batch: a table with a row per file, and the exit code and one line for the files that failed. */
final class BatchReport {

    /** The result last: a failure's reason is as long as it needs to be without pushing the numbers away. */
    private static final String[] HEADER = {"input", "frames", "seconds", "fps", "result"};

    private BatchReport() {
    }

    static void printTable(List<FileResult> results, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (FileResult r : results) {
            boolean ran = r.outcome() != BatchJob.Outcome.SKIPPED && r.outcome() != BatchJob.Outcome.NOT_STARTED;
            rows.add(new String[] {r.entry().input().toString(), ran ? Long.toString(r.frames()) : "",
                    ran ? String.format("%.2f", r.seconds()) : "", ran ? String.format("%.1f", r.fps()) : "", result(r)});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length - 1; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            out.println(String.format("%-" + width[0] + "s  %" + width[1] + "s  %" + width[2] + "s  %" + width[3]
                    + "s  %s", (Object[]) row));
        }
    }

    /**
     * 0 when every file was written or skipped; otherwise the exit code of the first failed file's kind
     * (in the table's order, so it does not depend on --jobs), with one line naming every failed file.
     */
    static int exitCode(List<FileResult> results, PrintWriter err) {
        List<FileResult> failed = results.stream().filter(r -> r.outcome() == BatchJob.Outcome.FAILED).toList();
        if (failed.isEmpty()) {
            return ExitCode.OK.code;
        }
        err.println("backdrop: " + failed.size() + " of " + results.size() + " files failed: "
                + String.join(", ", failed.stream().map(r -> r.entry().input().toString()).toList()));
        return FailureClassifier.exitCode(failed.get(0).failure()).code;
    }

    private static String result(FileResult r) {
        return switch (r.outcome()) {
            case WRITTEN -> "written";
            case SKIPPED -> "skipped (done)";
            case STOPPED -> "stopped: kept as " + r.entry().partial().getFileName();
            case NOT_STARTED -> "not started";
            case FAILED -> "FAILED: " + reason(r.failure());
        };
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        return message.lines().findFirst().orElse("").strip();
    }
}
