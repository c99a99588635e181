package dev.backdrop.still;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StillImageTest {

    static final Path DIR = Path.of("src/test/resources/still");

    @TempDir
    Path tmp;

    @Test
    void exifOrientationIsApplied() {
        StillImage upright = StillImage.read(DIR.resolve("astronaut-upright.png"));
        StillImage rotated = StillImage.read(DIR.resolve("astronaut-exif-orientation-6.jpg"));
        assertEquals(320, rotated.width, "stored 192x320, shown 320x192");
        assertEquals(192, rotated.height);
        // same pixels up to JPEG loss; a wrong rotation would differ by tens of grey levels
        double diff = 0;
        for (int y = 0; y < 192; y++) {
            for (int i = 0; i < 320 * 3; i++) {
                diff += Math.abs((upright.bgr.get(y * upright.stride + i) & 0xff) - (rotated.bgr.get(y * rotated.stride + i) & 0xff));
            }
        }
        diff /= 192 * 320 * 3;
        assertTrue(diff < 4, "mean difference from the upright image: " + diff);
    }

    @Test
    void rowsArePaddedToEightBytesLikeVideoFrames() {
        StillImage image = StillImage.read(DIR.resolve("astronaut-upright.png"));
        assertEquals((320 * 3 + 7) & ~7, image.stride);
        assertEquals(image.stride * 192, image.bgr.capacity());
    }

    @Test
    void greyMasksRoundTripThroughPng() {
        int w = 13;
        int h = 7;
        ByteBuffer grey = ByteBuffer.allocateDirect(dev.backdrop.compose.Compositor.maskStride(w) * h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                grey.put(y * dev.backdrop.compose.Compositor.maskStride(w) + x, (byte) (x * 19 + y));
            }
        }
        Path file = tmp.resolve("m.png");
        StillImage.writeGrey(file, grey, w, h, dev.backdrop.compose.Compositor.maskStride(w));
        byte[] back = StillImage.readMask(file, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals((byte) (x * 19 + y), back[y * w + x]);
            }
        }
    }

    @Test
    void unreadableFilesAreNamed() throws Exception {
        Path junk = tmp.resolve("junk.jpg");
        Files.writeString(junk, "not an image");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StillImage.read(junk));
        assertTrue(e.getMessage().contains("junk.jpg"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> StillImage.read(tmp.resolve("none.png")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> StillImage.readMask(DIR.resolve("astronaut-upright.png"), 10, 10));
        assertTrue(size.getMessage().contains("320x192"), size.getMessage());
    }
}
