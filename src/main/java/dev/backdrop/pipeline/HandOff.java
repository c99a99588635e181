package dev.backdrop.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a slot passes from capture to each stage in turn, with every waiting thread asleep.
 * Disruptor's BlockingWaitStrategy sleeps only until capture publishes, then spins until the stage
 * before has finished the slot: on 2 cores the output stage spun away a quarter of all CPU while
 * compositing worked. Here a stage sleeps until the stage before it signals (see {@link #signalling})
 * and capture, when the ring is full, until the last stage frees a slot.
 */
final class HandOff implements WaitStrategy {

    /** A lost wake-up cannot happen (progress is set before the signal); this only bounds a surprise. */
    private static final long BACKSTOP_MILLIS = 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        lock.lock();
        try {
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                progressed.await(BACKSTOP_MILLIS, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
        return available;
    }

    /** Called by capture after each publish, by each stage after each slot, and on halt. */
    @Override
    public void signalAllWhenBlocking() {
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Capture's wait for a free slot (file input, which never drops a frame). */
    void awaitFreeSlot(RingBuffer<FrameSlot> ring) {
        if (ring.hasAvailableCapacity(1)) {
            return;
        }
        lock.lock();
        try {
            while (!ring.hasAvailableCapacity(1)) {
                progressed.await(BACKSTOP_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Disruptor's own claim below then waits as it always did
        } finally {
            lock.unlock();
        }
    }

    /** The stage, made to report each finished slot at once, so the next stage wakes for it. */
    EventHandler<FrameSlot> signalling(EventHandler<FrameSlot> stage) {
        return new Signalling(stage, this);
    }

    private static final class Signalling implements EventHandler<FrameSlot> {
        private final EventHandler<FrameSlot> stage;
        private final HandOff handOff;
        private Sequence progress;

        Signalling(EventHandler<FrameSlot> stage, HandOff handOff) {
            this.stage = stage;
            this.handOff = handOff;
        }

        @Override
        public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
            try {
                stage.onEvent(slot, sequence, endOfBatch);
            } finally {
                // Disruptor would publish the progress only after the whole batch
                progress.set(sequence);
                handOff.signalAllWhenBlocking();
            }
        }

        @Override
        public void setSequenceCallback(Sequence sequenceCallback) {
            progress = sequenceCallback;
            stage.setSequenceCallback(sequenceCallback);
        }

        @Override
        public void onBatchStart(long batchSize, long queueDepth) {
            stage.onBatchStart(batchSize, queueDepth);
        }

        @Override
        public void onStart() {
            stage.onStart();
        }

        @Override
        public void onShutdown() {
            stage.onShutdown();
        }

        @Override
        public void onTimeout(long sequence) throws Exception {
            stage.onTimeout(sequence);
        }
    }
}
