package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.testing.Sharpness;
import dev.backdrop.testing.TestMedia;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backdrop process} from file to file with every real part: FFmpeg decoding, the selfie
 * model in TensorFlow, Mesa OpenGL, x264. The clip is the astronaut photo at a fixed place over
 * FFmpeg's moving testsrc2 pattern, so the background and the face are known exactly.
 */
class ProcessEndToEndTest {

    static final int W = 640;
    static final int H = 360;
    static final int FRAMES = 45;
    /** The photo, scaled to 288x288, sits at (176, 36); everything outside it is background. */
    static final int[] BACKGROUND_LEFT = {0, 0, 150, H};      // x0, y0, x1, y1
    static final int[] BACKGROUND_RIGHT = {490, 0, W, H};
    /** The astronaut's face: photo pixels (192..256, 96..160) scaled by 0.5625 and offset. */
    static final int[] FACE = {284, 90, 320, 126};

    @TempDir
    static Path dir;
    static Path clip;
    static List<Frame> input;

    /** Made once, by the first test that needs it; each such test is skipped, with the reason, without the shared data. */
    static synchronized void needClip() throws Exception {
        Path photo = TestMedia.shared("photos/astronaut.png");
        if (clip != null) {
            return;
        }
        Path made = dir.resolve("astronaut-over-pattern.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + W + "x" + H + ":rate=30",
                "-i", photo.toString(),
                "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100",
                "-filter_complex", "[1:v]scale=288:288[p];[0:v][p]overlay=x=176:y=36,format=yuv420p[v]",
                "-map", "[v]", "-map", "2:a", "-frames:v", Integer.toString(FRAMES), "-t", "1.5",
                "-c:v", "libx264", "-crf", "18", "-c:a", "aac", made.toString());
        input = decode(made);
        clip = made;
        assertEquals(FRAMES, input.size(), "frames in the generated clip");
    }

    @Test
    void blurSoftensTheBackgroundAndLeavesTheFaceAlone() throws Exception {
        needClip();
        Path out = dir.resolve("blurred.mp4");
        String summary = run("process", clip.toString(), out.toString(), "--blur", "12");
        assertTrue(summary.contains(FRAMES + " frames"), summary);

        assertSameTiming(clip, out);
        List<Frame> output = decode(out);
        assertEquals(FRAMES, output.size(), "every input frame is in the output");
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(input.get(i).timestamp, output.get(i).timestamp, 1000, "timestamp of frame " + i);
        }
        double sharpIn = 0;
        double sharpOut = 0;
        double worstFace = 0;
        for (int i = 0; i < FRAMES; i++) {
            sharpIn += laplacianEnergy(input.get(i), BACKGROUND_LEFT) + laplacianEnergy(input.get(i), BACKGROUND_RIGHT);
            sharpOut += laplacianEnergy(output.get(i), BACKGROUND_LEFT) + laplacianEnergy(output.get(i), BACKGROUND_RIGHT);
            worstFace = Math.max(worstFace, meanAbsGreyDifference(input.get(i), output.get(i), FACE));
        }
        System.out.printf("blur: background sharpness down %.1fx, face changed %.2f grey levels at most%n",
                sharpIn / sharpOut, worstFace);
        assertTrue(sharpIn / sharpOut >= 4, "background sharpness dropped only " + sharpIn / sharpOut + "x");
        assertTrue(worstFace <= 4, "face changed by " + worstFace + " grey levels on average");
    }

    /**
     * With -Dbackdrop.yuv420=on the x264 output is given the GL's YUV 4:2:0; with off it is given
     * BGR, which swscale converts. Both must show the same picture at the same times.
     */
    @Test
    void yuvFromTheGlGivesTheSamePictureAsBgrThroughSwscale() throws Exception {
        needClip();
        Path yuv = dir.resolve("through-yuv.mp4");
        Path bgr = dir.resolve("through-bgr.mp4");
        try {
            System.setProperty(dev.backdrop.pipeline.Readback.PROPERTY, "on"); // on llvmpipe too
            run("process", clip.toString(), yuv.toString(), "--blur", "12");
            System.setProperty(dev.backdrop.pipeline.Readback.PROPERTY, "off");
            run("process", clip.toString(), bgr.toString(), "--blur", "12");
        } finally {
            System.clearProperty(dev.backdrop.pipeline.Readback.PROPERTY);
        }
        List<Frame> a = decode(yuv);
        List<Frame> b = decode(bgr);
        assertEquals(FRAMES, a.size(), "frames through YUV");
        assertEquals(FRAMES, b.size(), "frames through BGR");
        double worst = 0;
        double[] bias = new double[3];
        double[] faceBiasYuv = new double[3];
        double[] faceBiasBgr = new double[3];
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(input.get(i).timestamp, a.get(i).timestamp, 1000, "timestamp of frame " + i + " through YUV");
            assertEquals(b.get(i).timestamp, a.get(i).timestamp, "timestamps of frame " + i);
            for (int channel = 0; channel < 3; channel++) {
                double[] d = difference(a.get(i), b.get(i), channel, new int[] {0, 0, W, H});
                worst = Math.max(worst, d[0]);
                bias[channel] += d[1] / FRAMES;
                faceBiasYuv[channel] += difference(a.get(i), input.get(i), channel, FACE)[1] / FRAMES;
                faceBiasBgr[channel] += difference(b.get(i), input.get(i), channel, FACE)[1] / FRAMES;
            }
        }
        System.out.printf("yuv vs bgr path: mean abs difference %.2f levels at most; mean signed B %.2f G %.2f R %.2f;"
                + " face vs input through yuv %s, through bgr %s%n", worst, bias[0], bias[1], bias[2],
                java.util.Arrays.toString(faceBiasYuv), java.util.Arrays.toString(faceBiasBgr));
        // x264 codes the two slightly differently, and swscale truncates where the GL rounds (half a
        // level of Y, U and V: up to 1.6 in blue); a wrong matrix, range or plane order costs tens of levels
        assertTrue(worst <= 2.5, "frames differ by " + worst + " levels on average in one channel");
        for (int channel = 0; channel < 3; channel++) {
            assertTrue(Math.abs(bias[channel]) <= 2.0, "channel " + channel + " is off by " + bias[channel] + " levels");
            // the face is untouched by compositing: its colours must come through at least as truly
            assertTrue(Math.abs(faceBiasYuv[channel]) <= Math.abs(faceBiasBgr[channel]) + 0.25,
                    "face channel " + channel + " off by " + faceBiasYuv[channel] + " through YUV, "
                            + faceBiasBgr[channel] + " through BGR");
        }
    }

    /** Mean absolute and mean signed difference of one BGR channel over a box (x0, y0, x1, y1). */
    private static double[] difference(Frame a, Frame b, int channel, int[] box) {
        ByteBuffer pa = (ByteBuffer) a.image[0];
        ByteBuffer pb = (ByteBuffer) b.image[0];
        double abs = 0;
        double signed = 0;
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                int d = (pa.get(y * a.imageStride + x * 3 + channel) & 0xFF) - (pb.get(y * b.imageStride + x * 3 + channel) & 0xFF);
                abs += Math.abs(d);
                signed += d;
            }
        }
        double n = (double) (box[2] - box[0]) * (box[3] - box[1]);
        return new double[] {abs / n, signed / n};
    }

    @Test
    void backgroundImageReplacesTheBackground() throws Exception {
        needClip();
        Path image = dir.resolve("gradient.png");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "gradients=size=" + W + "x" + H + ":seed=7:speed=0", "-frames:v", "1", image.toString());
        List<Frame> expected = decode(image);
        Path out = dir.resolve("replaced.mp4");
        run("process", clip.toString(), out.toString(), "--background", image.toString());

        List<Frame> output = decode(out);
        assertEquals(FRAMES, output.size());
        double worstBackground = 0;
        double worstFace = 0;
        for (int i = 0; i < FRAMES; i++) {
            worstBackground = Math.max(worstBackground, Math.max(
                    meanAbsGreyDifference(expected.get(0), output.get(i), BACKGROUND_LEFT),
                    meanAbsGreyDifference(expected.get(0), output.get(i), BACKGROUND_RIGHT)));
            worstFace = Math.max(worstFace, meanAbsGreyDifference(input.get(i), output.get(i), FACE));
        }
        System.out.printf("replace: background off the image by %.2f grey levels, face changed %.2f at most%n",
                worstBackground, worstFace);
        assertTrue(worstBackground <= 6, "background differs from the image by " + worstBackground + " grey levels");
        assertTrue(worstFace <= 4, "face changed by " + worstFace + " grey levels on average");
    }

    @Test
    void transparentBackgroundIsWrittenAsAlpha() throws Exception {
        needClip();
        for (String name : new String[] {"alpha.webm", "alpha.mov"}) {
            Path out = dir.resolve(name);
            run("process", clip.toString(), out.toString(), "--background-colour", "transparent");
            Path alpha = dir.resolve(name + "-alpha.png");
            // the decoder named explicitly: FFmpeg's built-in VP9 decoder drops the alpha plane
            String[] decoder = name.endsWith(".webm") ? new String[] {"-c:v", "libvpx-vp9"} : new String[0];
            String[] args = new String[decoder.length + 8];
            System.arraycopy(decoder, 0, args, 0, decoder.length);
            System.arraycopy(new String[] {"-i", out.toString(), "-vf", "alphaextract", "-frames:v", "1", "-y",
                    alpha.toString()}, 0, args, decoder.length, 8);
            TestMedia.ffmpeg(args);
            byte[] a = dev.backdrop.still.StillImage.readMask(alpha, W, H);
            double background = meanOf(a, BACKGROUND_LEFT);
            double face = meanOf(a, FACE);
            System.out.printf("%s: alpha %.1f in the background, %.1f on the face%n", name, background, face);
            assertTrue(background < 10, name + ": background alpha " + background);
            assertTrue(face > 245, name + ": face alpha " + face);
        }
        BackdropCli.Result r = BackdropCli.run("process", clip.toString(), dir.resolve("no-alpha.mp4").toString(),
                "--background-colour", "transparent");
        assertEquals(BackdropCli.OUTPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains(".webm") && r.err().contains(".mov"), r.err());
    }

    private static double meanOf(byte[] grey, int[] box) {
        double sum = 0;
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                sum += grey[y * W + x] & 0xff;
            }
        }
        return sum / ((box[2] - box[0]) * (box[3] - box[1]));
    }

    @Test
    void missingInputIsOneClearLine() {
        BackdropCli.Result r = BackdropCli.run("process", dir.resolve("nope.mp4").toString(), dir.resolve("x.mp4").toString());
        assertEquals(BackdropCli.INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("nope.mp4") && r.err().contains("does not exist"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private static String run(String... args) {
        BackdropCli.Result r = BackdropCli.run(args);
        assertEquals(0, r.exitCode(), "exit code of backdrop " + String.join(" ", args) + "\n" + r.err());
        return r.out();
    }

    private static void assertSameTiming(Path in, Path out) {
        try (VideoSource a = VideoSource.open(in.toString()); VideoSource b = VideoSource.open(out.toString())) {
            assertEquals(a.width(), b.width());
            assertEquals(a.height(), b.height());
            assertEquals(a.frameRate(), b.frameRate(), 0.01, "frame rate");
            assertTrue(b.hasAudio(), "audio passed through");
            assertEquals(a.audioChannels(), b.audioChannels());
        }
    }

    /** Decodes every video frame into its own copy. */
    static List<Frame> decode(Path file) {
        List<Frame> frames = new ArrayList<>();
        try (VideoSource source = VideoSource.open(file.toString())) {
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    frames.add(f.clone());
                }
            }
        }
        return frames;
    }

    static double grey(Frame f, int x, int y) {
        return Sharpness.grey((ByteBuffer) f.image[0], f.imageStride, x, y);
    }

    static double laplacianEnergy(Frame f, int[] box) {
        return Sharpness.laplacianEnergy((ByteBuffer) f.image[0], f.imageStride, f.imageWidth, f.imageHeight,
                box[0], box[1], box[2], box[3]);
    }

    static double meanAbsGreyDifference(Frame a, Frame b, int[] box) {
        double sum = 0;
        int n = 0;
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                sum += Math.abs(grey(a, x, y) - grey(b, x, y));
                n++;
            }
        }
        return sum / n;
    }
}
