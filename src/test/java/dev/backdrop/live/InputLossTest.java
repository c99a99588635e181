package dev.backdrop.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.cli.BackdropCli;
import dev.backdrop.ffmpeg.FfmpegProgram;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backdrop live} from a network stream whose sender dies: FFmpeg sending a moving test picture
 * over UDP on loopback (MPEG-TS), killed mid-run and started again, or never.
 */
class InputLossTest {

    private static final int FPS = 15;
    private static final Pattern BACK = Pattern.compile("input back after ([\\d.]+) s; (\\d+) frames filled");
    /** A pixel channel that moves by more than this is a change in the picture, not x264 refining a still one. */
    private static final int CHANGED = 40;

    @TempDir
    Path dir;
    private int port;
    private String url;
    private Process sender;
    private Process live;

    @BeforeEach
    void freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        url = "udp://127.0.0.1:" + port;
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : new Process[] {sender, live}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void outputsShowTheLastFrameUntilTheSenderIsBack() throws Exception {
        Path record = dir.resolve("bridged.mkv");
        Path log = dir.resolve("live.log");
        startSender("sender1.log");
        live = BackdropCli.start(log, "live", "--input", url, "--record", record.toString(), "--report", "60");
        awaitLine(log, "capturing", 60);
        Thread.sleep(2500);

        long killed = System.nanoTime();
        stopSender();
        awaitLine(log, "input lost: " + url, 20);
        double toNotice = secondsSince(killed);
        Thread.sleep(2500);

        long restarted = System.nanoTime();
        startSender("sender2.log");
        awaitLine(log, "input back after", 20);
        double toResume = secondsSince(restarted);
        Thread.sleep(2500);
        live.destroy(); // SIGTERM: every output finalised, the summary printed
        assertTrue(live.waitFor(30, TimeUnit.SECONDS), "stopped");

        String out = Files.readString(log);
        assertTrue(out.contains("the outputs show the last frame; retrying for up to 30 s"), out);
        Matcher back = BACK.matcher(out);
        assertTrue(back.find(), out);
        double gone = Double.parseDouble(back.group(1));
        int filled = Integer.parseInt(back.group(2));
        assertTrue(filled >= FPS * 2, "about 15 frames a second filled for " + gone + " s: " + filled);

        Matcher summary = LiveTest.SUMMARY.matcher(out);
        assertTrue(summary.find(), "summary printed: " + out);
        int written = Integer.parseInt(summary.group(1));
        int dropped = Integer.parseInt(summary.group(4));

        Recording r = Recording.read(record);
        System.out.printf("input loss over UDP: loss noticed %.1f s after the sender died; gone %.1f s, %d frames"
                        + " filled; back %.1f s after the sender restarted; recording %d frames over %.2f s (%d dropped"
                        + " live), longest step %.3f s (%.3f s around the outage), longest still run %d frames%n",
                toNotice, gone, filled, toResume, r.frames(), r.seconds(), dropped, r.longestStep(0, r.frames()),
                r.longestStepAroundStillRun(), r.longestStillRun());
        assertEquals(written, r.frames(), "the recording takes every frame written");
        r.assertTimestampsIncrease();
        // the filler and the return leave no hole; elsewhere a frame the live stages dropped (a loaded
        // machine) leaves one frame's, counted in the summary
        assertTrue(r.longestStepAroundStillRun() <= 0.5, "longest step around the outage "
                + r.longestStepAroundStillRun() + " s");
        double expected = r.seconds() * FPS;
        assertTrue(r.frames() + dropped >= 0.9 * expected && r.frames() <= expected + 2,
                r.frames() + " frames and " + dropped + " dropped over " + r.seconds() + " s at " + FPS + " fps");
        // the filler: one picture, repeated (x264 refines it a little from frame to frame)
        assertTrue(r.longestStillRun() >= 0.8 * filled, "still run " + r.longestStillRun() + ", filled " + filled);
        // testsrc2 moves: before the loss and after the return, the picture changes from frame to frame
        assertTrue(r.movedBefore() >= FPS, "frames that moved before the loss: " + r.movedBefore());
        assertTrue(r.movedAfter() >= FPS, "frames that moved after the return: " + r.movedAfter());
    }

    @Test
    void theSoundStaysWithThePictureAcrossAnOutage() throws Exception {
        Path record = dir.resolve("sound.mkv");
        Path log = dir.resolve("live-sound.log");
        startSender("sender1.log", true);
        live = BackdropCli.start(log, "live", "--input", url, "--record", record.toString(), "--report", "60");
        awaitLine(log, "capturing", 60);
        Thread.sleep(2000);
        stopSender();
        awaitLine(log, "input lost: " + url, 20);
        Thread.sleep(2500);
        startSender("sender2.log", true);
        awaitLine(log, "input back after", 20);
        Thread.sleep(2000);
        live.destroy();
        assertTrue(live.waitFor(30, TimeUnit.SECONDS), "stopped");

        double firstPicture = -1;
        double pictureSeconds = 0;
        long samples = 0;
        int rate = 0;
        try (VideoSource source = VideoSource.open(record.toString())) {
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    firstPicture = firstPicture < 0 ? f.timestamp / 1e6 : firstPicture;
                    pictureSeconds = f.timestamp / 1e6 - firstPicture + 1.0 / FPS; // MPEG-TS starts at 1.4 s
                } else if (f.samples != null) {
                    rate = f.sampleRate;
                    int perPlane = f.samples[0].limit() - f.samples[0].position();
                    samples += f.samples.length == 1 ? perPlane / Math.max(1, f.audioChannels) : perPlane;
                }
            }
        }
        assertTrue(rate > 0, "the recording has sound: " + Files.readString(log));
        double soundSeconds = (double) samples / rate;
        System.out.printf("sound across an outage: picture %.2f s, sound %.2f s%n", pictureSeconds, soundSeconds);
        // Without silence for the filler, the sound would be short by the whole outage (about 4 s).
        assertEquals(pictureSeconds, soundSeconds, 0.6, "sound and picture last as long as each other");
    }

    @Test
    void aSenderThatNeverComesBackEndsTheRunAfterTheTimeout() throws Exception {
        Path record = dir.resolve("abandoned.mkv");
        Path log = dir.resolve("live-timeout.log");
        startSender("sender.log");
        live = BackdropCli.start(log, "live", "--input", url, "--record", record.toString(), "--input-timeout", "2");
        awaitLine(log, "capturing", 60);
        Thread.sleep(2500);
        stopSender();

        assertTrue(live.waitFor(30, TimeUnit.SECONDS), "the run ended: " + Files.readString(log));
        String out = Files.readString(log);
        assertEquals(BackdropCli.INPUT, live.exitValue(), out);
        assertTrue(out.contains("backdrop: input " + url + " has been gone for 2 s"), out);
        assertTrue(out.contains("--input-timeout"), out);

        Recording r = Recording.read(record);
        System.out.printf("input gone for good: recording %d frames over %.2f s, still run %d frames%n", r.frames(),
                r.seconds(), r.longestStillRun());
        r.assertTimestampsIncrease();
        assertTrue(r.frames() >= 2 * FPS, "the frames before the loss, then the filler: " + r.frames());
        assertTrue(r.movedBefore() >= FPS, "frames that moved before the loss: " + r.movedBefore());
    }

    private void startSender(String logName) throws IOException {
        startSender(logName, false);
    }

    /** withSound: a 440 Hz tone beside the picture (MP2 in the same MPEG-TS). */
    private void startSender(String logName, boolean withSound) throws IOException {
        List<String> args = new ArrayList<>(List.of("-re", "-f", "lavfi", "-i", "testsrc2=size=192x108:rate=" + FPS));
        if (withSound) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-c:a", "mp2"));
        }
        args.addAll(List.of("-c:v", "mpeg2video", "-g", String.valueOf(FPS), "-f", "mpegts", url + "?pkt_size=1316"));
        try {
            sender = FfmpegProgram.start(dir.resolve(logName), args.toArray(String[]::new));
        } catch (IOException | UnsatisfiedLinkError e) {
            assumeTrue(false, "JavaCV's ffmpeg program cannot run here: " + e);
        }
    }

    private void stopSender() throws InterruptedException {
        sender.destroyForcibly(); // as a sender that crashes or loses its network: nothing more arrives
        sender.waitFor(10, TimeUnit.SECONDS);
    }

    private void awaitLine(Path log, String text, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.readString(log).contains(text)) {
            assertTrue(live.isAlive() && System.nanoTime() < deadline, "no \"" + text + "\" in: " + Files.readString(log));
            Thread.sleep(50);
        }
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    /**
     * A recording's timestamps, and for each frame whether its picture changed from the one before (some
     * pixel channels moved by more than {@link #CHANGED}: testsrc2's moving parts, not the encoder's noise).
     */
    private record Recording(List<Long> timestamps, List<Boolean> changed) {

        static Recording read(Path file) {
            List<Long> timestamps = new ArrayList<>();
            List<Boolean> changed = new ArrayList<>();
            byte[] previous = null;
            try (VideoSource source = VideoSource.open(file.toString())) {
                for (Frame f = source.grab(); f != null; f = source.grab()) {
                    if (f.image == null) {
                        continue;
                    }
                    byte[] pixels = new byte[f.imageStride * f.imageHeight];
                    ((ByteBuffer) f.image[0]).get(0, pixels);
                    timestamps.add(f.timestamp);
                    changed.add(previous != null && changedShare(previous, pixels) > 0.001);
                    previous = pixels;
                }
            }
            return new Recording(timestamps, changed);
        }

        private static double changedShare(byte[] a, byte[] b) {
            int n = 0;
            for (int i = 0; i < a.length; i++) {
                n += Math.abs((a[i] & 255) - (b[i] & 255)) > CHANGED ? 1 : 0;
            }
            return n / (double) a.length;
        }

        int frames() {
            return timestamps.size();
        }

        double seconds() {
            return (timestamps.get(frames() - 1) - timestamps.get(0)) / 1e6 + 1.0 / FPS;
        }

        void assertTimestampsIncrease() {
            for (int i = 1; i < frames(); i++) {
                assertTrue(timestamps.get(i) > timestamps.get(i - 1), "timestamps at frame " + i + ": "
                        + timestamps.get(i - 1) + " then " + timestamps.get(i));
            }
        }

        /** The longest step between the timestamps of frames from .. to - 1, in seconds. */
        double longestStep(int from, int to) {
            long longest = 0;
            for (int i = Math.max(1, from); i < Math.min(to, frames()); i++) {
                longest = Math.max(longest, timestamps.get(i) - timestamps.get(i - 1));
            }
            return longest / 1e6;
        }

        /** Into the longest still run (the filler), through it, and out of it. */
        double longestStepAroundStillRun() {
            int[] run = stillRun();
            return longestStep(run[0], run[0] + run[1] + 1);
        }

        /** The longest run of frames showing the picture before them. */
        int longestStillRun() {
            return stillRun()[1];
        }

        /** {first frame, length} of the longest still run. */
        private int[] stillRun() {
            int bestStart = 0;
            int best = 0;
            int start = 0;
            for (int i = 1; i <= frames(); i++) {
                if (i == frames() || changed.get(i)) {
                    if (i - start > best) {
                        best = i - start;
                        bestStart = start;
                    }
                    start = i;
                }
            }
            return new int[] {bestStart, best};
        }

        /** Frames before the longest still run whose picture changed. */
        int movedBefore() {
            return moved(1, stillRun()[0]);
        }

        /** Frames after the longest still run whose picture changed. */
        int movedAfter() {
            int[] run = stillRun();
            return moved(run[0] + run[1], frames());
        }

        private int moved(int from, int to) {
            int moved = 0;
            for (int i = from; i < to; i++) {
                moved += changed.get(i) ? 1 : 0;
            }
            return moved;
        }
    }
}
