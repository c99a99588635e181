package dev.backdrop.train;

import dev.backdrop.compose.Compositor;
import dev.backdrop.still.StillImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Photos made for training tests: a head-and-shoulders silhouette (ellipse over a rounded block, skin and
 * shirt colours) on a random gradient with noise, and its exact mask. Enough for a tiny U-Net to learn in
 * seconds, and needs no shared data.
 */
final class SyntheticPeople {
    private SyntheticPeople() {
    }

    /** Writes n photos to dir/images/p<i>.png and, when withMasks, dir/masks/p<i>.png; returns dir. */
    static Path write(Path dir, int n, int width, int height, boolean withMasks, long seed) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path masks = Files.createDirectories(dir.resolve("masks"));
        Random r = new Random(seed);
        int stride = Compositor.frameStride(width);
        for (int i = 0; i < n; i++) {
            ByteBuffer bgr = ByteBuffer.allocateDirect(stride * height);
            ByteBuffer mask = ByteBuffer.allocateDirect(width * height);
            int[] bg0 = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
            int[] bg1 = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
            int[] shirt = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
            double cx = width * (0.35 + 0.3 * r.nextDouble());
            double headY = height * (0.25 + 0.15 * r.nextDouble());
            double headR = height * (0.12 + 0.06 * r.nextDouble());
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double dx = (x - cx) / headR;
                    double dy = (y - headY) / (headR * 1.25);
                    boolean head = dx * dx + dy * dy <= 1;
                    boolean body = y > headY + headR && Math.abs(x - cx) < headR * 2.2 - Math.max(0, headY + 2 * headR - y);
                    double t = (double) x / width;
                    int noise = r.nextInt(21) - 10;
                    int[] c = head ? new int[] {90, 140, 200} : body ? shirt : null;
                    for (int ch = 0; ch < 3; ch++) {
                        int v = c != null ? c[ch] : (int) (bg0[ch] * (1 - t) + bg1[ch] * t);
                        bgr.put(y * stride + x * 3 + ch, (byte) Math.max(0, Math.min(255, v + noise)));
                    }
                    mask.put(y * width + x, (byte) (head || body ? 255 : 0));
                }
            }
            StillImage.writeBgr(images.resolve("p" + i + ".png"), bgr, width, height, stride);
            if (withMasks) {
                StillImage.writeGrey(masks.resolve("p" + i + ".png"), mask, width, height, width);
            }
        }
        return dir;
    }
}
