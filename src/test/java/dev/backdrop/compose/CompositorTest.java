package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Blur;
import dev.backdrop.config.Background;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL30.*;

import dev.backdrop.capture.PixelLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lwjgl.opengl.GL11;
import org.lwjgl.opengl.GL20;
import org.lwjgl.opengl.GL30;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompositorTest extends GlTest {
    /** The working tree's shaders; tests also cover the classpath copy (shaderDir null). */
    private static final Path SHADERS = Path.of("shaders");


    @TempDir
    Path tempDir;


    private static Frame composite(Frame in, FloatBuffer mask, int maskWidth, int maskHeight, ComposeSettings settings,
                                   Path shaderDir) {
        return composite(in, mask, maskWidth, maskHeight, settings, null, shaderDir);
    }

    /** image: the background, already decoded; null = as the settings say. */
    private static Frame composite(Frame in, FloatBuffer mask, int maskWidth, int maskHeight, ComposeSettings settings,
                                   BackgroundImage image, Path shaderDir) {
        Frame out = new Frame(in.width, in.height);
        try (Compositor compositor = Compositor.builder(new FrameGeometry(in.width, in.height, maskWidth, maskHeight)).settings(settings)
                .shaders(shaderDir).background(image == null ? null : new BackgroundFile.Image(image)).build()) {
            compositor.composite(in.data, in.stride, mask, out.data);
        }
        return out;
    }

    @Test
    void rgbaFramesGiveTheSamePictureWithTheMaskAsAlpha() {
        Frame in = Frame.noise(320, 240, 8);
        FloatBuffer mask = Frame.personMask(40, 30);
        ComposeSettings settings = ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f));
        Frame bgrOut = composite(in, mask, 40, 30, settings, SHADERS);
        int stride = PixelLayout.RGBA.stride(320);
        ByteBuffer rgbaIn = ByteBuffer.allocateDirect(stride * 240);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int p = y * stride + x * 4;
                rgbaIn.put(p, (byte) in.get(x, y, 2)).put(p + 1, (byte) in.get(x, y, 1)).put(p + 2, (byte) in.get(x, y, 0))
                        .put(p + 3, (byte) 255);
            }
        }
        ByteBuffer rgbaOut = ByteBuffer.allocateDirect(stride * 240);
        ByteBuffer alpha = ByteBuffer.allocateDirect(stride * 240);
        Frame bgrBack = new Frame(320, 240);
        try (Compositor c = Compositor.builder(new FrameGeometry(320, 240, 40, 30)).settings(settings).shaders(SHADERS)
                .layout(PixelLayout.RGBA).build()) {
            c.composite(rgbaIn, stride, mask, rgbaOut);
            c.readBack(bgrBack.data, PixelLayout.BGR24); // the pipeline's outputs take BGR
            c.readBackBgra(alpha);
        }
        int worst = 0;
        int worstAlpha = 0;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int p = y * stride + x * 4;
                for (int ch = 0; ch < 3; ch++) {
                    worst = Math.max(worst, Math.abs((rgbaOut.get(p + 2 - ch) & 0xFF) - bgrOut.get(x, y, ch)));
                }
                worstAlpha = Math.max(worstAlpha, Math.abs((rgbaOut.get(p + 3) & 0xFF) - (alpha.get(p + 3) & 0xFF)));
            }
        }
        assertEquals(0, worst, "RGBA composite against the BGR one");
        assertEquals(0, worstAlpha, "RGBA alpha against the refined mask");
        assertEquals(0, bgrOut.maxDifference(bgrBack), "BGR read back from RGBA frames");
    }

    /** A square model mask runs with square texels over the frame: as coarse as the model along its coarser axis. */
    @Test
    void theWorkingMaskHasSquareTexels() {
        assertArrayEquals(new int[] {256, 144}, MaskRefiner.workingMaskSize(new FrameGeometry(1280, 720, 256, 256)));
        assertArrayEquals(new int[] {171, 256}, MaskRefiner.workingMaskSize(new FrameGeometry(480, 720, 256, 256)));
        assertArrayEquals(new int[] {320, 180}, MaskRefiner.workingMaskSize(new FrameGeometry(640, 360, 320, 180)));
        assertArrayEquals(new int[] {256, 256}, MaskRefiner.workingMaskSize(new FrameGeometry(512, 512, 256, 256)));
        assertArrayEquals(new int[] {640, 360}, MaskRefiner.workingMaskSize(new FrameGeometry(1280, 720, 1280, 720)));
    }

    /**
     * A model mask larger than the mask passes run at (RVM's is the frame's size) is shrunk first:
     * the refined mask must come out as from a mask of the working size, where the person is.
     */
    @Test
    void aFrameSizedMaskIsShrunkToTheWorkingSize() {
        assertArrayEquals(new int[] {640, 360}, MaskRefiner.workingMaskSize(1280, 720));
        assertArrayEquals(new int[] {640, 360}, MaskRefiner.workingMaskSize(1920, 1080));
        assertArrayEquals(new int[] {256, 256}, MaskRefiner.workingMaskSize(256, 256));
        int w = 1280;
        int h = 720;
        Frame in = Frame.noise(w, h, 9);
        ComposeSettings settings = ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f));
        int[] big = refinedMask(in, Frame.personMask(w, h), w, h, settings);
        int[] small = refinedMask(in, Frame.personMask(640, 360), 640, 360, settings);
        int agree = 0;
        int person = 0;
        for (int i = 0; i < big.length; i++) {
            boolean a = big[i] >= 128;
            boolean b = small[i] >= 128;
            agree += a == b ? 1 : 0;
            person += a ? 1 : 0;
        }
        assertTrue(person > w * h / 10, "person pixels " + person);
        assertTrue(agree > 0.995 * w * h, "pixels classed alike: " + agree + " of " + w * h);
    }

    private static int[] refinedMask(Frame in, FloatBuffer mask, int maskWidth, int maskHeight, ComposeSettings settings) {
        int stride = Compositor.maskStride(in.width);
        ByteBuffer grey = ByteBuffer.allocateDirect(stride * in.height);
        try (Compositor c = new GlCompositor(new FrameGeometry(in.width, in.height, maskWidth, maskHeight), settings, SHADERS)) {
            c.drawMask(true);
            c.render(in.data, in.stride, mask);
            c.readBackMask(grey);
        }
        int[] out = new int[in.width * in.height];
        for (int y = 0; y < in.height; y++) {
            for (int x = 0; x < in.width; x++) {
                out[y * in.width + x] = grey.get(y * stride + x) & 0xFF;
            }
        }
        return out;
    }

    @Test
    void maskAllOnesKeepsTheFrame() {
        Frame in = Frame.noise(320, 240, 1);
        FloatBuffer mask = Frame.mask(40, 30, (x, y) -> 1f);
        Frame out = composite(in, mask, 40, 30, ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), SHADERS);
        assertTrue(in.maxDifference(out) <= 1, "max difference " + in.maxDifference(out));
    }

    @Test
    void noBlurAndNoImageGivesTheInputWhateverTheMask() {
        Frame in = Frame.noise(320, 240, 2);
        FloatBuffer mask = Frame.mask(17, 13, (x, y) -> ((x * 7 + y * 3) % 5) / 4f);
        Frame out = composite(in, mask, 17, 13, ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), null);
        assertTrue(in.maxDifference(out) <= 1, "max difference " + in.maxDifference(out));
    }

    @Test
    void sameBufferInAndOut() {
        Frame in = Frame.noise(96, 64, 3);
        Frame copy = new Frame(96, 64);
        copy.data.put(in.data.duplicate());
        FloatBuffer mask = Frame.mask(8, 8, (x, y) -> 1f);
        try (Compositor c = new GlCompositor(new FrameGeometry(96, 64, 8, 8), ComposeSettings.DEFAULT.with(new Blur(5f, 0.5f)), SHADERS)) {
            c.composite(in.data, in.stride, mask, in.data);
        }
        assertTrue(copy.maxDifference(in) <= 1);
    }

    @Test
    void oddWidthFrameWithPaddedRows() {
        Frame in = Frame.noise(642, 362, 4).withPaddingJunk();
        assertEquals(1928, in.stride);
        // Odd mask width too: its rows are tightly packed floats, not padded.
        FloatBuffer ones = Frame.mask(33, 19, (x, y) -> 1f);
        Frame out = composite(in, ones, 33, 19, ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), SHADERS);
        assertTrue(in.maxDifference(out) <= 1, "max difference " + in.maxDifference(out));

        // Left half person on an odd-width frame: the left stays put, no row drifts (a wrong stride would shear it).
        FloatBuffer half = Frame.mask(33, 19, (x, y) -> x < 16 ? 1f : 0f);
        Frame blurred = composite(in, half, 33, 19, ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), SHADERS);
        assertTrue(in.maxDifference(blurred, 0, 0, 280, 362) <= 1);
        assertTrue(blurred.meanSquaredLaplacian(340, 0, 642, 362) * 4 <= in.meanSquaredLaplacian(340, 0, 642, 362));
    }

    @Test
    void leftPersonStaysSharpRightBackgroundIsBlurredWithItsMeanColourKept() {
        int w = 320;
        int h = 240;
        Frame in = Frame.noise(w, h, 5);
        // Mask 32 wide: columns 0-15 person. Bilinear upsampling ramps between frame x ~155 and ~165.
        FloatBuffer mask = Frame.mask(32, 24, (x, y) -> x < 16 ? 1f : 0f);
        Frame out = composite(in, mask, 32, 24, ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), SHADERS);

        assertTrue(in.maxDifference(out, 0, 0, 150, h) <= 1, "left half changed");
        double before = in.meanSquaredLaplacian(170, 0, w, h);
        double after = out.meanSquaredLaplacian(170, 0, w, h);
        assertTrue(after * 4 <= before, "Laplacian energy only went from " + before + " to " + after);
        for (int c = 0; c < 3; c++) {
            double meanIn = in.mean(c, 170, 0, w, h);
            double meanOut = out.mean(c, 170, 0, w, h);
            assertEquals(meanIn, meanOut, 3.0, "channel " + c + " mean");
        }
    }

    @Test
    void blurOfACheckerboardFlattensIt() {
        int w = 256;
        int h = 192;
        Frame in = new Frame(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = ((x / 4 + y / 4) & 1) == 0 ? 230 : 20;
                in.set(x, y, v, v, v);
            }
        }
        Frame out = composite(in, Frame.mask(4, 4, (x, y) -> 0f), 4, 4, ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), SHADERS);
        assertTrue(out.meanSquaredLaplacian(0, 0, w, h) * 100 <= in.meanSquaredLaplacian(0, 0, w, h));
        assertEquals(125.0, out.mean(1, 0, 0, w, h), 2.0);
    }

    @Test
    void blurKeepsTopAtTheTop() {
        // Top half white, bottom black, everything background: after the blur the top must still be bright.
        Frame in = new Frame(200, 100);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                int v = y < 50 ? 255 : 0;
                in.set(x, y, v, v, v);
            }
        }
        Frame out = composite(in, Frame.mask(10, 10, (x, y) -> 0f), 10, 10, ComposeSettings.DEFAULT.with(new Blur(4f, 0.25f)), SHADERS);
        assertTrue(out.get(100, 5, 0) > 220, "top row " + out.get(100, 5, 0));
        assertTrue(out.get(100, 94, 0) < 35, "bottom row " + out.get(100, 94, 0));
        assertTrue(out.get(100, 35, 0) > out.get(100, 65, 0));
    }

    @Test
    void maskTopLeftQuadrantLandsOnFrameTopLeft() throws IOException {
        int w = 160;
        int h = 120;
        Frame person = Frame.solid(w, h, 10, 200, 30);
        // Background image: top half red, bottom half blue (BGR), so its orientation is checked too.
        byte[] image = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int i = (y * 64 + x) * 3;
                image[i] = (byte) (y < 32 ? 0 : 255);
                image[i + 2] = (byte) (y < 32 ? 255 : 0);
            }
        }
        BackgroundImage background = BackgroundImage.load(writePng("quadrants.png", image, 64, 64));
        FloatBuffer mask = Frame.mask(16, 12, (x, y) -> x < 8 && y < 6 ? 1f : 0f);
        Frame out = composite(person, mask, 16, 12, ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), background, SHADERS);

        assertPixel(out, 20, 15, 10, 200, 30);   // top-left: the person
        assertPixel(out, 140, 15, 0, 0, 255);    // top-right: background, red top half
        assertPixel(out, 20, 105, 255, 0, 0);    // bottom-left: background, blue bottom half
        assertPixel(out, 140, 105, 255, 0, 0);   // bottom-right
    }

    private static void assertPixel(Frame f, int x, int y, int b, int g, int r) {
        String where = "pixel (" + x + "," + y + ") = " + f.get(x, y, 0) + "," + f.get(x, y, 1) + "," + f.get(x, y, 2);
        assertEquals(b, f.get(x, y, 0), 2, where);
        assertEquals(g, f.get(x, y, 1), 2, where);
        assertEquals(r, f.get(x, y, 2), 2, where);
    }

    @Test
    void replacementImageIsCoverFittedWideImageIntoFourByThreeFrame() throws IOException {
        checkCoverFit(500, 200, 400, 300, 3);
    }

    @Test
    void replacementImageIsCoverFittedTallImageIntoOddFrame() throws IOException {
        checkCoverFit(200, 300, 642, 362, 3);
    }

    @Test
    void replacementImageLargerThanFrameIsCoverFittedToo() throws IOException {
        // Downscaled through mipmaps, so only a smooth image is compared, with a looser tolerance.
        checkCoverFit(1200, 500, 320, 240, 4);
    }

    private void checkCoverFit(int imageWidth, int imageHeight, int frameWidth, int frameHeight, int tolerance)
            throws IOException {
        byte[] image = smoothImage(imageWidth, imageHeight);
        BackgroundImage background = BackgroundImage.load(writePng("bg.png", image, imageWidth, imageHeight));
        assertEquals(imageWidth, background.width());
        assertEquals(imageHeight, background.height());
        Frame in = Frame.noise(frameWidth, frameHeight, 6);
        Frame out = composite(in, Frame.mask(8, 8, (x, y) -> 0f), 8, 8, ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), background, null);
        Frame expected = CoverFitReference.render(image, imageWidth, imageHeight, frameWidth, frameHeight);
        int difference = expected.maxDifference(out);
        assertTrue(difference <= tolerance, "max difference from the reference cover fit: " + difference);
    }

    /** Smooth but asymmetric in both axes, so a flip, shift or wrong crop shows up. */
    private static byte[] smoothImage(int w, int h) {
        byte[] image = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                image[i] = (byte) Math.round(255.0 * x / (w - 1));
                image[i + 1] = (byte) Math.round(255.0 * y / (h - 1));
                image[i + 2] = (byte) Math.round(128 + 100 * Math.sin(3.0 * x / w) * Math.cos(2.0 * y / h + 0.5));
            }
        }
        return image;
    }

    private Path writePng(String name, byte[] bgr, int w, int h) {
        Path file = tempDir.resolve(name);
        try (Mat mat = new Mat(h, w, CV_8UC3)) {
            ByteBuffer pixels = mat.createBuffer();
            for (int y = 0; y < h; y++) {
                pixels.put((int) (y * mat.step()), bgr, y * w * 3, w * 3);
            }
            assertTrue(imwrite(file.toString(), mat));
        }
        return file;
    }

    @Test
    void wrongStrideOrHeapBufferIsRejected() {
        try (Compositor c = new GlCompositor(new FrameGeometry(33, 10, 4, 4), ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), SHADERS)) {
            Frame f = new Frame(33, 10);
            FloatBuffer mask = Frame.mask(4, 4, (x, y) -> 1f);
            assertThrows(IllegalArgumentException.class, () -> c.composite(f.data, 99, mask, f.data));
            assertThrows(IllegalArgumentException.class,
                    () -> c.composite(ByteBuffer.allocate(f.stride * 10), f.stride, mask, f.data));
            FloatBuffer bigEndian = ByteBuffer.allocateDirect(4 * 4 * 4).asFloatBuffer();
            assertThrows(IllegalArgumentException.class, () -> c.composite(f.data, f.stride, bigEndian, f.data));
            assertThrows(IllegalArgumentException.class,
                    () -> c.composite(f.data, f.stride, Frame.mask(3, 4, (x, y) -> 1f), f.data));
        }
    }

    @Test
    void closeDeletesTheGlObjects() {
        // Mesa hands out increasing names, so the compositor's objects lie just above these probes.
        int textureProbe = glGenTextures();
        int framebufferProbe = glGenFramebuffers();
        int vertexArrayProbe = glGenVertexArrays();
        int programProbe = glCreateProgram();
        BackgroundImage image = new BackgroundImage(4, 4, ByteBuffer.allocateDirect(4 * 4 * 3));
        Compositor c = Compositor.builder(new FrameGeometry(64, 48, 8, 8)).settings(ComposeSettings.DEFAULT.with(new Blur(6f, 0.25f)))
                .shaders(SHADERS).background(new BackgroundFile.Image(image)).build();
        Compositor blurring = new GlCompositor(new FrameGeometry(64, 48, 8, 8), ComposeSettings.DEFAULT.with(new Blur(6f, 0.25f)), SHADERS);
        assertTrue(countLive(textureProbe, GL11::glIsTexture) >= 5);
        assertTrue(countLive(framebufferProbe, GL30::glIsFramebuffer) >= 4);
        assertTrue(countLive(programProbe, GL20::glIsProgram) >= 4);
        c.close();
        blurring.close();
        assertEquals(0, countLive(textureProbe, GL11::glIsTexture));
        assertEquals(0, countLive(framebufferProbe, GL30::glIsFramebuffer));
        assertEquals(0, countLive(vertexArrayProbe, GL30::glIsVertexArray));
        assertEquals(0, countLive(programProbe, GL20::glIsProgram));
        assertEquals(GL11.GL_NO_ERROR, GL11.glGetError());
        assertThrows(IllegalStateException.class, () -> c.composite(null, 0, null, null));
    }

    private static int countLive(int probe, java.util.function.IntPredicate isLive) {
        int live = 0;
        for (int name = probe + 1; name <= probe + 64; name++) {
            live += isLive.test(name) ? 1 : 0;
        }
        return live;
    }

    @Test
    void brokenShaderDirectoryFallsBackPerFileAndBadShaderIsReported() throws IOException {
        Files.writeString(tempDir.resolve("blend.frag"), "#version 330 core\nthis does not compile;\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GlCompositor(new FrameGeometry(64, 48, 8, 8), ComposeSettings.DEFAULT.with(new Blur(0f, 0.25f)), tempDir));
        assertTrue(e.getMessage().contains("blend.frag"), e.getMessage());
    }

    @Test
    void missingBackgroundImageNamesTheFile() throws IOException {
        Path missing = tempDir.resolve("no-such-image.jpg");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackgroundImage.load(missing));
        assertTrue(e.getMessage().contains("no-such-image.jpg"), e.getMessage());
        Path garbage = Files.writeString(tempDir.resolve("garbage.png"), "not an image");
        e = assertThrows(IllegalArgumentException.class, () -> BackgroundImage.load(garbage));
        assertTrue(e.getMessage().contains("garbage.png"), e.getMessage());
    }
}
