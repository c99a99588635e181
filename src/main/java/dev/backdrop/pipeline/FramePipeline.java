package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import dev.backdrop.capture.FrameGeometry;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ring buffer and the stages that consume it, one thread each, in a fixed order: a slot
 * reaches stage N+1 only after stage N is done with it. All slots are allocated here, once.
 */
public final class FramePipeline {

    private final Disruptor<FrameSlot> disruptor;
    private final HandOff handOff = new HandOff();

    @SafeVarargs
    public FramePipeline(FrameGeometry geometry, int ringSize, PipelineStatus status,
                         EventHandler<FrameSlot>... stagesInOrder) {
        // Every wait sleeps: on a 2-core machine a spinning stage would steal the encoder's core.
        disruptor = new Disruptor<>(() -> new FrameSlot(geometry), ringSize,
                stageThreads(), ProducerType.SINGLE, handOff);
        disruptor.setDefaultExceptionHandler(new FailRun(status));
        RingBuffer<FrameSlot> ring = disruptor.getRingBuffer();
        for (int i = 0; i < ringSize; i++) {
            ring.get(i).next = ring.get(i + 1L); // the ring wraps: the last slot links to the first
        }
        EventHandlerGroup<FrameSlot> group = disruptor.handleEventsWith(handOff.signalling(stagesInOrder[0]));
        for (EventHandler<FrameSlot> stage : List.of(stagesInOrder).subList(1, stagesInOrder.length)) {
            group = group.then(handOff.signalling(stage));
        }
    }

    /** Daemon threads named stage-1, stage-2, ... in stage order, so profilers and benchmarks can tell them apart. */
    private static ThreadFactory stageThreads() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, "stage-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the stage threads; capture publishes into the returned ring. */
    public FrameRing start() {
        return new FrameRing(disruptor.start(), handOff);
    }

    /** Stops the stage threads (each runs its onShutdown, which releases its resources). */
    public void halt() {
        disruptor.halt();
    }

    /** A stage that throws fails the run instead of killing its thread, so the ring keeps moving. */
    private record FailRun(PipelineStatus status) implements ExceptionHandler<FrameSlot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, FrameSlot event) {
            status.fail(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            status.fail(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            status.fail(ex);
        }
    }
}
