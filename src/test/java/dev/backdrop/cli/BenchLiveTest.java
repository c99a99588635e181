package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --live} end to end at a small size: a fresh `backdrop live` JVM fed a paced clip, its
 * frames counted off the FIFO, FFmpeg's limit beside it. Checks the figures are there and sane,
 * never how fast they are (that is the benchmark's job).
 */
class BenchLiveTest {
    @TempDir
    Path dir;

    @Test
    void reportsFramesCpuStartUpAndTheLimit() throws Exception {
        Path json = dir.resolve("live.json");
        BackdropCli.Result r = BackdropCli.run("bench", "--live", "--size", "192x108", "--seconds", "2", "--settle", "1", "--json",
                json.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("192x108"), r.out());
        JsonObject row = JsonParser.parseString(Files.readString(json)).getAsJsonArray().get(0).getAsJsonObject();
        long frames = row.get("frames").getAsLong();
        // 1 s to settle and 2 s counted at 30 fps, the run's own count; dropped frames are counted, not written
        assertTrue(frames + row.get("dropped").getAsLong() >= 80 && frames <= 100, "frames " + frames);
        assertEquals(1.0, row.get("settleSeconds").getAsDouble());
        assertTrue(row.get("cpuMsFromStart").getAsDouble() > 0, "CPU per frame from the first frame out");
        assertTrue(row.get("limitCpuMs").getAsDouble() > 0, "FFmpeg's CPU per frame measured");
        assertTrue(row.get("pacedLimitCpuMs").getAsDouble() > 0, "FFmpeg's CPU per frame paced");
        assertTrue(row.get("cpuMs").getAsDouble() > row.get("limitCpuMs").getAsDouble() / 10, "Backdrop's CPU per frame");
        double startup = row.get("startupSeconds").getAsDouble();
        assertTrue(startup > 0.05 && startup < 60, "start-up " + startup);
        assertTrue(row.get("peakRssBytes").getAsLong() > 50L << 20, "the live process's RSS was read");
        assertTrue(row.getAsJsonObject("cpuMsByGroup").has("inference (TensorFlow pool)"), row.toString());
    }
}
