package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.segment.InferenceRate;
import dev.backdrop.segment.SegmentationModel;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.function.Consumer;

/**
 * Stage 1: predicts the person mask of each video frame into the frame's own slot (or, on the
 * frames the {@link InferenceRate} skips, copies the last one there).
 */
public final class SegmentStage implements EventHandler<FrameSlot> {

    private final SegmentationModel model;
    private final FrameGeometry geometry;
    private final PipelineStatus status;
    private final StageTimes times;
    private final DropPolicy policy;
    private final Backlog backlog = new Backlog();
    private final InferenceRate rate;
    /** The slot being filled, for predictInto: one function made once, not one per frame. */
    private FrameSlot current;
    private final Consumer<FloatBuffer> predictInto;

    /** rate: which frames the model runs on; the others get its last mask. */
    public SegmentStage(SegmentationModel model, FrameGeometry geometry, PipelineStatus status, StageTimes times,
                        DropPolicy policy, InferenceRate rate) {
        this.model = model;
        this.geometry = geometry;
        this.status = status;
        this.times = times;
        this.policy = policy;
        this.rate = rate;
        this.predictInto = mask -> model.predict(current.pixels(), FrameSlot.LAYOUT, geometry.width(),
                geometry.height(), current.stride(), mask);
    }

    /**
     * One prediction on a blank frame of the real size before the first real one: the first run
     * at a new size pays for buffer set-up and JIT, which would cost a live run its first frames.
     */
    @Override
    public void onStart() {
        try {
            warmUp();
        } finally {
            status.markStageReady();
        }
    }

    private void warmUp() {
        int stride = FrameSlot.LAYOUT.stride(geometry.width());
        ByteBuffer blank = ByteBuffer.allocateDirect(stride * geometry.height());
        model.predict(blank, FrameSlot.LAYOUT, geometry.width(), geometry.height(), stride, geometry.newMask());
        model.resetState();
    }

    @Override
    public void onBatchStart(long batchSize, long queueDepth) {
        backlog.onBatchStart(batchSize);
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) {
        if (slot.kind != FrameSlot.Kind.VIDEO || status.hasFailed()) {
            return;
        }
        if (policy.dropsStale(slot, sequence, backlog)) {
            slot.dropped = true;
            return;
        }
        long start = System.nanoTime();
        current = slot;
        if (rate.next(slot.mask, slot.pixels(), FrameSlot.LAYOUT, geometry.width(), geometry.height(), slot.stride(),
                predictInto)) {
            times.inference.add(System.nanoTime() - start);
        }
    }
}
