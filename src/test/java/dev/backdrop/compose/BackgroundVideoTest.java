package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Background;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.testing.TestMedia;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A video file as the background: real FFmpeg decoding, real GL compositing. */
class BackgroundVideoTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");
    private static final int W = 96;
    private static final int H = 64;
    private static final int FRAMES = 10;
    /** The clip's frame rate: 10 fps, a frame every 100 ms. */
    private static final long FRAME_MICROS = 100_000;

    @TempDir
    Path dir;


    /** testsrc2 (a moving pattern), losslessly coded so the decoded frames are the reference. */
    private Path clip(String name) throws Exception {
        Path clip = dir.resolve(name);
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + W + "x" + H + ":rate=10",
                "-frames:v", Integer.toString(FRAMES), "-pix_fmt", "yuv420p", "-c:v", "ffv1", clip.toString());
        return clip;
    }

    /** Every frame of the clip, decoded by FFmpeg as BGR into frames of the compositor's layout. */
    private static List<Frame> decode(Path clip) {
        List<Frame> frames = new ArrayList<>();
        try (VideoSource source = VideoSource.open(clip.toString())) {
            for (org.bytedeco.javacv.Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image == null) {
                    continue;
                }
                Frame copy = new Frame(W, H);
                ByteBuffer pixels = (ByteBuffer) f.image[0];
                for (int y = 0; y < H; y++) {
                    copy.data.put(y * copy.stride, pixels, y * f.imageStride, W * 3);
                }
                frames.add(copy);
            }
        }
        return frames;
    }

    private static double meanDifference(Frame a, Frame b) {
        long sum = 0;
        for (int y = 0; y < a.height; y++) {
            for (int x = 0; x < a.width; x++) {
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs(a.get(x, y, c) - b.get(x, y, c));
                }
            }
        }
        return (double) sum / (a.width * a.height * 3);
    }

    @Test
    void theBackgroundPlaysTheClipInStepWithTheOutputTimesAndLoops() throws Exception {
        Path clip = clip("pattern.mkv");
        List<Frame> reference = decode(clip);
        assertEquals(FRAMES, reference.size(), "frames in the generated clip");
        assertTrue(meanDifference(reference.get(0), reference.get(5)) > 5, "the test clip must move");

        Frame person = Frame.noise(W, H, 4);
        FloatBuffer allBackground = Frame.mask(8, 8, (x, y) -> 0f);
        ComposeSettings settings = ComposeSettings.DEFAULT.with(Background.DEFAULT.withFile(clip.toString(), Background.Fit.COVER));
        long start = 7_000_000; // output times need not start at 0
        try (Compositor c = new GlCompositor(new FrameGeometry(W, H, 8, 8), settings, SHADERS)) {
            Frame previous = null;
            // Two and a half loops: frame i of the output shows frame i mod 10 of the background.
            for (int i = 0; i < 25; i++) {
                Frame out = new Frame(W, H);
                // Half a frame late, as output times of another frame rate would be.
                long time = start + i * FRAME_MICROS + (i % 2) * FRAME_MICROS / 2;
                c.render(person.data, person.stride, allBackground, time);
                c.readBack(out.data);
                Frame expected = reference.get(i % FRAMES);
                double diff = meanDifference(out, expected);
                assertTrue(diff < 1.5, "output frame " + i + " differs from background frame " + (i % FRAMES)
                        + " by " + diff + " on average");
                if (previous != null) {
                    assertTrue(meanDifference(out, previous) > 1, "the background must change at frame " + i);
                }
                previous = out;
            }
            // reset (a new clip): the background starts over.
            c.reset();
            Frame out = new Frame(W, H);
            c.render(person.data, person.stride, allBackground, 0);
            c.readBack(out.data);
            assertTrue(meanDifference(out, reference.get(0)) < 1.5, "after reset the background starts over");
        }
    }

    @Test
    void aRedThenBlueClipTurnsTheBackgroundFromRedToBlue() throws Exception {
        Path clip = dir.resolve("red-blue.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "color=c=red:s=32x32:r=10:d=0.5", "-f", "lavfi", "-i",
                "color=c=blue:s=32x32:r=10:d=0.5", "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p",
                "-c:v", "libx264", "-crf", "10", clip.toString());
        // 32x32 stretched over 96x64, waiting for nothing in particular: wall-clock pacing is not used here.
        ComposeSettings settings = ComposeSettings.DEFAULT.with(Background.DEFAULT.withFile(clip.toString(), Background.Fit.STRETCH));
        try (Compositor c = new GlCompositor(new FrameGeometry(W, H, 8, 8), settings, SHADERS)) {
            Frame person = Frame.noise(W, H, 5);
            int[][] expected = {{0, 0, 255}, {0, 0, 255}, {255, 0, 0}, {255, 0, 0}, {0, 0, 255}};
            long[] times = {0, 300_000, 600_000, 900_000, 1_050_000};
            for (int i = 0; i < times.length; i++) {
                Frame out = new Frame(W, H);
                c.render(person.data, person.stride, Frame.mask(8, 8, (x, y) -> 0f), times[i]);
                c.readBack(out.data);
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(expected[i][ch], out.get(W / 2, H / 2, ch), 12,
                            "channel " + ch + " at " + times[i] + " us");
                }
            }
        }
    }

    @Test
    void aFileThatIsNotAVideoIsNamedInTheError() throws Exception {
        Path notVideo = dir.resolve("notes.mp4");
        Files.writeString(notVideo, "not a video");
        ComposeSettings settings = ComposeSettings.DEFAULT.with(Background.DEFAULT.withFile(notVideo.toString(), Background.Fit.COVER));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GlCompositor(new FrameGeometry(W, H, 8, 8), settings, SHADERS));
        assertTrue(e.getMessage().contains(notVideo.toAbsolutePath().toString()), e.getMessage());
        Path missing = dir.resolve("missing.webm");
        e = assertThrows(IllegalArgumentException.class, () -> BackgroundVideo.check(missing));
        assertTrue(e.getMessage().contains("missing.webm") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void theSettingsTellAVideoFromAnImage() throws Exception {
        Path mkv = clip("pattern.mkv");
        Path noExtension = dir.resolve("pattern-video");
        Files.copy(mkv, noExtension);
        Path png = dir.resolve("still.png");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", png.toString());
        Path junk = dir.resolve("junk.dat");
        Files.writeString(junk, "neither");

        BackgroundFile video = fileFor(mkv);
        assertEquals(mkv, ((BackgroundFile.Video) video).file());
        assertEquals(false, video instanceof BackgroundFile.Image);
        assertEquals(noExtension, ((BackgroundFile.Video) fileFor(noExtension)).file(), "FFmpeg is tried when OpenCV cannot read it");
        BackgroundFile image = fileFor(png);
        assertEquals(false, image instanceof BackgroundFile.Video);
        assertEquals(16, ((BackgroundFile.Image) image).pixels().width());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fileFor(junk));
        assertTrue(e.getMessage().contains(junk.toAbsolutePath().toString()), e.getMessage());
    }

    private static BackgroundFile fileFor(Path background) {
        return BackgroundFile.of(dev.backdrop.config.ConfigLoader.parse(
                "compose:\n  background: \"" + background + "\"\n", "test.yaml").compose().background());
    }
}
