package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.capture.FrameGeometry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * While one stage works, the threads waiting on it (the stages after it, and capture when the
 * ring is full) sleep: they use almost no CPU. Disruptor's BlockingWaitStrategy made them spin,
 * which on 2 cores took a quarter of the machine from compositing and encoding.
 */
class HandOffTest {

    private static final int FRAMES = 30;
    private static final long WORK_MILLIS = 10;

    @Test
    void waitingStagesAndCaptureSleepWhileAStageWorks() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Thread> waiters = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);

        EventHandler<FrameSlot> slowStage = (slot, seq, end) -> {
            if (slot.kind == FrameSlot.Kind.VIDEO) {
                Thread.sleep(WORK_MILLIS); // the compositor, say: the rest of the pipeline waits on it
            }
        };
        EventHandler<FrameSlot> idleStage = waiter(waiters, slot -> { });
        EventHandler<FrameSlot> lastStage = waiter(waiters, slot -> {
            if (slot.kind == FrameSlot.Kind.VIDEO) {
                seen.add(slot.index);
            } else if (slot.kind == FrameSlot.Kind.END) {
                done.countDown();
            }
        });

        FramePipeline pipeline = new FramePipeline(new FrameGeometry(64, 48, 4, 4), 4, new PipelineStatus(), slowStage,
                idleStage, lastStage);
        FrameRing ring = pipeline.start();
        try {
            while (waiters.size() < 2) {
                Thread.sleep(1);
            }
            long[] before = waiters.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).toArray();
            long captureBefore = mx.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) { // a ring of 4: capture waits for a free slot most of the time
                long seq = ring.next();
                FrameSlot slot = ring.get(seq);
                slot.kind = FrameSlot.Kind.VIDEO;
                slot.index = i;
                ring.publish(seq);
            }
            long seq = ring.next();
            ring.get(seq).kind = FrameSlot.Kind.END;
            ring.publish(seq);
            long captureCpu = mx.getCurrentThreadCpuTime() - captureBefore;
            assertTrue(done.await(10, TimeUnit.SECONDS), "the END slot never reached the last stage");
            long wall = System.nanoTime() - wallStart;

            assertEquals(FRAMES, seen.size(), "frames through the last stage");
            for (int i = 0; i < FRAMES; i++) {
                assertEquals(i, seen.get(i), "frame order");
            }
            assertTrue(wall >= FRAMES * WORK_MILLIS * 1_000_000, "the slow stage took its time");
            // Spinning would cost about the whole wall time (300+ ms); sleeping costs wake-ups only.
            long budget = wall / 10;
            for (int i = 0; i < waiters.size(); i++) {
                long cpu = mx.getThreadCpuTime(waiters.get(i).getId()) - before[i];
                assertTrue(cpu < budget, "stage " + (i + 2) + " used " + cpu / 1_000_000 + " ms of CPU in "
                        + wall / 1_000_000 + " ms while waiting on the stage before it");
            }
            assertTrue(captureCpu < budget, "capture used " + captureCpu / 1_000_000 + " ms of CPU in "
                    + wall / 1_000_000 + " ms while waiting for a free slot");
        } finally {
            pipeline.halt();
        }
    }

    /** A stage that does next to nothing, and adds its thread to threads when it starts. */
    private static EventHandler<FrameSlot> waiter(List<Thread> threads, Consumer<FrameSlot> work) {
        return new EventHandler<>() {
            @Override
            public void onStart() {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
            }

            @Override
            public void onEvent(FrameSlot slot, long seq, boolean end) {
                work.accept(slot);
            }
        };
    }
}
