package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.PixelLayout;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** predict() end to end on BGR (and RGBA) frames: a person is found, the background and a person-free frame are not. */
class AstronautPlausibilityTest {
    static final Path ASTRONAUT = Path.of("../shared/testdata/photos/astronaut.png");
    static SegmentationModel model;

    @BeforeAll
    static void load() {
        model = SegmentationModel.load("selfie", Path.of("models"), ModelOptions.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void findsTheAstronaut() throws IOException {
        Assumptions.assumeTrue(Files.exists(ASTRONAUT), "needs " + ASTRONAUT + " (the shared test data)");
        BufferedImage img = ImageIO.read(ASTRONAUT.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        int stride = w * 3 + 16; // padded rows, as a capture buffer may have
        ByteBuffer bgr = ByteBuffer.allocateDirect(stride * h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                int o = y * stride + x * 3;
                bgr.put(o, (byte) p).put(o + 1, (byte) (p >> 8)).put(o + 2, (byte) (p >> 16));
            }
        }
        FloatBuffer mask = FloatBuffer.allocate(model.maskWidth(w, h) * model.maskHeight(w, h));
        model.predict(bgr, w, h, stride, mask);
        // In the 256x256 mask the face spans about x 95..135, y 25..85; the top-left corner is flag and wall.
        double face = minOver(mask, 100, 45, 125, 75);
        double corner = meanOver(mask, 0, 0, 24, 24);
        System.out.printf("astronaut: face min %.3f, top-left corner mean %.3f%n", face, corner);
        assertTrue(face > 0.9, "face centre min " + face);
        assertTrue(corner < 0.1, "top-left corner mean " + corner);
        // Heap buffers go through a staging copy; same frame, same mask.
        ByteBuffer heap = ByteBuffer.allocate(bgr.capacity()).put(bgr.duplicate().clear()).clear();
        FloatBuffer mask2 = FloatBuffer.allocate(mask.capacity());
        model.predict(heap, w, h, stride, mask2);
        for (int i = 0; i < mask.capacity(); i++) {
            assertTrue(Math.abs(mask.get(i) - mask2.get(i)) < 1e-6, "heap and direct frames differ at " + i);
        }
        // The pipeline's RGBA frames: the same picture gives the same mask.
        int rgbaStride = PixelLayout.RGBA.stride(w);
        ByteBuffer rgba = ByteBuffer.allocateDirect(rgbaStride * h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = y * stride + x * 3;
                int p = y * rgbaStride + x * 4;
                rgba.put(p, bgr.get(o + 2)).put(p + 1, bgr.get(o + 1)).put(p + 2, bgr.get(o)).put(p + 3, (byte) 255);
            }
        }
        FloatBuffer mask3 = FloatBuffer.allocate(mask.capacity());
        model.predict(rgba, PixelLayout.RGBA, w, h, rgbaStride, mask3);
        double largest = 0;
        for (int i = 0; i < mask.capacity(); i++) {
            largest = Math.max(largest, Math.abs(mask.get(i) - mask3.get(i)));
        }
        assertTrue(largest < 1e-4, "RGBA and BGR frames give masks that differ by up to " + largest);
    }

    @Test
    void personFreeFrameIsMostlyBackground() {
        int w = 640;
        int h = 360;
        ByteBuffer bgr = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                bgr.put(o, (byte) (40 + x * 150 / w)).put(o + 1, (byte) (90 + y * 100 / h)).put(o + 2, (byte) 160);
            }
        }
        FloatBuffer mask = FloatBuffer.allocate(model.maskWidth(w, h) * model.maskHeight(w, h));
        model.predict(bgr, w, h, w * 3, mask);
        double mean = meanOver(mask, 0, 0, model.maskWidth(w, h), model.maskHeight(w, h));
        int high = 0;
        for (int i = 0; i < mask.capacity(); i++) {
            if (mask.get(i) > 0.5f) {
                high++;
            }
        }
        System.out.printf("gradient frame: mean %.3f, %d pixels > 0.5%n", mean, high);
        assertTrue(mean < 0.1, "mean " + mean);
        assertTrue(high < mask.capacity() / 20, high + " pixels above 0.5");
    }

    static double minOver(FloatBuffer m, int x0, int y0, int x1, int y1) {
        double min = Double.MAX_VALUE;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                min = Math.min(min, m.get(y * 256 + x));
            }
        }
        return min;
    }

    static double meanOver(FloatBuffer m, int x0, int y0, int x1, int y1) {
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += m.get(y * 256 + x);
            }
        }
        return sum / ((x1 - x0) * (y1 - y0));
    }
}
