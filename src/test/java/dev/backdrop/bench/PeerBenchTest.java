package dev.backdrop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.ffmpeg.FfmpegProgram;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU peer of {@code bench --peers} for real (bench/peer in headless Chromium, a few frames at 320x180):
 * it runs on XNNPACK, reports a rate, and its mask is the person's: in its last composited frame the
 * astronaut keeps the frame's detail while the photo's background behind her loses most of it to the blur. Needs
 * node, chromium and {@code npm ci} in bench/peer (.ci/run does both); skipped with the reason shown otherwise.
 */
class PeerBenchTest {

    private static final Path CLIP = Path.of("samples/astronaut.mp4");

    @TempDir
    Path dir;

    @Test
    void theCpuPeerSegmentsThePersonOnXnnpack() throws Exception {
        PeerBench peers = new PeerBench(Path.of("."), dir);
        String why = peers.unavailable();
        assumeTrue(why == null, why);
        Path sample = dir.resolve("sample.jpg");
        List<PeerResult> results = peers.run(CLIP, "320x180", 12, "tasks-cpu", "--warmup", "2",
                "--sample", sample.toString());

        assertEquals(1, results.size());
        PeerResult r = results.get(0);
        System.out.println("tasks-cpu peer at 320x180: " + r);
        assertEquals("mediapipe-tasks-cpu", r.peer());
        assertEquals("wasm cpu (XNNPACK)", r.backend(), "TFLite logged its XNNPACK delegate");
        assertEquals(12, r.frames());
        assertTrue(r.fps() > 0 && r.msSegment() > 0 && r.msComposite() > 0 && r.startupMs() > 0, r.toString());

        // The same frame as the page's last (2 warm-up + 12 timed), scaled the same way, unblurred.
        FfmpegProgram.run("-i", CLIP.toString(), "-vf", "scale=320:180:flags=bicubic", "-frames:v", "14",
                dir.resolve("f%02d.png").toString());
        BufferedImage original = ImageIO.read(dir.resolve("f14.png").toFile());
        BufferedImage out = ImageIO.read(sample.toFile());
        // Her face and suit; the space shuttle behind her (the test pattern around the photo is mostly flat).
        double person = detail(out, 0.45, 0.62, 0.15, 0.75) / detail(original, 0.45, 0.62, 0.15, 0.75);
        double background = detail(out, 0.66, 0.8, 0.08, 0.5) / detail(original, 0.66, 0.8, 0.08, 0.5);
        System.out.printf("detail kept: person %.2f, background %.2f%n", person, background);
        assertTrue(person > 0.7, "the person stays sharp: " + person);
        assertTrue(background < 0.4, "the background is blurred: " + background);
    }

    /** Mean absolute horizontal difference of luma in a box (fractions of the width and height). */
    private static double detail(BufferedImage img, double x0, double x1, double y0, double y1) {
        double sum = 0;
        int n = 0;
        for (int y = (int) (y0 * img.getHeight()); y < (int) (y1 * img.getHeight()); y++) {
            for (int x = (int) (x0 * img.getWidth()) + 1; x < (int) (x1 * img.getWidth()); x++) {
                sum += Math.abs(luma(img.getRGB(x, y)) - luma(img.getRGB(x - 1, y)));
                n++;
            }
        }
        return sum / n;
    }

    private static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 255) + 0.587 * (rgb >> 8 & 255) + 0.114 * (rgb & 255);
    }
}
