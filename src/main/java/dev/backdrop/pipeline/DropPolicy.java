package dev.backdrop.pipeline;

/** What a stage does with a frame when newer frames are already waiting behind it. */
public enum DropPolicy {
    /** Files: every frame is processed, however long it takes. */
    KEEP_ALL,
    /**
     * Live: a stage that finds a newer frame queued skips the older one, so latency stays at one
     * frame's processing time instead of growing with a queue. The skipped frame is counted.
     */
    KEEP_NEWEST;

    /** True when this slot should be dropped: live, and a newer video frame is already waiting. */
    boolean dropsStale(FrameSlot slot, long sequence, Backlog backlog) {
        return this == KEEP_NEWEST && slot.kind == FrameSlot.Kind.VIDEO && backlog.newerVideoWaiting(slot, sequence);
    }
}
