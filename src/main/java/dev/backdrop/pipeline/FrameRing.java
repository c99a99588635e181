package dev.backdrop.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

/** The ring as capture sees it: claim a slot, fill it, publish it to the first stage. */
public final class FrameRing {

    private final RingBuffer<FrameSlot> slots;
    private final HandOff handOff;

    FrameRing(RingBuffer<FrameSlot> slots, HandOff handOff) {
        this.slots = slots;
        this.handOff = handOff;
    }

    /** The next slot, waiting (asleep) until the last stage frees one. */
    public long next() {
        handOff.awaitFreeSlot(slots);
        return slots.next();
    }

    /** The next slot, or -1 at once when every slot is still in use. */
    public long tryNext() {
        try {
            return slots.tryNext();
        } catch (InsufficientCapacityException e) {
            return -1;
        }
    }

    public FrameSlot get(long sequence) {
        return slots.get(sequence);
    }

    public void publish(long sequence) {
        slots.publish(sequence);
    }
}
