package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each output asked of {@code live} is opened as. */
class OutputsTest {

    @TempDir
    Path dir;

    @Test
    void theRecordingIsWrittenInLineAndThePipeAndVirtualCameraOnThreadsOfTheirOwn() {
        VideoWriter.Format format = new VideoWriter.Format(64, 48, 10, 0, 0, 0, "ultrafast", 23);
        List<FrameSink> sinks = Outputs.open(new Outputs.Request(dir.resolve("rec.mkv"), null, null,
                dir.resolve("camera.yuv").toString(), "i420", dir.resolve("pipe.nut").toString(), "nut", 1000, 1),
                format);
        try {
            assertEquals(3, sinks.size());
            assertInstanceOf(VideoWriter.class, sinks.get(0), "the recording never drops a frame");
            assertInstanceOf(AsyncSink.class, sinks.get(1), "virtual camera");
            assertInstanceOf(AsyncSink.class, sinks.get(2), "pipe");
        } finally {
            Outputs.closeQuietly(sinks);
        }
    }

    @Test
    void unknownPixelFormatsAreRefusedBeforeAnythingOpens() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Outputs.Request(null, null, null, "/dev/video9", "rgb", null, "nut", 1000, 1));
        assertTrue(e.getMessage().contains("--v4l2-format takes yuyv or i420"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Outputs.Request(null, null, null, null, "yuyv", "-", "mp4", 1000, 1));
    }
}
