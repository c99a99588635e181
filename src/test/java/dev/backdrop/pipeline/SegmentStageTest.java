package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.segment.InferenceRate;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.MotionGate;
import dev.backdrop.segment.SegmentationModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The segment stage with the real selfie model marks each frame with the frame its picture has
 * been still since (the motion gate's finding), which compositing may keep its background from.
 */
class SegmentStageTest {

    private static final FrameGeometry GEOMETRY = new FrameGeometry(128, 72, 256, 256, PixelLayout.I420);

    @Test
    void stillFramesCarryTheFrameTheModelRanOn() {
        // grey frames, one brighter at 15: the gate finds 15 moved, and 16 moved back
        List<Long> since = run(new InferenceRate(4, new MotionGate(1)));
        assertEquals(List.of(10L, 10L, 10L, 10L, 14L, 15L, 16L, 16L, 16L, 16L), since,
                "still frames carry the run they reuse; at most 4 frames share one, a moved frame runs");
    }

    @Test
    void reuseByCountAloneMarksEachFrameItself() {
        List<Long> since = run(new InferenceRate(4));
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L), since,
                "without the gate nothing is known of the picture");
    }

    /** Sequences 10 to 19 through the stage; each frame's stillSince. */
    private static List<Long> run(InferenceRate rate) {
        List<Long> since = new ArrayList<>();
        try (SegmentationModel model = SegmentationModel.load("selfie", Path.of("models"), ModelOptions.defaults())) {
            SegmentStage stage = new SegmentStage(model, GEOMETRY, new PipelineStatus(), new StageTimes(),
                    DropPolicy.KEEP_ALL, rate);
            stage.onStart();
            FrameSlot slot = new FrameSlot(GEOMETRY);
            slot.kind = FrameSlot.Kind.VIDEO;
            for (long sequence = 10; sequence < 20; sequence++) {
                fill(slot.pixels(), sequence == 15 ? 140 : 100);
                stage.onEvent(slot, sequence, true);
                since.add(slot.stillSince);
            }
            stage.onShutdown();
        }
        return since;
    }

    /** Luma of an I420 frame at one level, no colour. */
    private static void fill(ByteBuffer frame, int luma) {
        int y = GEOMETRY.width() * GEOMETRY.height();
        for (int i = 0; i < frame.capacity(); i++) {
            frame.put(i, (byte) (i < y ? luma : 128));
        }
    }
}
