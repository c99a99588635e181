package dev.backdrop.pipeline;

/**
 * The progress of the files of a batch summed into one: files finished, frames written, and the
 * frames the whole batch will have, where the inputs tell their length.
 */
final class BatchProgress {

    private final BatchJob.ProgressListener listener;
    private final long start;
    private final long[] frames;
    /** Each file's length in frames once it has started and told it: 0 unknown, -1 none (skipped, or failed before its first frame). */
    private final long[] expected;
    private int filesDone;

    BatchProgress(BatchJob.ProgressListener listener, int files, long start) {
        this.listener = listener;
        this.start = start;
        this.frames = new long[files];
        this.expected = new long[files];
    }

    /** A ProcessJob's own progress, as frames of this batch's file {@code index}. */
    ProcessJob.ProgressListener file(int index) {
        return (written, length, elapsed) -> update(index, written, length);
    }

    synchronized void skipped(int index) {
        expected[index] = -1;
        filesDone++;
        report();
    }

    /** Finished, whatever the outcome: its frames so far count as its length; returns them. */
    synchronized long finished(int index) {
        expected[index] = frames[index] > 0 ? frames[index] : -1;
        filesDone++;
        report();
        return frames[index];
    }

    private synchronized void update(int index, long written, long length) {
        frames[index] = written;
        if (length > 0) {
            expected[index] = length;
        }
        report();
    }

    private void report() {
        long sum = 0;
        for (long f : frames) {
            sum += f;
        }
        listener.onBatchProgress(filesDone, frames.length, sum, expectedTotal(), System.nanoTime() - start);
    }

    /**
     * The known lengths, and for each file not begun yet the mean of those: a file's length is known
     * only once it is opened. 0 when none is known yet.
     */
    private long expectedTotal() {
        long known = 0;
        int knownFiles = 0;
        int unknownFiles = 0;
        for (long e : expected) {
            if (e > 0) {
                known += e;
                knownFiles++;
            } else if (e == 0) {
                unknownFiles++;
            }
        }
        return knownFiles == 0 ? 0 : known + unknownFiles * known / knownFiles;
    }
}
