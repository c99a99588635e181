package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.EventHandler;
import dev.backdrop.capture.CaptureLoop;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.capture.VideoSource;
import dev.backdrop.output.VideoWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring buffer with real FFmpeg capture and encoding, and stand-in middle stages that stamp
 * each slot's mask with a checksum of its own pixels: order kept, no frame lost, every mask
 * paired with its own frame, even when stages run at uneven speeds.
 */
class FramePipelineTest {

    private static final int FRAMES = 90;

    @TempDir
    Path dir;

    @Test
    void everyFrameArrivesInOrderWithItsOwnMask() throws Exception {
        Path out = dir.resolve("ring.mkv");
        PipelineStatus status = new PipelineStatus();
        StageTimes times = new StageTimes();
        List<Long> indices = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        int[] mismatches = {0};

        EventHandler<FrameSlot> stampMask = (slot, seq, end) -> {
            if (slot.kind == FrameSlot.Kind.VIDEO) {
                jitter();
                slot.mask.put(0, checksum(slot));
                slot.mask.put(1, slot.index);
            }
        };
        EventHandler<FrameSlot> checkMask = (slot, seq, end) -> {
            if (slot.kind == FrameSlot.Kind.VIDEO) {
                jitter();
                if (slot.mask.get(0) != checksum(slot) || slot.mask.get(1) != slot.index) {
                    mismatches[0]++;
                }
                slot.composited = true;
            }
        };
        EventHandler<FrameSlot> collect = (slot, seq, end) -> {
            if (slot.kind == FrameSlot.Kind.VIDEO) {
                indices.add(slot.index);
                timestamps.add(slot.timestampMicros);
            }
        };

        try (VideoSource source = VideoSource.open("lavfi:testsrc2=size=160x120:rate=30:duration=3", PixelLayout.RGBA)) {
            VideoWriter writer = VideoWriter.open(out, new VideoWriter.Format(160, 120, 30, 0, 0, 0, "ultrafast", 20));
            FrameGeometry geometry = new FrameGeometry(160, 120, 4, 4);
            FramePipeline pipeline = new FramePipeline(geometry, 4, status, stampMask, checkMask, collect,
                    new OutputStage(List.of(writer), null, Readback.bgrOnly(geometry), status, times, new LatencyStats()));
            Thread capture = new Thread(new CaptureLoop(source, pipeline.start(), status, times));
            capture.start();
            assertTrue(status.awaitFinished(60, TimeUnit.SECONDS), "pipeline did not finish");
            capture.join();
            pipeline.halt();
        }

        assertEquals(null, status.failure());
        assertEquals(0, mismatches[0], "masks that met another frame's pixels");
        assertEquals(FRAMES, indices.size());
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(i, indices.get(i), "frame order");
            assertEquals(Math.round(i * 1e6 / 30), timestamps.get(i), 1000, "timestamp of frame " + i);
        }
        assertEquals(FRAMES, status.framesWritten());
        assertEquals(FRAMES, countVideoFrames(out), "frames in the encoded file");
    }

    /** A sum over every pixel, so two different testsrc2 frames almost surely differ. */
    private static float checksum(FrameSlot slot) {
        ByteBuffer px = slot.pixels();
        long sum = 0;
        for (int i = 0; i < px.capacity(); i += 7) {
            sum = sum * 31 + (px.get(i) & 0xff);
        }
        return (float) (sum & 0xffffff);
    }

    private static void jitter() throws InterruptedException {
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 6));
        }
    }

    static int countVideoFrames(Path file) {
        int n = 0;
        try (VideoSource source = VideoSource.open(file.toString())) {
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    n++;
                }
            }
        }
        return n;
    }
}
