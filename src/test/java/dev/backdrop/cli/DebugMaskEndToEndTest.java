package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.Frame;
import dev.backdrop.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backdrop process --debug-mask} and a solid-colour background, on the end-to-end test's clip. */
class DebugMaskEndToEndTest {

    private static final int FRAMES = 15;

    @TempDir
    Path dir;

    @Test
    void debugMaskIsAGreyVideoOfTheRefinedMaskAndTheBackgroundIsTheSolidColour() throws Exception {
        // The end-to-end test's clip (astronaut over testsrc2, same geometry), shorter and without audio.
        Path photo = TestMedia.shared("photos/astronaut.png");
        Path clip = dir.resolve("clip.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + ProcessEndToEndTest.W + "x" + ProcessEndToEndTest.H
                        + ":rate=30", "-i", photo.toString(),
                "-filter_complex", "[1:v]scale=288:288[p];[0:v][p]overlay=x=176:y=36,format=yuv420p[v]",
                "-map", "[v]", "-frames:v", Integer.toString(FRAMES), "-c:v", "libx264", "-crf", "18", clip.toString());
        Path out = dir.resolve("green.mp4");
        Path maskOut = dir.resolve("mask.mkv");
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(new ByteArrayOutputStream(), true));
        int code;
        try {
            code = Backdrop.commandLine().execute("process", clip.toString(), out.toString(),
                    "--background-colour", "#00ff00", "--feather-direction", "centred", "--debug-mask", maskOut.toString());
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, code);

        List<Frame> masks = ProcessEndToEndTest.decode(maskOut);
        List<Frame> frames = ProcessEndToEndTest.decode(out);
        assertEquals(FRAMES, masks.size(), "one mask frame per input frame");
        assertEquals(FRAMES, frames.size());
        int[] face = ProcessEndToEndTest.FACE;
        int[] left = ProcessEndToEndTest.BACKGROUND_LEFT;
        for (int i = 0; i < masks.size(); i++) {
            Frame m = masks.get(i);
            assertTrue(mean(m, face, 1) > 200, "frame " + i + ": the face is person in the mask: " + mean(m, face, 1));
            assertTrue(mean(m, left, 1) < 30, "frame " + i + ": the left is background in the mask: " + mean(m, left, 1));
            Frame f = frames.get(i);
            // BGR: green background (x264 in yuv420p shifts pure green a little).
            assertTrue(mean(f, left, 1) > 220 && mean(f, left, 0) < 40 && mean(f, left, 2) < 40,
                    "frame " + i + ": background is green: " + mean(f, left, 0) + "," + mean(f, left, 1) + "," + mean(f, left, 2));
        }
    }

    /** Mean of one BGR channel inside a box. */
    private static double mean(Frame f, int[] box, int channel) {
        java.nio.ByteBuffer px = (java.nio.ByteBuffer) f.image[0];
        double sum = 0;
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                sum += px.get(y * f.imageStride + x * f.imageChannels + Math.min(channel, f.imageChannels - 1)) & 0xff;
            }
        }
        return sum / ((box[2] - box[0]) * (box[3] - box[1]));
    }
}
