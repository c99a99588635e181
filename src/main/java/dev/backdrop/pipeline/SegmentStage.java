package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.segment.InferenceRate;
import dev.backdrop.segment.MaskPredictor;
import dev.backdrop.segment.ResampledPredictor;
import dev.backdrop.segment.SegmentationModel;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1: predicts the person mask of each video frame into the frame's own slot (or, on the
 * frames the {@link InferenceRate} skips, copies the last one there). Live, the model's time is
 * bounded: a frame whose mask fails or comes late is marked {@link FrameSlot#maskMissing}, and the
 * compose stage hides its whole picture (fail closed).
 */
public final class SegmentStage implements EventHandler<FrameSlot> {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentStage.class);

    private final SegmentationModel original;
    private final FrameGeometry geometry;
    private final PipelineStatus status;
    private final StageTimes times;
    private final DropPolicy policy;
    private final Backlog backlog = new Backlog();
    private final InferenceRate rate;
    private SegmentationModel model;
    private MaskPredictor predictor;
    private UnaryOperator<MaskPredictor> wrap = UnaryOperator.identity();
    private long boundMillis;
    private BoundedPrediction bounded;
    private LiveControls controls;
    /** Frames without a mask since the last good one; 0 while masks come. */
    private long framesWithoutMask;
    /** The sequence of the frame the model last ran on. */
    private long lastRun = -1;
    /** The slot being filled, for predictInto: one function made once, not one per frame. */
    private FrameSlot current;
    private final Consumer<FloatBuffer> predictInto;

    /** rate: which frames the model runs on; the others get its last mask. */
    public SegmentStage(SegmentationModel model, FrameGeometry geometry, PipelineStatus status, StageTimes times,
                        DropPolicy policy, InferenceRate rate) {
        this.original = model;
        this.model = model;
        this.predictor = model;
        this.geometry = geometry;
        this.status = status;
        this.times = times;
        this.policy = policy;
        this.rate = rate;
        this.predictInto = mask -> {
            if (bounded == null) {
                predictor.predict(current.pixels(), geometry.layout(), geometry.width(), geometry.height(),
                        current.stride(), mask);
            } else {
                bounded.predict(predictor, current.pixels(), geometry.layout(), geometry.width(), geometry.height(),
                        current.stride(), mask);
            }
        };
    }

    /**
     * Live: a frame waits at most this long for its mask, and a failing model costs frames their
     * mask instead of ending the run. 0 (files) = wait as long as it takes; a model error ends the run.
     */
    public SegmentStage bounded(long millis) {
        this.boundMillis = millis;
        return this;
    }

    /** Takes the models a live change loads (segmentation.model). */
    public SegmentStage controlledBy(LiveControls liveControls) {
        this.controls = liveControls;
        return this;
    }

    /** Wraps every model this stage runs: for tests that make a real model fail or stall. */
    SegmentStage wrappingModels(UnaryOperator<MaskPredictor> wrapper) {
        this.wrap = wrapper;
        this.predictor = wrapper.apply(model);
        return this;
    }

    /**
     * One prediction on a blank frame of the real size before the first real one: the first run
     * at a new size pays for buffer set-up and JIT, which would cost a live run its first frames.
     */
    @Override
    public void onStart() {
        try {
            warmUp(model, geometry);
            if (boundMillis > 0) {
                bounded = new BoundedPrediction(geometry.newMask(), boundMillis, TimeUnit.MILLISECONDS);
            }
        } finally {
            status.markStageReady();
        }
    }

    static void warmUp(SegmentationModel model, FrameGeometry geometry) {
        int w = geometry.width();
        int h = geometry.height();
        PixelLayout layout = geometry.layout();
        ByteBuffer blank = ByteBuffer.allocateDirect(layout.frameBytes(w, h));
        FrameGeometry own = new FrameGeometry(w, h, model.maskWidth(w, h), model.maskHeight(w, h));
        model.predict(blank, layout, w, h, layout.stride(w), own.newMask());
        model.resetState();
    }

    /** The model as this run's slots take it: its mask resampled when its size is not theirs. */
    private MaskPredictor fitted(SegmentationModel m) {
        int w = m.maskWidth(geometry.width(), geometry.height());
        int h = m.maskHeight(geometry.width(), geometry.height());
        return w == geometry.maskWidth() && h == geometry.maskHeight() ? m
                : new ResampledPredictor(m, w, h, geometry.maskWidth(), geometry.maskHeight());
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
        if (controls != null) {
            takeNewModel();
        }
        long start = System.nanoTime();
        current = slot;
        slot.maskMissing = false;
        slot.stillSince = sequence;
        try {
            if (rate.next(slot.mask, slot.pixels(), geometry.layout(), geometry.width(), geometry.height(),
                    slot.stride(), predictInto)) {
                times.inference.add(System.nanoTime() - start);
                lastRun = sequence;
            } else if (rate.lastStill()) {
                slot.stillSince = lastRun;
            }
            if (framesWithoutMask > 0) {
                LOG.info("masks are back after {} frames without", framesWithoutMask);
                framesWithoutMask = 0;
            }
        } catch (BoundedPrediction.Unavailable e) {
            slot.maskMissing = true;
            rate.restart(); // the next frame runs the model: no older mask stands in for a missing one
            if (framesWithoutMask++ == 0) {
                LOG.warn("no mask: {}; every frame is hidden (the background effect over the whole picture)"
                        + " until masks return", e.getMessage());
            }
        }
    }

    /** A model a live change loaded, swapped in once no late prediction is still running on the old one. */
    private void takeNewModel() {
        if (bounded != null && bounded.busy()) {
            return;
        }
        SegmentationModel next = controls.takeModel();
        if (next == null) {
            return;
        }
        if (model != original) {
            model.close(); // the original belongs to the job, which closes it
        }
        model = next;
        predictor = wrap.apply(fitted(next));
        rate.restart();
        LOG.info("model now {}", next.description());
    }

    @Override
    public void onShutdown() {
        if (bounded != null) {
            bounded.close();
        }
        if (model != original) {
            model.close();
        }
        if (controls != null) {
            controls.closeUntaken();
        }
    }
}
