package dev.backdrop.pipeline;

import dev.backdrop.config.Settings;
import dev.backdrop.output.OutputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backdrop process} on many files: each file is a {@link ProcessJob} of its own (its own pipeline,
 * model and GL context), up to {@code jobs} of them at once. A file gets its final name only by a rename
 * once it was written whole, so a file under its final name is done: later runs skip it.
 */
public final class BatchJob {

    private static final Logger LOG = LoggerFactory.getLogger(BatchJob.class);

    /** Told about the whole batch about twice a second per running file. */
    public interface ProgressListener {
        void onBatchProgress(int filesDone, int files, long frames, long framesExpected, long elapsedNanos);
    }

    public enum Outcome {
        WRITTEN, SKIPPED, FAILED,
        /** Stopped (Ctrl-C) midway: what was written is finalised under the partial name. */
        STOPPED,
        /** Stopped before it began. */
        NOT_STARTED
    }

    /** @param failure the reason, for FAILED only */
    public record FileResult(BatchPlan.Entry entry, Outcome outcome, long frames, double seconds, Throwable failure) {
        public double fps() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    private final BatchPlan plan;
    private final Settings settings;
    private final Path home;
    private final int jobs;
    private final boolean overwrite;
    private final Set<ProcessJob> running = new HashSet<>();
    private boolean stopping;

    /** home: the folder holding models/ and shaders/. */
    public BatchJob(BatchPlan plan, Settings settings, Path home, int jobs, boolean overwrite) {
        this.plan = plan;
        this.settings = settings;
        this.home = home;
        this.jobs = jobs;
        this.overwrite = overwrite;
    }

    /** Ctrl-C: no new file starts; those running stop reading and are finalised under their partial names. */
    public synchronized void stop() {
        stopping = true;
        running.forEach(ProcessJob::stop);
    }

    /** Every file, in the plan's order; a file's failure is its result, not the batch's. */
    public List<FileResult> run(ProgressListener listener) throws InterruptedException {
        plan.createOutputDir();
        List<BatchPlan.Entry> entries = plan.entries();
        FileResult[] results = new FileResult[entries.size()];
        BatchProgress progress = new BatchProgress(listener, entries.size(), System.nanoTime());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, entries.size()), counting("batch-"));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < Math.min(jobs, entries.size()); w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < entries.size(); i = next.getAndIncrement()) {
                        results[i] = runOne(i, entries.get(i), progress);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (ExecutionException e) {
            stop(); // a bug (not a file's failure): the other files stop too
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return List.of(results);
    }

    private FileResult runOne(int index, BatchPlan.Entry entry, BatchProgress progress) throws InterruptedException {
        String name = "file " + (index + 1) + "/" + plan.entries().size();
        if (!overwrite && Files.exists(entry.output())) {
            LOG.info("{} skipped: {} is there already (--overwrite redoes it)", name, entry.output());
            progress.skipped(index);
            return new FileResult(entry, Outcome.SKIPPED, 0, 0, null);
        }
        ProcessJob job = new ProcessJob(entry.input().toString(), entry.partial(), settings, home);
        synchronized (this) {
            if (stopping) {
                return new FileResult(entry, Outcome.NOT_STARTED, 0, 0, null);
            }
            running.add(job);
        }
        LOG.info("{}: {} -> {}", name, entry.input(), entry.output());
        long start = System.nanoTime();
        ProcessJob.Summary summary = null;
        Throwable failure = null;
        long frames;
        try {
            summary = job.run(progress.file(index));
            if (!summary.stoppedEarly()) {
                finalise(entry);
            }
        } catch (RuntimeException | LinkageError e) {
            failure = e;
        } finally {
            synchronized (this) {
                running.remove(job);
            }
            frames = progress.finished(index);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure != null) {
            LOG.warn("{} FAILED: {}: {}{}", name, entry.input(), failure.getMessage(), partialNote(entry));
            return new FileResult(entry, Outcome.FAILED, frames, seconds, failure);
        }
        if (summary.stoppedEarly()) {
            LOG.warn("{} stopped after {} frames: {}{}", name, summary.frames(), entry.input(), partialNote(entry));
            return new FileResult(entry, Outcome.STOPPED, summary.frames(), seconds, null);
        }
        LOG.info("{} written: {}, {} frames in {} s", name, entry.output(), summary.frames(),
                String.format("%.2f", seconds));
        return new FileResult(entry, Outcome.WRITTEN, summary.frames(), seconds, null);
    }

    /** The partial file becomes the output in one step: a reader never sees a half-written final name. */
    private static void finalise(BatchPlan.Entry entry) {
        try {
            Files.move(entry.partial(), entry.output(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new OutputException("cannot rename " + entry.partial() + " to " + entry.output() + ": " + e, e);
        }
    }

    private static String partialNote(BatchPlan.Entry entry) {
        return Files.exists(entry.partial()) ? "; what was written is kept as " + entry.partial() : "";
    }

    private static java.util.concurrent.ThreadFactory counting(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + n.incrementAndGet());
    }
}
