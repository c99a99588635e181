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

    public OutputStage(VideoWriter writer, PipelineStatus status, StageTimes times) {
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
                times.encode.add(System.nanoTime() - start);
                status.frameWritten();
            }
            case AUDIO -> writer.writeAudio(slot.audio, slot.audioSampleRate, slot.audioChannels);
            case END -> {
                try {
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
        writer.close();
        status.markFinished();
    }
}
