package dev.backdrop.pipeline;

/**
 * What is already queued behind the slot a stage is working on: the rest of its Disruptor batch,
 * reached through the slots' {@link FrameSlot#next} links. A live stage skips a frame only when a
 * newer video frame is among them; an audio slot or the end of the input is not a reason to skip.
 */
final class Backlog {
    private long pendingBatchSize;
    private long batchEnd = -1;

    /** Called by the stage's onBatchStart, before the batch's first onEvent. */
    void onBatchStart(long batchSize) {
        pendingBatchSize = batchSize;
    }

    boolean newerVideoWaiting(FrameSlot slot, long sequence) {
        if (pendingBatchSize > 0) {
            batchEnd = sequence + pendingBatchSize - 1;
            pendingBatchSize = 0;
        }
        FrameSlot s = slot;
        for (long q = sequence + 1; q <= batchEnd; q++) {
            s = s.next;
            if (s.kind == FrameSlot.Kind.VIDEO) {
                return true;
            }
        }
        return false;
    }
}
