package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Segmentation;
import dev.backdrop.config.SettingValues;
import dev.backdrop.config.Settings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole `process` run's summary: every frame, its start-up told apart from the rest, how often the model ran. */
class ProcessJobTest {
    @TempDir
    Path dir;

    @Test
    void summarySplitsStartUpFromTheRateAfterIt() throws Exception {
        ProcessJob job = new ProcessJob("lavfi:testsrc2=size=320x180:rate=30:duration=2", dir.resolve("out.mp4"),
                ConfigLoader.load(Path.of("config/backdrop.yaml")), Path.of("."));
        ProcessJob.Summary s = job.run((written, expected, elapsed) -> { });
        System.out.printf("process 320x180: %d frames in %.2f s (%.1f fps); start-up %.2f s, then %.1f fps%n",
                s.frames(), s.seconds(), s.fps(), s.startupSeconds(), s.fpsAfterStartup());
        assertEquals(60, s.frames());
        // Start-up (model, GL, first frame) is a real part of the run, but not all of it.
        assertTrue(s.startupSeconds() > 0.01 && s.startupSeconds() < s.seconds(), "start-up " + s.startupSeconds());
        assertTrue(s.fpsAfterStartup() > s.fps(), "the rate after start-up must beat the whole run's");
    }

    @Test
    void withoutTheGateTheModelRunsOnOneFrameInEveryN() throws Exception {
        assertModelRuns("lavfi:testsrc2=size=320x180:rate=30:duration=2", "3", "0", 20); // frames 0, 3, 6, ...
    }

    @Test
    void aMovingPictureRunsTheModelOnEveryFrame() throws Exception {
        assertModelRuns("lavfi:testsrc2=size=320x180:rate=30:duration=2", "4", "1", 60);
    }

    @Test
    void aStillPictureRunsItOnOneFrameInEveryN() throws Exception {
        assertModelRuns("lavfi:color=c=0x807060:size=320x180:rate=30:duration=2", "4", "1", 15);
    }

    private void assertModelRuns(String input, String every, String stillBelow, long runs) throws Exception {
        SettingValues values = ConfigLoader.read(Path.of("config/backdrop.yaml"))
                .withText(Segmentation.EVERY, every, "the test").withText(Segmentation.STILL_BELOW, stillBelow, "the test");
        ProcessJob job = new ProcessJob(input, dir.resolve("out.mp4"), Settings.from(values), Path.of("."));
        ProcessJob.Summary s = job.run((written, expected, elapsed) -> { });
        assertEquals(60, s.frames(), "every frame is written");
        assertEquals(runs, s.stageTimes().inference.count(), "model runs");
    }
}
