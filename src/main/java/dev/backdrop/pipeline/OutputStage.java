package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.output.FrameSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Last stage: hands each finished frame to every sink in ring order, records its
 * capture-to-output latency, and closes the sinks at the END slot. It keeps writing finished
 * frames even after a failure elsewhere, so nothing processed is lost.
 */
public final class OutputStage implements EventHandler<FrameSlot> {

    private final List<FrameSink> sinks;
    /** Per sink: given the slot's I420 image instead of its BGR one, where compositing made one. */
    private final boolean[] yuv420;
    /** Receives each frame's refined mask (--debug-mask), or null. */
    private final FrameSink maskSink;
    private final PipelineStatus status;
    private final StageTimes times;
    private final LatencyStats latency;

    /** readback: which sinks take I420 (the compose stage must read back the same). */
    public OutputStage(List<FrameSink> sinks, FrameSink maskSink, Readback readback, PipelineStatus status,
                       StageTimes times, LatencyStats latency) {
        this.sinks = List.copyOf(sinks);
        this.yuv420 = new boolean[this.sinks.size()];
        for (int i = 0; i < yuv420.length; i++) {
            yuv420[i] = readback.yuv420For(this.sinks.get(i));
        }
        this.maskSink = maskSink;
        this.status = status;
        this.times = times;
        this.latency = latency;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) {
        switch (slot.kind) {
            case VIDEO -> {
                if (slot.dropped) {
                    status.frameDropped();
                    return;
                }
                if (!slot.composited) {
                    return; // a stage failed before this frame was done: it would show the real background
                }
                long start = System.nanoTime();
                for (int i = 0; i < yuv420.length; i++) {
                    if (yuv420[i] && slot.yuv420 != null) {
                        sinks.get(i).writeYuv420(slot.yuv420, slot.timestampMicros);
                    } else {
                        sinks.get(i).writeVideo(slot.composite, slot.timestampMicros);
                    }
                }
                if (slot.hasRefinedMask) {
                    if (maskSink != null) {
                        maskSink.writeVideo(slot.refinedMask, slot.timestampMicros);
                    }
                    for (FrameSink sink : sinks) {
                        sink.writeMask(slot.refinedMask, slot.timestampMicros);
                    }
                }
                long end = System.nanoTime();
                times.encode.add(end - start);
                latency.record(end - slot.capturedNanos);
                status.frameWritten();
            }
            case AUDIO -> {
                for (FrameSink sink : sinks) {
                    sink.writeAudio(slot.audio, slot.audioSampleRate, slot.audioChannels);
                }
            }
            case END -> {
                try {
                    closeAll();
                } finally {
                    status.markFinished();
                }
            }
        }
    }

    @Override
    public void onShutdown() {
        // Reached without an END slot only when the run is torn down early: still finalise the outputs.
        try {
            closeAll();
        } finally {
            status.markFinished();
        }
    }

    /** Closes every sink even if one fails; the first failure is rethrown. */
    private void closeAll() {
        List<FrameSink> all = new ArrayList<>(sinks);
        if (maskSink != null) {
            all.add(maskSink);
        }
        RuntimeException first = null;
        for (FrameSink sink : all) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
