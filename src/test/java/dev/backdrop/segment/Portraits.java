package dev.backdrop.segment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.backdrop.testing.TestMedia;

/** The shared portraits with ground-truth masks, and mean IoU of a model on them at full image resolution. */
final class Portraits {
    record Pair(String name, int width, int height, ByteBuffer bgr, boolean[] truth) {
    }

    private Portraits() {
    }

    /** All pairs; the calling test is skipped with the reason when the shared data is absent. */
    static List<Pair> load() throws IOException {
        Path dir = TestMedia.shared("portraits/images");
        Path masks = TestMedia.shared("portraits/masks");
        List<Pair> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path img : s.sorted().toList()) {
                String base = img.getFileName().toString().replaceFirst("\\.jpg$", "");
                BufferedImage im = ImageIO.read(img.toFile());
                BufferedImage m = ImageIO.read(masks.resolve(base + ".png").toFile());
                int w = im.getWidth();
                int h = im.getHeight();
                ByteBuffer bgr = ByteBuffer.allocateDirect(w * h * 3);
                boolean[] truth = new boolean[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = im.getRGB(x, y);
                        int o = (y * w + x) * 3;
                        bgr.put(o, (byte) p).put(o + 1, (byte) (p >> 8)).put(o + 2, (byte) (p >> 16));
                        truth[y * w + x] = (m.getRaster().getSample(x, y, 0)) > 127;
                    }
                }
                out.add(new Pair(base, w, h, bgr, truth));
            }
        }
        return out;
    }

    /** IoU of (mask > 0.5), scaled to the image by nearest-neighbour sampling, against the truth. */
    static double iou(SegmentationModel model, Pair p) {
        model.resetState();
        int mw = model.maskWidth(p.width(), p.height());
        int mh = model.maskHeight(p.width(), p.height());
        FloatBuffer mask = FloatBuffer.allocate(mw * mh);
        model.predict(p.bgr(), p.width(), p.height(), p.width() * 3, mask);
        long inter = 0;
        long union = 0;
        for (int y = 0; y < p.height(); y++) {
            int my = Math.min(mh - 1, (int) ((y + 0.5) * mh / p.height()));
            for (int x = 0; x < p.width(); x++) {
                int mx = Math.min(mw - 1, (int) ((x + 0.5) * mw / p.width()));
                boolean a = mask.get(my * mw + mx) > 0.5f;
                boolean b = p.truth()[y * p.width() + x];
                inter += a && b ? 1 : 0;
                union += a || b ? 1 : 0;
            }
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    static double meanIou(SegmentationModel model, List<Pair> pairs, String label) {
        double sum = 0;
        StringBuilder per = new StringBuilder();
        for (Pair p : pairs) {
            double v = iou(model, p);
            sum += v;
            per.append(String.format(" %s=%.3f", p.name(), v));
        }
        double mean = sum / pairs.size();
        System.out.printf("IOU %s: mean %.4f over %d portraits;%s%n", label, mean, pairs.size(), per);
        return mean;
    }
}
