package dev.backdrop.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2RGBA_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.config.Background;
import dev.backdrop.config.Blur;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Edge;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.backdrop.testing.TestMedia;

/**
 * The CPU compositor against the GL one (the reference): the same frames of the sample clip (a
 * real person over a moving pattern) and a moving head-and-shoulders mask through both, for each
 * kind of background, both frame layouts, a feather, the light wrap and a model mask larger than
 * the working size. Pictures and refined masks must agree within a few levels.
 */
class CpuCompositorTest {
    private static final Path SHADERS = Path.of("shaders");
    private static final int FRAMES = 8;
    /** A pixel "differs" when any channel is further apart than this many levels. */
    private static final int LEVELS = 12;

    private static HeadlessGl gl;
    private static List<ByteBuffer> clip;
    /** The same frames as the decoder gives them in I420 (tight planes). */
    private static List<ByteBuffer> clipI420;
    private static int width;
    private static int height;

    @BeforeAll
    static void readClip() throws Exception {
        gl = HeadlessGl.create();
        clip = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber("samples/astronaut.mp4")) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGBA);
            grabber.setImageWidth(640);
            grabber.setImageHeight(360);
            grabber.start();
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
            while (clip.size() < FRAMES) {
                org.bytedeco.javacv.Frame f = grabber.grabImage();
                ByteBuffer copy = ByteBuffer.allocateDirect(PixelLayout.RGBA.stride(width) * height);
                ByteBuffer from = (ByteBuffer) f.image[0];
                for (int y = 0; y < height; y++) {
                    copy.put(y * PixelLayout.RGBA.stride(width), from, y * f.imageStride, width * 4);
                }
                clip.add(copy);
            }
        }
        clipI420 = Frame.i420Frames("samples/astronaut.mp4", width, height, FRAMES);
    }

    @AfterAll
    static void closeGl() {
        gl.close();
    }

    @Test
    void blurMatchesTheShaders() {
        compare(ComposeSettings.DEFAULT, null, PixelLayout.RGBA, 256, 144);
    }

    @Test
    void strongBlurWithAFeatherMatches() {
        ComposeSettings s = ComposeSettings.DEFAULT.with(new Blur(40f, 0.25f))
                .with(new Edge(0.3f, 0.7f, 6f, Edge.FeatherDirection.INWARD));
        compare(s, null, PixelLayout.RGBA, 256, 144);
    }

    @Test
    void bgrFramesAndASquareMaskMatch() {
        compare(ComposeSettings.DEFAULT.with(new Edge(0.3f, 0.7f, 3f, Edge.FeatherDirection.OUTWARD)), null,
                PixelLayout.BGR24, 256, 256);
    }

    @Test
    void colourWithLightWrapMatches() {
        compare(ComposeSettings.DEFAULT.with(new Background("", Background.Fit.COVER, "#00b140", 0.6f)), null,
                PixelLayout.RGBA, 256, 144);
    }

    @Test
    void fittedImageMatches() {
        BackgroundImage image = gradient(300, 400);
        compare(ComposeSettings.DEFAULT.with(new Background("", Background.Fit.FIT, "#203040", 0f)),
                new BackgroundFile.Image(image), PixelLayout.RGBA, 256, 144);
        compare(ComposeSettings.DEFAULT.with(new Background("", Background.Fit.COVER, "", 0.3f)),
                new BackgroundFile.Image(image), PixelLayout.RGBA, 256, 144);
    }

    @Test
    void backgroundVideoMatches(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("background.mkv");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-frames:v", "6", "-pix_fmt", "yuv420p",
                "-c:v", "ffv1", clip.toString());
        ComposeSettings s = ComposeSettings.DEFAULT.with(new Background(clip.toString(), Background.Fit.COVER, "", 0.2f));
        compare(s, BackgroundFile.open(clip), PixelLayout.RGBA, 256, 144);
    }

    @Test
    void transparentAndUnblurredMatch() {
        compare(ComposeSettings.DEFAULT.with(new Background("", Background.Fit.COVER, Background.TRANSPARENT, 0f)), null,
                PixelLayout.RGBA, 256, 144);
        compare(ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), null, PixelLayout.BGR24, 256, 144);
    }

    @Test
    void aCoarseMaskTakesTheGuideAsTheMeanUnderEachTexel() {
        compare(ComposeSettings.DEFAULT, null, PixelLayout.RGBA, 64, 36); // 10 frame pixels a texel: several taps on the GL
    }

    @Test
    void largeModelMaskIsShrunkAsOnTheGl() {
        compare(ComposeSettings.DEFAULT, null, PixelLayout.RGBA, 1280, 720); // over MaskRefiner.MAX_MASK_TEXELS
    }

    @Test
    void rowsPaddedBeyondTheirPixelsMatch() {
        // 322 pixels: 966 bytes of BGR in rows of 968, and 1288 of RGBA; 181 rows
        List<ByteBuffer> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            Frame noise = Frame.noise(322, 181, i);
            ByteBuffer rgba = ByteBuffer.allocateDirect(PixelLayout.RGBA.stride(322) * 181);
            for (int y = 0; y < 181; y++) {
                for (int x = 0; x < 322; x++) {
                    rgba.put(y * 1288 + x * 4, (byte) noise.get(x, y, 2)).put(y * 1288 + x * 4 + 1, (byte) noise.get(x, y, 1))
                            .put(y * 1288 + x * 4 + 2, (byte) noise.get(x, y, 0)).put(y * 1288 + x * 4 + 3, (byte) 255);
                }
            }
            frames.add(rgba);
        }
        // Shrunk 2.2x: the GL takes its mipmaps (trilinear), the CPU engine the area mean, which differ on
        // sharp detail; a smooth image tests the fit, the padding and the wrap.
        BackgroundImage image = smoothGradient(300, 400);
        for (PixelLayout layout : new PixelLayout[] {PixelLayout.RGBA, PixelLayout.BGR24}) {
            compare(frames, 322, 181, ComposeSettings.DEFAULT, null, layout, 64, 36);
            compare(frames, 322, 181, ComposeSettings.DEFAULT.with(new Background("", Background.Fit.FIT, "#203040", 0.5f)),
                    new BackgroundFile.Image(image), layout, 64, 36);
        }
    }

    @Test
    void i420FramesMatchTheShadersInYuv() {
        compareI420(ComposeSettings.DEFAULT, null, 256, 144);
        compareI420(ComposeSettings.DEFAULT.with(new Blur(40f, 0.25f))
                .with(new Edge(0.3f, 0.7f, 6f, Edge.FeatherDirection.INWARD)), null, 256, 256);
        compareI420(ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), null, 256, 144);
        compareI420(ComposeSettings.DEFAULT, null, 64, 36); // several guide taps, on each plane
    }

    @Test
    void i420ReplacementsMatchTheShadersInYuv() {
        compareI420(ComposeSettings.DEFAULT.with(new Background("", Background.Fit.COVER, "#00b140", 0.6f)), null,
                256, 144);
        compareI420(ComposeSettings.DEFAULT.with(new Background("", Background.Fit.FIT, "#203040", 0.3f)),
                new BackgroundFile.Image(gradient(300, 400)), 256, 144);
    }

    /**
     * The CPU engine on the decoder's I420 frames against the GL on the same pictures in RGBA (as
     * OpenCV converts them, BT.601 limited range as swscale), both read back as I420: the Y plane
     * pixel by pixel and the chroma planes sample by sample, and the refined masks. The CPU blends
     * each 2x2 block's chroma with its mean mask where the GL averages the blended colours, which
     * differ only in blocks the edge crosses.
     */
    private static void compareI420(ComposeSettings settings, BackgroundFile file, int maskW, int maskH) {
        FrameGeometry geometry = new FrameGeometry(width, height, maskW, maskH);
        int bytes = PixelLayout.I420.frameBytes(width, height);
        int rgbaStride = PixelLayout.RGBA.stride(width);
        int maskStride = Compositor.maskStride(width);
        try (Compositor glc = Compositor.builder(geometry).settings(settings).shaders(SHADERS).layout(PixelLayout.RGBA)
                .background(file).build();
             Compositor cpu = Compositor.builder(geometry).settings(settings).layout(PixelLayout.I420).background(file)
                .engine(Compositor.Engine.CPU).build();
             Mat rgba = new Mat()) {
            glc.drawMask(true);
            cpu.drawMask(true);
            ByteBuffer a = ByteBuffer.allocateDirect(rgbaStride * height);
            ByteBuffer b = ByteBuffer.allocateDirect(bytes);
            ByteBuffer outA = ByteBuffer.allocateDirect(bytes);
            ByteBuffer maskA = ByteBuffer.allocateDirect(maskStride * height);
            ByteBuffer maskB = ByteBuffer.allocateDirect(maskStride * height);
            for (int i = 0; i < FRAMES; i++) {
                b.put(0, clipI420.get(i), 0, bytes);
                try (Mat whole = new Mat(height * 3 / 2, width, CV_8UC1, new BytePointer(b), width)) {
                    cvtColor(whole, rgba, COLOR_YUV2RGBA_I420);
                }
                ByteBuffer converted = rgba.createBuffer();
                for (int y = 0; y < height; y++) {
                    a.put(y * rgbaStride, converted, (int) (y * rgba.step()), width * 4);
                }
                FloatBuffer mask = movingPerson(maskW, maskH, i);
                glc.render(a, rgbaStride, mask, i * 33_333L);
                cpu.render(b, width, mask, i * 33_333L);
                glc.readBackYuv420(outA);
                glc.readBackMask(maskA);
                cpu.readBackMask(maskB);
                String what = settings.background() + " " + settings.blur() + " " + settings.edge() + " I420 mask "
                        + maskW + "x" + maskH + " frame " + i;
                int cw = width / 2;
                int ch = height / 2;
                double[] luma = difference(outA, b, width, height, width, 1, 1);
                double[] blue = difference(outA.slice(width * height, cw * ch), b.slice(width * height, cw * ch),
                        cw, ch, cw, 1, 1);
                double[] red = difference(outA.slice(width * height + cw * ch, cw * ch),
                        b.slice(width * height + cw * ch, cw * ch), cw, ch, cw, 1, 1);
                double[] refined = difference(maskA, maskB, width, height, maskStride, 1, 1);
                System.out.printf("%s: Y mean %.3f, %.4f%% over %d; U %.3f, %.4f%%; V %.3f, %.4f%%; mask %.3f, %.4f%%%n",
                        what, luma[0], 100 * luma[1], LEVELS, blue[0], 100 * blue[1], red[0], 100 * red[1], refined[0],
                        100 * refined[1]);
                for (double[] plane : new double[][] {luma, blue, red}) {
                    assertTrue(plane[0] < 1.0 && plane[1] < 0.005, "I420 picture differs from the GL's: " + what);
                }
                // The guide is sampled from 8-bit Y, U and V and converted, where the GL samples 8-bit RGB: the
                // roundings differ, and a coarse mask's guided filter follows the guide closely (64x36: up to
                // 0.74% of mask pixels over 12 levels, while the pictures stay within 0.1%).
                assertTrue(refined[0] < 1.0 && refined[1] < 0.01, "refined mask differs from the GL's: " + what);
            }
        }
    }

    /** Runs both engines over the clip and checks every frame's picture and refined mask. */
    private static void compare(ComposeSettings settings, BackgroundFile file, PixelLayout layout, int maskW, int maskH) {
        compare(clip, width, height, settings, file, layout, maskW, maskH);
    }

    /** Runs both engines over these RGBA frames and checks every frame's picture and refined mask. */
    private static void compare(List<ByteBuffer> frames, int width, int height, ComposeSettings settings,
                                BackgroundFile file, PixelLayout layout, int maskW, int maskH) {
        FrameGeometry geometry = new FrameGeometry(width, height, maskW, maskH);
        int stride = layout.stride(width);
        int maskStride = Compositor.maskStride(width);
        try (Compositor glc = Compositor.builder(geometry).settings(settings).shaders(SHADERS).layout(layout)
                .background(file).build();
             Compositor cpu = Compositor.builder(geometry).settings(settings).layout(layout).background(file)
                .engine(Compositor.Engine.CPU).build()) {
            // Files' pace: each waits for the background video's frame at its time, so both show the same one.
            glc.backgroundVideoLive(false);
            cpu.backgroundVideoLive(false);
            glc.drawMask(true);
            cpu.drawMask(true);
            ByteBuffer a = ByteBuffer.allocateDirect(stride * height);
            ByteBuffer b = ByteBuffer.allocateDirect(stride * height);
            ByteBuffer outA = ByteBuffer.allocateDirect(stride * height);
            ByteBuffer outB = ByteBuffer.allocateDirect(stride * height);
            ByteBuffer maskA = ByteBuffer.allocateDirect(maskStride * height);
            ByteBuffer maskB = ByteBuffer.allocateDirect(maskStride * height);
            for (int i = 0; i < FRAMES; i++) {
                frameIn(frames.get(i), width, height, layout, a);
                frameIn(frames.get(i), width, height, layout, b);
                FloatBuffer mask = movingPerson(maskW, maskH, i);
                glc.render(a, stride, mask, i * 33_333L);
                cpu.render(b, stride, mask, i * 33_333L);
                glc.readBack(outA);
                cpu.readBack(outB);
                glc.readBackMask(maskA);
                cpu.readBackMask(maskB);
                String what = settings.background() + " " + settings.blur() + " " + settings.edge() + " " + layout
                        + " mask " + maskW + "x" + maskH + " frame " + i;
                double[] picture = difference(outA, outB, width, height, stride, layout.channels, 3);
                double[] refined = difference(maskA, maskB, width, height, maskStride, 1, 1);
                System.out.printf("%s: picture mean %.3f, %.4f%% over %d; mask mean %.3f, %.4f%% over %d%n", what,
                        picture[0], 100 * picture[1], LEVELS, refined[0], 100 * refined[1], LEVELS);
                assertTrue(picture[0] < 1.0 && picture[1] < 0.005, "picture differs from the GL's: " + what);
                assertTrue(refined[0] < 1.0 && refined[1] < 0.005, "refined mask differs from the GL's: " + what);
            }
            if (layout == PixelLayout.RGBA && settings.background().transparent()) {
                ByteBuffer bgraA = ByteBuffer.allocateDirect(width * 4 * height);
                ByteBuffer bgraB = ByteBuffer.allocateDirect(width * 4 * height);
                glc.readBackBgra(bgraA);
                cpu.readBackBgra(bgraB);
                double[] all = difference(bgraA, bgraB, width, height, width * 4, 4, 4);
                assertTrue(all[0] < 1.0 && all[1] < 0.005, "BGRA with the mask as alpha differs: mean " + all[0]);
            }
        }
    }

    /** An RGBA frame in this layout. */
    private static void frameIn(ByteBuffer rgba, int width, int height, PixelLayout layout, ByteBuffer into) {
        int stride = layout.stride(width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int from = y * PixelLayout.RGBA.stride(width) + x * 4;
                int to = y * stride + x * layout.channels;
                if (layout == PixelLayout.RGBA) {
                    into.putInt(to, rgba.getInt(from));
                } else {
                    into.put(to, rgba.get(from + 2)).put(to + 1, rgba.get(from + 1)).put(to + 2, rgba.get(from));
                }
            }
        }
    }

    /** Frame.personMask's silhouette moving right by 2% of the frame per frame: the temporal pass sees motion. */
    private static FloatBuffer movingPerson(int maskW, int maskH, int frame) {
        FloatBuffer still = Frame.personMask(maskW, maskH);
        int shift = Math.round(maskW * 0.02f * frame);
        return Frame.mask(maskW, maskH, (x, y) -> x - shift >= 0 ? still.get(y * maskW + x - shift) : 0f);
    }

    /** {mean |a - b| over the first `compared` channels, fraction of pixels with any of them over LEVELS apart}. */
    private static double[] difference(ByteBuffer a, ByteBuffer b, int width, int height, int stride, int channels,
                                       int compared) {
        long sum = 0;
        long over = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int worst = 0;
                for (int c = 0; c < compared; c++) {
                    int i = y * stride + x * channels + c;
                    int d = Math.abs((a.get(i) & 0xFF) - (b.get(i) & 0xFF));
                    sum += d;
                    worst = Math.max(worst, d);
                }
                if (worst > LEVELS) {
                    over++;
                }
            }
        }
        return new double[] {(double) sum / ((long) width * height * compared), (double) over / ((long) width * height)};
    }

    private static BackgroundImage smoothGradient(int w, int h) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels.put((y * w + x) * 3, (byte) (x * 255 / w)).put((y * w + x) * 3 + 1, (byte) (y * 255 / h))
                        .put((y * w + x) * 3 + 2, (byte) (128 + 100 * Math.sin((x + y) / 40.0)));
            }
        }
        return new BackgroundImage(w, h, pixels);
    }

    private static BackgroundImage gradient(int w, int h) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels.put((y * w + x) * 3, (byte) (x * 255 / w)).put((y * w + x) * 3 + 1, (byte) (y * 255 / h))
                        .put((y * w + x) * 3 + 2, (byte) ((x + y) % 64 * 4));
            }
        }
        return new BackgroundImage(w, h, pixels);
    }

    @Test
    void readsBackTheLayoutAsked() {
        FrameGeometry geometry = new FrameGeometry(width, height, 256, 144);
        try (Compositor cpu = Compositor.builder(geometry).layout(PixelLayout.RGBA).engine(Compositor.Engine.CPU).build()) {
            ByteBuffer frame = ByteBuffer.allocateDirect(PixelLayout.RGBA.stride(width) * height);
            frameIn(clip.get(0), width, height, PixelLayout.RGBA, frame);
            cpu.render(frame, PixelLayout.RGBA.stride(width), Frame.personMask(256, 144));
            ByteBuffer rgba = ByteBuffer.allocateDirect(frame.capacity());
            cpu.readBack(rgba);
            cpu.readBack(frame, PixelLayout.BGR24); // into the frame's own memory, as a ring slot's BGR view
            int bgrStride = PixelLayout.BGR24.stride(width);
            for (int y = 0; y < height; y += 7) {
                for (int x = 0; x < width; x += 5) {
                    int from = y * PixelLayout.RGBA.stride(width) + x * 4;
                    int to = y * bgrStride + x * 3;
                    assertEquals(rgba.get(from), frame.get(to + 2), "red at " + x + "," + y);
                    assertEquals(rgba.get(from + 2), frame.get(to), "blue at " + x + "," + y);
                }
            }
        }
    }

    /**
     * Frames still since one frame (the motion gate found so) keep the blurred background made from
     * that frame's picture; a frame still since another, or with nothing known, is blurred anew.
     */
    @Test
    void aStillPictureKeepsTheBlurMadeFromItsFrame() {
        FrameGeometry geometry = new FrameGeometry(width, height, 256, 144);
        FloatBuffer mask = Frame.personMask(256, 144);
        ByteBuffer first = clipI420.get(0);
        ByteBuffer later = clipI420.get(FRAMES - 1);
        ByteBuffer[] alone = {renderI420(geometry, first, mask, -1), renderI420(geometry, later, mask, -1)};
        byte[] background = backgroundPixels(geometry, later, mask);
        byte[] firstBackground = backgroundPixels(geometry, first, mask);
        for (int i = 0; i < background.length; i++) {
            background[i] &= firstBackground[i]; // the refined edge follows each frame's own colours
        }
        try (Compositor cpu = Compositor.builder(geometry).layout(PixelLayout.I420).engine(Compositor.Engine.CPU).build()) {
            ByteBuffer frame = ByteBuffer.allocateDirect(first.capacity());
            cpu.stillSince(10);
            frame.put(0, first, 0, first.capacity());
            cpu.render(frame, width, mask);
            cpu.stillSince(10);
            frame.put(0, later, 0, later.capacity());
            cpu.render(frame, width, mask);
            assertEquals(0, differing(frame, alone[0], background, 0), "the later frame keeps the first one's blur");
            assertTrue(differing(frame, alone[1], background, 2) > 0.2 * count(background),
                    "the two frames' blurs differ, so the check above could fail");
            cpu.stillSince(12);
            frame.put(0, later, 0, later.capacity());
            cpu.render(frame, width, mask);
            assertEquals(0, differing(frame, alone[1], background, 0), "still since another frame: blurred anew");
            frame.put(0, first, 0, first.capacity());
            cpu.render(frame, width, mask); // stillSince(12) held for one render only
            assertEquals(0, differing(frame, alone[0], background, 0), "nothing known: blurred anew");
        }
    }

    /** One I420 frame composited alone (a fresh compositor), as stillSince(frameNumber) tells it. */
    private static ByteBuffer renderI420(FrameGeometry geometry, ByteBuffer planes, FloatBuffer mask, long still) {
        try (Compositor cpu = Compositor.builder(geometry).layout(PixelLayout.I420).engine(Compositor.Engine.CPU).build()) {
            ByteBuffer frame = ByteBuffer.allocateDirect(planes.capacity());
            frame.put(0, planes, 0, planes.capacity());
            cpu.stillSince(still);
            cpu.render(frame, width, mask);
            return frame;
        }
    }

    /** Per Y sample: whether the refined mask is all background there (only the background shows). */
    private static byte[] backgroundPixels(FrameGeometry geometry, ByteBuffer planes, FloatBuffer mask) {
        try (Compositor cpu = Compositor.builder(geometry).layout(PixelLayout.I420).engine(Compositor.Engine.CPU).build()) {
            ByteBuffer frame = ByteBuffer.allocateDirect(planes.capacity());
            frame.put(0, planes, 0, planes.capacity());
            cpu.drawMask(true);
            cpu.render(frame, width, mask);
            ByteBuffer refined = ByteBuffer.allocateDirect(Compositor.maskStride(width) * height);
            cpu.readBackMask(refined);
            byte[] behind = new byte[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    behind[y * width + x] = (byte) (refined.get(y * Compositor.maskStride(width) + x) == 0 ? 1 : 0);
                }
            }
            return behind;
        }
    }

    /** Y samples where only the background shows that differ by more than levels. */
    private static int differing(ByteBuffer a, ByteBuffer b, byte[] background, int levels) {
        int n = 0;
        for (int i = 0; i < background.length; i++) {
            if (background[i] == 1 && Math.abs((a.get(i) & 0xFF) - (b.get(i) & 0xFF)) > levels) {
                n++;
            }
        }
        return n;
    }

    private static int count(byte[] background) {
        int n = 0;
        for (byte b : background) {
            n += b;
        }
        return n;
    }
}
