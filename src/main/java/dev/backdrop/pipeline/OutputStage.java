package dev.backdrop.pipeline;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.output.VideoWriter;

/**
 * Stage 3: encodes each slot in ring order, then closes the file at the END slot. It keeps
 * writing finished frames even after a failure elsewhere, so nothing processed is lost.
 */
public final class OutputStage implements EventHandler<FrameSlot> {

    private final VideoWriter writer;
    private final PipelineStatus status;
    private final StageTimes times;
    /** The refined masks as a grey video (--debug-mask), or null. */
    private final VideoWriter maskWriter;

    public OutputStage(VideoWriter writer, PipelineStatus status, StageTimes times) {
        this(writer, null, status, times);
    }

    public OutputStage(VideoWriter writer, VideoWriter maskWriter, PipelineStatus status, StageTimes times) {
        this.maskWriter = maskWriter;
        this.writer = writer;
        this.status = status;
        this.times = times;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) {
        switch (slot.kind) {
            case VIDEO -> {
                if (!slot.composited) {
                    return; // a stage failed before this frame was done: it would show the real background
                }
                long start = System.nanoTime();
                writer.writeVideo(slot.image, slot.timestampMicros);
                if (maskWriter != null && slot.refinedMask != null) {
                    maskWriter.writeVideo(slot.refinedMask, slot.timestampMicros);
                }
                times.encode.add(System.nanoTime() - start);
                status.frameWritten();
            }
            case AUDIO -> writer.writeAudio(slot.audio, slot.audioSampleRate, slot.audioChannels);
            case END -> {
                try {
                    closeMaskWriter();
                    writer.close();
                } finally {
                    status.markFinished();
                }
            }
        }
    }

    @Override
    public void onShutdown() {
        // Reached without an END slot only when the run is torn down early: still finalise the file.
        try {
            closeMaskWriter();
        } finally {
            writer.close();
            status.markFinished();
        }
    }

    private void closeMaskWriter() {
        if (maskWriter != null) {
            maskWriter.close();
        }
    }
}
