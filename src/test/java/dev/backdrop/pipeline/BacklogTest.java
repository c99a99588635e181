package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.FrameGeometry;
import org.junit.jupiter.api.Test;

/** A live stage skips a frame only for a newer video frame, never for audio or the end of the input. */
class BacklogTest {

    private static FrameSlot[] ring(FrameSlot.Kind... kinds) {
        FrameSlot[] slots = new FrameSlot[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            slots[i] = new FrameSlot(new FrameGeometry(2, 2, 1, 1));
            slots[i].kind = kinds[i];
        }
        for (int i = 0; i < kinds.length; i++) {
            slots[i].next = slots[(i + 1) % kinds.length];
        }
        return slots;
    }

    @Test
    void theLastFrameBeforeTheEndIsKept() {
        FrameSlot[] s = ring(FrameSlot.Kind.VIDEO, FrameSlot.Kind.VIDEO, FrameSlot.Kind.END, FrameSlot.Kind.END);
        Backlog b = new Backlog();
        b.onBatchStart(3);
        assertTrue(DropPolicy.KEEP_NEWEST.dropsStale(s[0], 0, b), "frame 0: frame 1 is newer");
        assertFalse(DropPolicy.KEEP_NEWEST.dropsStale(s[1], 1, b), "frame 1: only the end follows");
        assertFalse(DropPolicy.KEEP_ALL.dropsStale(s[0], 0, b), "files keep every frame");
    }

    @Test
    void audioBehindAFrameIsNoReasonToSkipIt() {
        FrameSlot[] s = ring(FrameSlot.Kind.VIDEO, FrameSlot.Kind.AUDIO, FrameSlot.Kind.AUDIO, FrameSlot.Kind.VIDEO);
        Backlog b = new Backlog();
        b.onBatchStart(3);
        assertFalse(DropPolicy.KEEP_NEWEST.dropsStale(s[0], 0, b));
        b.onBatchStart(4);
        assertTrue(DropPolicy.KEEP_NEWEST.dropsStale(s[0], 4, b), "the next batch reaches the video frame at 7");
    }

    @Test
    void onlyTheBatchAlreadyPublishedCounts() {
        FrameSlot[] s = ring(FrameSlot.Kind.VIDEO, FrameSlot.Kind.VIDEO, FrameSlot.Kind.VIDEO, FrameSlot.Kind.VIDEO);
        Backlog b = new Backlog();
        b.onBatchStart(1);
        assertFalse(DropPolicy.KEEP_NEWEST.dropsStale(s[0], 0, b), "slot 1 holds last lap's frame, not a newer one");
        b.onBatchStart(2);
        assertTrue(DropPolicy.KEEP_NEWEST.dropsStale(s[1], 1, b));
        assertFalse(DropPolicy.KEEP_NEWEST.dropsStale(s[2], 2, b));
    }
}
