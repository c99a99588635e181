package dev.backdrop.cli;

import dev.backdrop.pipeline.BatchJob;
import dev.backdrop.pipeline.ProcessJob;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one-line progress display on a terminal, of one file or of a whole batch, and the summary line at
 * the end of one file everywhere.
 */
final class ProgressLine implements ProcessJob.ProgressListener, BatchJob.ProgressListener {

    private final boolean terminal;
    private final CountDownLatch done = new CountDownLatch(1);

    ProgressLine(boolean terminal) {
        this.terminal = terminal;
    }

    @Override
    public void onProgress(long frames, long expected, long elapsedNanos) {
        show("", frames, expected, elapsedNanos);
    }

    /** Called from each file's own thread: one line, printed whole. */
    @Override
    public synchronized void onBatchProgress(int filesDone, int files, long frames, long expected, long elapsedNanos) {
        show("file " + filesDone + "/" + files + "  ", frames, expected, elapsedNanos);
    }

    private void show(String prefix, long frames, long expected, long elapsedNanos) {
        if (!terminal) {
            return;
        }
        double seconds = elapsedNanos / 1e9;
        double fps = seconds > 0 ? frames / seconds : 0;
        String eta = expected > 0 && fps > 0 ? String.format("%.0f s", Math.max(0, expected - frames) / fps) : "?";
        String of = expected > 0 ? "/" + expected : "";
        System.err.printf("\r  %sframe %d%s  %.1f fps  ETA %s   ", prefix, frames, of, fps, eta);
        System.err.flush();
    }

    void finish(ProcessJob.Summary summary, Path output) {
        clear();
        System.out.printf("%d frames in %.2f s (%.1f fps) -> %s%s%n", summary.frames(), summary.seconds(), summary.fps(),
                output, summary.stoppedEarly() ? " (stopped early; the file is complete up to there)" : "");
    }

    /** Rubs the progress line out, for what is printed next. */
    void clear() {
        if (terminal) {
            System.err.print("\r" + " ".repeat(72) + "\r");
        }
    }

    void done() {
        done.countDown();
    }

    void awaitDone(long millis) {
        try {
            done.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
