package dev.backdrop.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.still.StillImage;
import dev.backdrop.testing.Sharpness;
import dev.backdrop.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live --window} in a real X server (Xvfb): a screenshot of the window shows the blurred
 * background, the B hotkey sent through X (xdotool) turns the blur off, Q quits cleanly.
 */
class WindowTest {

    static final String PACED = "lavfi:testsrc2=size=640x360:rate=30";

    @TempDir
    Path dir;

    @Test
    void windowShowsTheBlurAndHotkeysWork() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/Xvfb")) && Files.isExecutable(Path.of("/usr/bin/xdotool")),
                "needs Xvfb and xdotool (apt-get install xvfb xdotool; .ci/run installs them)");
        int free = 90;
        while (Files.exists(Path.of("/tmp/.X" + free + "-lock")) && free < 199) {
            free++; // another X server (or a stale lock) holds it
        }
        String display = ":" + free;
        Process xvfb = new ProcessBuilder("/usr/bin/Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.log").toFile()).start();
        Path log = dir.resolve("live.log");
        Process live = null;
        try {
            Thread.sleep(1000);
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.backdrop.cli.Backdrop",
                    "live", "--input", PACED, "--window", "--seconds", "60")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("DISPLAY", display);
            live = pb.start();
            waitFor(log, "capturing", live);
            Thread.sleep(2500);

            Path reference = dir.resolve("reference.png");
            TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-frames:v", "1", reference.toString());
            double sharp = laplacianEnergy(StillImage.read(reference));
            double blurred = laplacianEnergy(screenshot(display, "blurred.png"));
            System.out.printf("window: sharpness of the input %.1f, of the window %.1f%n", sharp, blurred);
            assertTrue(sharp / blurred >= 4, "the window is not blurred: " + sharp + " vs " + blurred);

            String window = xdotool(display, "search", "--name", "Backdrop").lines().findFirst().orElseThrow();
            xdotool(display, "windowfocus", window);
            xdotool(display, "key", "b");
            waitFor(log, "hotkey: compose.blur 0", live);
            Thread.sleep(1500);
            double unblurred = laplacianEnergy(screenshot(display, "unblurred.png"));
            System.out.printf("window after B: sharpness %.1f%n", unblurred);
            assertTrue(unblurred > sharp / 2, "B did not turn the blur off: " + unblurred + " vs " + sharp);

            xdotool(display, "key", "q");
            assertTrue(live.waitFor(20, TimeUnit.SECONDS), "Q did not end the run");
            assertEquals(0, live.exitValue(), Files.readString(log));
            assertTrue(Files.readString(log).contains("frames in"), "summary printed: " + Files.readString(log));
        } finally {
            if (live != null) {
                live.destroyForcibly();
            }
            xvfb.destroyForcibly();
        }
    }

    private StillImage screenshot(String display, String name) throws Exception {
        Path file = dir.resolve(name);
        TestMedia.ffmpeg("-f", "x11grab", "-video_size", "640x360", "-i", display + "+0,0", "-frames:v", "1", file.toString());
        return StillImage.read(file);
    }

    private static String xdotool(String display, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "/usr/bin/xdotool";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "xdotool " + String.join(" ", args) + ": " + out);
        return out;
    }

    private static void waitFor(Path log, String text, Process live) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            assertTrue(live.isAlive(), "backdrop live ended early: " + Files.readString(log));
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in the log: " + Files.readString(log));
    }

    static double laplacianEnergy(StillImage image) {
        return Sharpness.laplacianEnergy(image.bgr, image.stride, image.width, image.height, 0, 0, image.width, image.height);
    }
}
