package dev.backdrop.pipeline;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every thread of one run shares: a stop request, the first failure, the count of frames
 * written, and the moment the output stage has finished.
 */
public final class PipelineStatus {

    private volatile boolean stopping;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Throwable> inputFailure = new AtomicReference<>();
    private final AtomicLong framesWritten = new AtomicLong();
    private volatile long firstWrittenNanos;
    private final AtomicLong framesDropped = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Counted down by the segment and compose stages once warmed up (or failed to start). */
    private final CountDownLatch stagesReady = new CountDownLatch(2);

    /** Asks capture to stop reading; frames already in the ring are still written. */
    public void stop() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** Records the first failure and stops capture; stages skip work for the rest of the run. */
    public void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stopping = true;
    }

    /**
     * The input broke (damaged, cut short, unplugged): capture stops, but unlike {@link #fail} the stages
     * still finish and write every frame already read; the failure is reported at the end.
     */
    public void inputFailed(Throwable t) {
        inputFailure.compareAndSet(null, t);
        stopping = true;
    }

    /** A stage failed: the others skip work for the rest of the run. */
    public boolean hasFailed() {
        return failure.get() != null;
    }

    /** What ended the run early: a stage's failure, else the input's; null when nothing failed. */
    public Throwable failure() {
        Throwable t = failure.get();
        return t != null ? t : inputFailure.get();
    }

    /** Throws the run's first failure, if any (checked ones wrapped), after the outputs are finalised. */
    void throwIfFailed() {
        Throwable t = failure();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    void frameWritten() {
        if (framesWritten.incrementAndGet() == 1) {
            firstWrittenNanos = System.nanoTime();
        }
    }

    /** When the first frame was written (System.nanoTime()), or 0 before that. */
    public long firstWrittenNanos() {
        return firstWrittenNanos;
    }

    public long framesWritten() {
        return framesWritten.get();
    }

    /** A frame skipped to keep latency low (live only). */
    public void frameDropped() {
        framesDropped.incrementAndGet();
    }

    public long framesDropped() {
        return framesDropped.get();
    }

    /** A stage is set up and warmed (model run once at the frame size, shaders compiled), or failed to start. */
    void markStageReady() {
        stagesReady.countDown();
    }

    /** Live capture waits for this, so the first frames do not queue behind start-up work. */
    public boolean awaitStagesReady(long timeout, TimeUnit unit) throws InterruptedException {
        return stagesReady.await(timeout, unit);
    }

    void markFinished() {
        finished.countDown();
    }

    /** Waits until the output stage has closed its output, up to the timeout; true when it has. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }
}
