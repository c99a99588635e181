package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.segment.SegmentationModel;
import java.nio.ByteBuffer;

/** Stage 1: predicts the person mask of each video frame into the frame's own slot. */
public final class SegmentStage implements EventHandler<FrameSlot> {

    private final SegmentationModel model;
    private final FrameGeometry geometry;
    private final PipelineStatus status;
    private final StageTimes times;
    private final DropPolicy policy;
    private final Backlog backlog = new Backlog();

    public SegmentStage(SegmentationModel model, FrameGeometry geometry, PipelineStatus status, StageTimes times,
                        DropPolicy policy) {
        this.model = model;
        this.geometry = geometry;
        this.status = status;
        this.times = times;
        this.policy = policy;
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
        model.predict(slot.pixels(), FrameSlot.LAYOUT, geometry.width(), geometry.height(), slot.stride(), slot.mask);
        times.inference.add(System.nanoTime() - start);
    }
}
