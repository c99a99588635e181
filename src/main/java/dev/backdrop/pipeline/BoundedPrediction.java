package dev.backdrop.pipeline;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.segment.MaskPredictor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Live: the model runs on a thread of its own and the segment stage waits for it at most a bound,
 * so a model that stalls or fails costs frames their mask (the compose stage then hides the whole
 * picture) instead of stalling the outputs. A prediction past the bound finishes in the background
 * into this class's own buffer and is thrown away; until it has, frames get no mask.
 */
final class BoundedPrediction implements AutoCloseable {

    /** Why a frame has no mask: the model failed, or missed the bound. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String why, Throwable cause) {
            super(why, cause, false, false); // a state, not a bug: no stack trace
        }
    }

    private final long boundNanos;
    private final FloatBuffer result;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread worker;
    // The job, written under the lock by the caller and read under it by the worker.
    private MaskPredictor predictor;
    private ByteBuffer pixels;
    private PixelLayout layout;
    private int width;
    private int height;
    private int stride;
    private boolean pending;
    private boolean busy;
    private boolean closed;
    private RuntimeException failure;

    /** buffer: where the worker predicts, a mask of the frames' size; bound: how long a frame may wait for its mask. */
    BoundedPrediction(FloatBuffer buffer, long bound, TimeUnit unit) {
        this.boundNanos = unit.toNanos(bound);
        this.result = buffer;
        this.worker = new Thread(this::work, "segment model");
        worker.setDaemon(true); // a model stuck in native code must not keep the JVM alive
        worker.start();
    }

    long boundMillis() {
        return TimeUnit.NANOSECONDS.toMillis(boundNanos);
    }

    /** Whether a prediction that missed its bound is still running (the model cannot be swapped meanwhile). */
    boolean busy() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    /** Predicts into mask within the bound, or throws {@link Unavailable} with mask untouched. */
    void predict(MaskPredictor model, ByteBuffer framePixels, PixelLayout frameLayout, int frameWidth, int frameHeight,
                 int frameStride, FloatBuffer mask) {
        lock.lock();
        try {
            if (busy) {
                throw new Unavailable("the model is still busy with a frame that missed the " + boundMillis()
                        + " ms bound", null);
            }
            predictor = model;
            pixels = framePixels;
            layout = frameLayout;
            width = frameWidth;
            height = frameHeight;
            stride = frameStride;
            failure = null;
            pending = true;
            busy = true;
            changed.signalAll();
            long left = boundNanos;
            while (busy && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (busy) {
                throw new Unavailable("no mask within " + boundMillis() + " ms", null);
            }
            if (failure != null) {
                throw new Unavailable("the model failed: " + failure.getMessage(), failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for the mask", e);
        } finally {
            lock.unlock();
        }
        mask.put(0, result, 0, result.capacity()); // the worker is idle: the buffer is ours
    }

    private void work() {
        while (true) {
            lock.lock();
            try {
                while (!pending && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                pending = false;
            } finally {
                lock.unlock();
            }
            RuntimeException failed = null;
            try {
                predictor.predict(pixels, layout, width, height, stride, result);
            } catch (RuntimeException e) {
                failed = e;
            }
            lock.lock();
            try {
                failure = failed;
                busy = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the worker once a running prediction has finished (up to 10 s), so the model can be closed after. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
