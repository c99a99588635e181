package dev.backdrop.compose;

import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Background;
import dev.backdrop.config.Edge;
import dev.backdrop.config.Guide;
import dev.backdrop.config.Temporal;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.opengl.GL30.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each refinement pass on real Mesa GL against its plain-Java reference (RefinementReference). */
class RefinementPassTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");
    /** RGBA16F targets keep 11 significant bits. */
    private static final float TOLERANCE = 2e-3f;

    private FullscreenTriangle triangle;

    /** Runs after GlTest has made the context current; closed before the context goes. */
    @BeforeEach
    void createTriangle() {
        triangle = new FullscreenTriangle();
    }

    @AfterEach
    void closeTriangle() {
        triangle.close();
    }

    @Test
    void temporalMatchesReference() {
        int w = 23;
        int h = 17;
        Random random = new Random(1);
        float[] mask = randomArray(random, w * h, 1.2f, -0.1f); // out of range values are clamped
        float[] guide = randomArray(random, w * h * 4, 1, 0);
        float[] previous = randomArray(random, w * h * 4, 1, 0);
        for (int i = 0; i < w * h; i++) { // half the pixels unchanged: the still weight applies there
            if (i % 2 == 0) {
                System.arraycopy(guide, i * 4, previous, i * 4, 3);
            }
        }
        for (boolean reset : new boolean[] {false, true}) {
            // A "frame" the size of the mask: the guide (one bilinear tap at each texel centre) is the frame itself.
            try (Texture m = upload(GL_R32F, GL_RED, mask, w, h);
                 Texture g = upload(GL_RGBA32F, GL_RGBA, guide, w, h);
                 Texture p = upload(GL_RGBA32F, GL_RGBA, previous, w, h);
                 Texture thresholded = new Texture(GL_R32F, w, h, GL_LINEAR);
                 RenderTarget out = new RenderTarget(GL_RGBA32F, w, h);
                 TemporalPass pass = new TemporalPass(SHADERS, w, h, w, h, new Temporal(0.3f, 0.1f),
                         new Edge(0.3f, 0.7f, 0f, Edge.FeatherDirection.INWARD))) {
                pass.run(m, g, p, reset, out.withSecond(thresholded), triangle);
                float[] expected = RefinementReference.temporal(mask, guide, previous, 0.3f, 0.1f, reset);
                assertClose(expected, read(out), "temporal");
                float[] expectedThreshold = new float[w * h * 4];
                float[] state = read(out);
                for (int i = 0; i < w * h; i++) {
                    expectedThreshold[i * 4] = RefinementReference.smoothstep(0.3f, 0.7f, state[i * 4 + 3]);
                    expectedThreshold[i * 4 + 3] = 1;
                }
                assertClose(expectedThreshold, readTexture(thresholded, w, h), "soft threshold");
            }
        }
    }

    @Test
    void edgeMatchesReferenceInEveryDirection() {
        int w = 31;
        int h = 19;
        float[] state = new float[w * h * 4];
        Random random = new Random(2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 4;
                state[i] = random.nextFloat();
                state[i + 1] = random.nextFloat();
                state[i + 2] = random.nextFloat();
                // A soft disc with noise: ramps, plateaus and edges.
                double r = Math.hypot(x - 15, y - 9);
                state[i + 3] = RefinementReference.clamp((float) ((8 - r) / 4 + 0.5 + 0.1 * random.nextGaussian()));
            }
        }
        for (Edge.FeatherDirection direction : Edge.FeatherDirection.values()) {
            for (float sigma : new float[] {0f, 0.7f, 1.6f}) {
                float[] soft = new float[w * h];
                for (int i = 0; i < w * h; i++) {
                    soft[i] = RefinementReference.smoothstep(0.3f, 0.7f, state[i * 4 + 3]);
                }
                try (Texture s = upload(GL_RGBA32F, GL_RGBA, state, w, h);
                     Texture t = upload(GL_R32F, GL_RED, soft, w, h);
                     RenderTarget out = new RenderTarget(GL_RGBA16F, w, h);
                     EdgePass pass = new EdgePass(SHADERS, sigma, direction)) {
                    pass.run(s, t, out, triangle);
                    assertClose(RefinementReference.edge(state, w, h, 0.3f, 0.7f, sigma, direction), read(out),
                            "edge " + direction + " sigma " + sigma);
                }
            }
        }
    }

    @Test
    void guidedUpsampleMatchesReference() {
        int mw = 13;
        int mh = 9;
        int w = 71; // not a multiple of the mask size
        int h = 40;
        Random random = new Random(3);
        float[] shaped = randomArray(random, mw * mh * 4, 1, 0);
        float[] frameRgba = new float[w * h * 4];
        float[] frameRgb = new float[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                float v = random.nextInt(256) / 255f;
                frameRgba[i * 4 + c] = v;
                frameRgb[i * 3 + c] = v;
            }
            frameRgba[i * 4 + 3] = 1;
        }
        try (Texture frame = upload(GL_RGBA32F, GL_RGBA, frameRgba, w, h);
             Texture s = upload(GL_RGBA32F, GL_RGBA, shaped, mw, mh);
             RenderTarget out = new RenderTarget(GL_R32F, w, h);
             GuidedFilterPass guided = new GuidedFilterPass(SHADERS, mw, mh, new Guide(2, 0.01f));
             MaskUpsamplePass pass = new MaskUpsamplePass(SHADERS)) {
            pass.run(frame, guided.run(s, triangle), s, out, triangle);
            float[] expected = RefinementReference.guidedUpsample(frameRgb, w, h,
                    RefinementReference.guidedCoefficients(shaped, mw, mh, 2, 0.01f), shaped, mw, mh);
            float[] actual = read(out);
            float[] red = new float[w * h];
            for (int i = 0; i < w * h; i++) {
                red[i] = actual[i * 4];
            }
            assertClose(expected, red, "guided upsample");
        }
    }

    /**
     * The tiled blend (all-person, all-background and edge tiles each drawn by their own shader) gives
     * the reference everywhere: a mask that is exactly 1 on the left, exactly 0 on the right and
     * anything in between, so all three kinds of tile occur; with and without light wrap.
     */
    private static final Guide GUIDE = new Guide(2, 0.01f);

    @Test
    void tiledBlendMatchesReference() {
        int mw = 40;
        int mh = 24;
        int w = 300; // 10 x 6 tiles of 32, the last row and column partial; the light wrap reaches 1.33 texels
        int h = 180;
        Random random = new Random(5);
        float[] shaped = randomArray(random, mw * mh * 4, 1, 0);
        for (int y = 0; y < mh; y++) {
            for (int x = 0; x < mw; x++) {
                if (x < 14 || x > 26) {
                    shaped[(y * mw + x) * 4 + 3] = x < 14 ? 1f : 0f;
                }
            }
        }
        // Lone in-between texels inside the flat parts: every tile that reads one must be an edge
        // tile, whichever side of the tile's window it lies on.
        for (int[] t : new int[][] {{4, 6}, {10, 18}, {0, 0}, {32, 8}, {36, 20}, {39, 12}}) {
            shaped[(t[1] * mw + t[0]) * 4 + 3] = 0.5f;
        }
        float[] frameRgba = randomArray(random, w * h * 4, 1, 0);
        for (int i = 3; i < frameRgba.length; i += 4) {
            frameRgba[i] = 1f; // as the compositor uploads a BGR frame: all-person tiles keep it
        }
        float[] backgroundRgba = randomArray(random, w * h * 4, 1, 0);
        float[] frameRgb = rgb(frameRgba);
        float[] backgroundRgb = rgb(backgroundRgba);
        for (float wrap : new float[] {0f, 0.7f}) {
            try (Texture background = upload(GL_RGBA32F, GL_RGBA, backgroundRgba, w, h);
                 Texture s = upload(GL_RGBA32F, GL_RGBA, shaped, mw, mh);
                 RenderTarget out = new RenderTarget(GL_RGBA32F, w, h);
                 GuidedFilterPass guided = new GuidedFilterPass(SHADERS, mw, mh, GUIDE);
                 BlendPass pass = new BlendPass(SHADERS, w, h, mw, mh, wrap,
                         BlendPass.BackgroundTexture.FRAME_SIZED)) {
                Texture coefficients = guided.run(s, triangle);
                fill(out.texture, frameRgba, w, h); // the blend draws over the frame, in place
                pass.run(out, s, coefficients, background, triangle);
                float[] expected = RefinementReference.blend(frameRgb, backgroundRgb, w, h, shaped, mw, mh,
                        GUIDE.radius(), GUIDE.eps(), wrap, BlendPass.WRAP_RADIUS);
                assertClose(expected, read(out), "blend, light wrap " + wrap);
            }
        }
    }

    private static float[] rgb(float[] rgba) {
        float[] out = new float[rgba.length / 4 * 3];
        for (int i = 0; i < rgba.length / 4; i++) {
            System.arraycopy(rgba, i * 4, out, i * 3, 3);
        }
        return out;
    }

    @Test
    void backgroundDownsampleMatchesReference() {
        int w = 40;
        int h = 24;
        Random random = new Random(4);
        float[] frameRgba = randomArray(random, w * h * 4, 1, 0);
        float[] frameRgb = new float[w * h * 3];
        float[] mask = randomArray(random, w * h, 1, 0);
        for (int i = 0; i < w * h; i++) {
            System.arraycopy(frameRgba, i * 4, frameRgb, i * 3, 3);
        }
        float[] maskRgba = new float[w * h * 4]; // the pass reads the mask from alpha, like mask_edge's output
        for (int i = 0; i < w * h; i++) {
            maskRgba[i * 4 + 3] = mask[i];
        }
        try (Texture frame = upload(GL_RGBA32F, GL_RGBA, frameRgba, w, h);
             Texture m = upload(GL_RGBA32F, GL_RGBA, maskRgba, w, h);
             RenderTarget out = new RenderTarget(GL_RGBA32F, w / 2, h / 2);
             DownsamplePass pass = new DownsamplePass(SHADERS, "background_downsample.frag", w, h, w / 2, h / 2)) {
            pass.run(frame, m, out, triangle);
            assertClose(RefinementReference.backgroundDownsample2(frameRgb, mask, w, h), read(out), "background downsample");
        }
    }

    private static float[] randomArray(Random random, int n, float scale, float offset) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextFloat() * scale + offset;
        }
        return a;
    }

    private static Texture upload(int internalFormat, int format, float[] data, int w, int h) {
        Texture t = new Texture(internalFormat, w, h, GL_LINEAR);
        fill(t, data, w, h, format);
        return t;
    }

    private static void fill(Texture t, float[] rgba, int w, int h) {
        fill(t, rgba, w, h, GL_RGBA);
    }

    private static void fill(Texture t, float[] data, int w, int h, int format) {
        t.bind(0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        FloatBuffer buffer = ByteBuffer.allocateDirect(data.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(data).flip();
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, format, GL_FLOAT, buffer);
    }

    private static float[] readTexture(Texture texture, int w, int h) {
        texture.bind(0);
        FloatBuffer buffer = ByteBuffer.allocateDirect(w * h * 16).order(ByteOrder.nativeOrder()).asFloatBuffer();
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_FLOAT, buffer);
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static float[] read(RenderTarget target) {
        target.bind();
        FloatBuffer buffer = ByteBuffer.allocateDirect(target.width() * target.height() * 16)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glReadPixels(0, 0, target.width(), target.height(), GL_RGBA, GL_FLOAT, buffer);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertTrue(expected.length == actual.length, what + ": " + expected.length + " vs " + actual.length + " values");
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            float d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        float max = worst;
        int index = at;
        assertTrue(max <= TOLERANCE, () -> what + ": largest difference " + max + " at value " + index
                + " (expected " + expected[index] + ", got " + actual[index] + ")");
    }
}
