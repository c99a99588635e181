package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Edge;
import dev.backdrop.config.Temporal;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.testing.TestMedia;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * Quality on real people whose true mask is known exactly: portraits from the shared test data, cut
 * out by their masks and put over a generated background, scaled to 720 rows like a webcam frame.
 * The network's mask is stood in for by the truth reduced to 256 columns with a little blur.
 */
class RefinementQualityTest extends GlTest {
    private static final Path SHADERS = Path.of("shaders");
    private static final String[] PORTRAITS = {"vsh_8", "vsh_30", "vsh_53", "vsh_74", "vsh_97", "vsh_131", "vsh_183", "vsh_263"};
    private static final int MASK_COLUMNS = 256;
    private static final int HEIGHT = 720;

    /** The defaults without the feather, which moves the edge inward on purpose (checked on its own below). */
    private static final ComposeSettings UNFEATHERED = ComposeSettings.DEFAULT.with(new Edge(
            Edge.DEFAULT.low(), Edge.DEFAULT.high(), 0f, Edge.FeatherDirection.INWARD));



    /** One portrait over the generated background, with its truth at frame size and the low-res stand-in mask. */
    private record Scene(String name, Frame person, Frame backgroundOnly, byte[] truth, int maskWidth, int maskHeight,
                         float[] lowRes) {
        int width() {
            return person.width;
        }

        int height() {
            return person.height;
        }
    }

    private static Scene scene(String name, int shiftX) {
        Path image = TestMedia.shared("portraits/images/" + name + ".jpg");
        Path maskFile = TestMedia.shared("portraits/masks/" + name + ".png");
        try (Mat photo = imread(image.toString(), IMREAD_COLOR);
             Mat maskMat = imread(maskFile.toString(), IMREAD_GRAYSCALE);
             Mat bigPhoto = new Mat();
             Mat bigMask = new Mat()) {
            int width = (int) Math.round((double) photo.cols() * HEIGHT / photo.rows()) & ~1;
            resize(photo, bigPhoto, new Size(width, HEIGHT), 0, 0, INTER_CUBIC);
            resize(maskMat, bigMask, new Size(width, HEIGHT), 0, 0, INTER_LINEAR);
            ByteBuffer photoPixels = bigPhoto.createBuffer();
            ByteBuffer maskPixels = bigMask.createBuffer();
            Frame person = new Frame(width, HEIGHT);
            Frame backgroundOnly = new Frame(width, HEIGHT);
            byte[] truth = new byte[width * HEIGHT];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < width; x++) {
                    int sx = x - shiftX; // the person moves right by shiftX; the background stays
                    boolean inside = sx >= 0 && sx < width;
                    int a = inside ? maskPixels.get((int) (y * bigMask.step()) + sx) & 0xFF : 0;
                    truth[y * width + x] = (byte) a;
                    int[] bg = background(x, y);
                    backgroundOnly.set(x, y, bg[0], bg[1], bg[2]);
                    int[] c = new int[3];
                    for (int k = 0; k < 3; k++) {
                        int p = inside ? photoPixels.get((int) (y * bigPhoto.step()) + sx * 3 + k) & 0xFF : 0;
                        c[k] = (p * a + bg[k] * (255 - a) + 127) / 255;
                    }
                    person.set(x, y, c[0], c[1], c[2]);
                }
            }
            int maskHeight = Math.max(1, Math.round((float) MASK_COLUMNS * HEIGHT / width));
            float[] lowRes = lowRes(truth, width, HEIGHT, MASK_COLUMNS, maskHeight);
            return new Scene(name, person, backgroundOnly, truth, MASK_COLUMNS, maskHeight, lowRes);
        }
    }

    /** The truth area-averaged to mask size, then blurred a little (sigma 0.7 texels), as a network would give. */
    private static float[] lowRes(byte[] truth, int width, int height, int mw, int mh) {
        try (Mat full = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_8UC1);
             Mat small = new Mat();
             Mat blurred = new Mat()) {
            ByteBuffer buffer = full.createBuffer();
            for (int y = 0; y < height; y++) {
                buffer.put((int) (y * full.step()), truth, y * width, width);
            }
            resize(full, small, new Size(mw, mh), 0, 0, INTER_AREA);
            GaussianBlur(small, blurred, new Size(3, 3), 0.7);
            ByteBuffer out = blurred.createBuffer();
            float[] mask = new float[mw * mh];
            for (int y = 0; y < mh; y++) {
                for (int x = 0; x < mw; x++) {
                    mask[y * mw + x] = (out.get((int) (y * blurred.step()) + x) & 0xFF) / 255f;
                }
            }
            return mask;
        }
    }

    /** A textured, colourful background unlike skin or clothes: stripes and gradients (BGR). */
    private static int[] background(int x, int y) {
        return new int[] {
            (int) (128 + 100 * Math.sin(x * 0.045 + y * 0.02)),
            (int) (128 + 100 * Math.sin(y * 0.061 - x * 0.013)),
            (int) (128 + 100 * Math.cos((x - y) * 0.033))};
    }

    private static FloatBuffer buffer(float[] values) {
        FloatBuffer b = ByteBuffer.allocateDirect(values.length * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        return b.put(values).flip();
    }

    /** The refined mask as 0..255 per pixel, padding dropped. */
    private static int[] refinedMask(Compositor c, int width, int height) {
        int stride = (width + 7) & ~7;
        ByteBuffer grey = ByteBuffer.allocateDirect(stride * height);
        c.readBackMask(grey);
        int[] mask = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                mask[y * width + x] = grey.get(y * stride + x) & 0xFF;
            }
        }
        return mask;
    }

    private static double iou(int[] mask, byte[] truth) {
        long both = 0;
        long either = 0;
        for (int i = 0; i < mask.length; i++) {
            boolean a = mask[i] >= 128;
            boolean b = (truth[i] & 0xFF) >= 128;
            both += a && b ? 1 : 0;
            either += a || b ? 1 : 0;
        }
        return (double) both / either;
    }

    /** The raw mask bilinearly stretched to frame size (what mask_upsample did before), 0..255. */
    private static int[] bilinear(float[] lowRes, int mw, int mh, int width, int height) {
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            double py = Math.max(0, Math.min(mh - 1, (y + 0.5) * mh / height - 0.5));
            int y0 = (int) Math.floor(py);
            int y1 = Math.min(mh - 1, y0 + 1);
            double fy = py - y0;
            for (int x = 0; x < width; x++) {
                double px = Math.max(0, Math.min(mw - 1, (x + 0.5) * mw / width - 0.5));
                int x0 = (int) Math.floor(px);
                int x1 = Math.min(mw - 1, x0 + 1);
                double fx = px - x0;
                double v = (lowRes[y0 * mw + x0] * (1 - fx) + lowRes[y0 * mw + x1] * fx) * (1 - fy)
                        + (lowRes[y1 * mw + x0] * (1 - fx) + lowRes[y1 * mw + x1] * fx) * fy;
                out[y * width + x] = (int) Math.round(v * 255);
            }
        }
        return out;
    }

    @Test
    void guidedEdgesMatchTheTruthAtLeastAsWellAsBilinear() {
        double sumOurs = 0;
        double sumBilinear = 0;
        StringBuilder report = new StringBuilder();
        for (String name : PORTRAITS) {
            Scene s = scene(name, 0);
            double ours;
            try (Compositor c = new GlCompositor(new FrameGeometry(s.width(), s.height(), s.maskWidth(), s.maskHeight()),
                    UNFEATHERED, SHADERS)) {
                c.drawMask(true);
                c.render(s.person().data, s.person().stride, buffer(s.lowRes()));
                ours = iou(refinedMask(c, s.width(), s.height()), s.truth());
            }
            double plain = iou(bilinear(s.lowRes(), s.maskWidth(), s.maskHeight(), s.width(), s.height()), s.truth());
            report.append(String.format(" %s %.4f/%.4f", name, ours, plain));
            sumOurs += ours;
            sumBilinear += plain;
        }
        System.out.println("IoU refined/bilinear:" + report);
        assertTrue(sumOurs >= sumBilinear, "mean IoU refined " + sumOurs / PORTRAITS.length
                + " < bilinear " + sumBilinear / PORTRAITS.length + ":" + report);
    }

    @Test
    void inwardFeatherKeepsTheOldBackgroundFromShowingOutsideThePerson() {
        StringBuilder report = new StringBuilder();
        for (String name : new String[] {"vsh_53", "vsh_97", "vsh_183"}) {
            Scene s = scene(name, 0);
            boolean[] outside = band(s.truth(), s.width(), s.height(), 0, 12);
            double[] leak = new double[3];
            for (Edge.FeatherDirection direction : Edge.FeatherDirection.values()) {
                ComposeSettings settings = ComposeSettings.DEFAULT.with(new Edge(Edge.DEFAULT.low(),
                        Edge.DEFAULT.high(), 3f, direction));
                try (Compositor c = new GlCompositor(new FrameGeometry(s.width(), s.height(), s.maskWidth(), s.maskHeight()), settings, SHADERS)) {
                    c.drawMask(true);
                    c.render(s.person().data, s.person().stride, buffer(s.lowRes()));
                    int[] mask = refinedMask(c, s.width(), s.height());
                    double sum = 0;
                    long n = 0;
                    for (int i = 0; i < mask.length; i++) {
                        if (outside[i]) {
                            sum += mask[i] / 255.0;
                            n++;
                        }
                    }
                    leak[direction.ordinal()] = sum / n;
                }
            }
            report.append(String.format(" %s inward %.4f centred %.4f outward %.4f;", name, leak[0], leak[1], leak[2]));
            assertTrue(leak[0] < leak[1] && leak[1] < leak[2], "mean mask just outside the person:" + report);
        }
        System.out.println("mean mask in the 12 px outside the person, feather 3 px:" + report);
    }

    @Test
    void noHaloOfThePersonInTheBlurredBackground() {
        double sumOurs = 0;
        double sumPlain = 0;
        StringBuilder report = new StringBuilder();
        for (String name : PORTRAITS) {
            Scene s = scene(name, 0);
            int w = s.width();
            int h = s.height();
            float[] zeros = new float[s.maskWidth() * s.maskHeight()];
            Frame ours = new Frame(w, h);
            Frame plain = new Frame(w, h);
            Frame trueBackground = new Frame(w, h);
            try (Compositor c = new GlCompositor(new FrameGeometry(w, h, s.maskWidth(), s.maskHeight()), ComposeSettings.DEFAULT, SHADERS)) {
                c.composite(s.person().data, s.person().stride, buffer(s.lowRes()), ours.data);
                c.reset();
                c.composite(s.person().data, s.person().stride, buffer(zeros), plain.data);
                c.reset();
                c.composite(s.backgroundOnly().data, s.backgroundOnly().stride, buffer(zeros), trueBackground.data);
            }
            boolean[] band = band(s.truth(), w, h, 4, 16);
            double errorOurs = meanDistance(ours, trueBackground, band);
            double errorPlain = meanDistance(plain, trueBackground, band);
            report.append(String.format(" %s %.1f/%.1f", name, errorOurs, errorPlain));
            sumOurs += errorOurs;
            sumPlain += errorPlain;
        }
        System.out.println("halo (colour distance in a band 4-16 px outside the person) ours/plain blur:" + report);
        assertTrue(sumOurs < sumPlain * 0.75, "halo-free blur not clearly better:" + report);
    }

    /** Pixels outside the person at a distance in (inner, outer] pixels from it (chessboard distance). */
    private static boolean[] band(byte[] truth, int w, int h, int inner, int outer) {
        int[] distance = new int[w * h];
        java.util.Arrays.fill(distance, Integer.MAX_VALUE / 2);
        for (int i = 0; i < w * h; i++) {
            if ((truth[i] & 0xFF) >= 128) {
                distance[i] = 0;
            }
        }
        // Two-pass chamfer (chessboard metric).
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int d = distance[y * w + x];
                if (x > 0) d = Math.min(d, distance[y * w + x - 1] + 1);
                if (y > 0) d = Math.min(d, distance[(y - 1) * w + x] + 1);
                if (x > 0 && y > 0) d = Math.min(d, distance[(y - 1) * w + x - 1] + 1);
                if (x < w - 1 && y > 0) d = Math.min(d, distance[(y - 1) * w + x + 1] + 1);
                distance[y * w + x] = d;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int d = distance[y * w + x];
                if (x < w - 1) d = Math.min(d, distance[y * w + x + 1] + 1);
                if (y < h - 1) d = Math.min(d, distance[(y + 1) * w + x] + 1);
                if (x < w - 1 && y < h - 1) d = Math.min(d, distance[(y + 1) * w + x + 1] + 1);
                if (x > 0 && y < h - 1) d = Math.min(d, distance[(y + 1) * w + x - 1] + 1);
                distance[y * w + x] = d;
            }
        }
        boolean[] band = new boolean[w * h];
        for (int i = 0; i < w * h; i++) {
            band[i] = distance[i] > inner && distance[i] <= outer;
        }
        return band;
    }

    private static double meanDistance(Frame a, Frame b, boolean[] where) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < a.height; y++) {
            for (int x = 0; x < a.width; x++) {
                if (where[y * a.width + x]) {
                    double d2 = 0;
                    for (int c = 0; c < 3; c++) {
                        double d = a.get(x, y, c) - b.get(x, y, c);
                        d2 += d * d;
                    }
                    sum += Math.sqrt(d2);
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void temporalSmoothingCalmsANoisyMaskOnAStillClip() {
        Scene s = scene("vsh_53", 0);
        double on = meanMaskChange(s, ComposeSettings.DEFAULT);
        double off = meanMaskChange(s, ComposeSettings.DEFAULT.with(new Temporal(1f, Temporal.DEFAULT.motionThreshold())));
        System.out.printf("mean frame-to-frame mask change, still clip, noisy mask: smoothed %.3f, unsmoothed %.3f%n", on, off);
        assertTrue(on < off * 0.75, "smoothed " + on + " vs unsmoothed " + off);
    }

    private static double meanMaskChange(Scene s, ComposeSettings settings) {
        Random random = new Random(5);
        float[] noisy = new float[s.lowRes().length];
        int[] last = null;
        double sum = 0;
        int frames = 12;
        try (Compositor c = new GlCompositor(new FrameGeometry(s.width(), s.height(), s.maskWidth(), s.maskHeight()), settings, SHADERS)) {
            c.drawMask(true);
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < noisy.length; i++) {
                    noisy[i] = RefinementReference.clamp(s.lowRes()[i] + (float) (0.12 * random.nextGaussian()));
                }
                c.render(s.person().data, s.person().stride, buffer(noisy));
                int[] mask = refinedMask(c, s.width(), s.height());
                if (last != null) {
                    long change = 0;
                    for (int i = 0; i < mask.length; i++) {
                        change += Math.abs(mask[i] - last[i]);
                    }
                    sum += (double) change / mask.length;
                }
                last = mask;
            }
        }
        return sum / (frames - 1);
    }

    @Test
    void aMovingPersonsMaskLagsByAtMostOneFrame() {
        int shift = 6; // pixels per frame
        List<Scene> clip = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            clip.add(scene("vsh_53", f * shift));
        }
        Scene first = clip.get(0);
        StringBuilder report = new StringBuilder();
        try (Compositor c = new GlCompositor(new FrameGeometry(first.width(), first.height(), first.maskWidth(), first.maskHeight()),
                ComposeSettings.DEFAULT, SHADERS)) {
            c.drawMask(true);
            for (int f = 0; f < clip.size(); f++) {
                Scene s = clip.get(f);
                c.render(s.person().data, s.person().stride, buffer(s.lowRes()));
                int[] mask = refinedMask(c, s.width(), s.height());
                double lag = centroidX(s.truth(), s.width()) - centroidX(mask, s.width());
                double iou = iou(mask, s.truth());
                report.append(String.format(" frame %d lag %.2f px IoU %.4f;", f, lag, iou));
                assertTrue(Math.abs(lag) <= shift, "frame " + f + ": mask lags " + lag + " px, more than one frame ("
                        + shift + " px):" + report);
            }
        }
        System.out.println("moving person:" + report);
    }

    private static double centroidX(int[] mask, int width) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < mask.length; i++) {
            sum += (double) mask[i] * (i % width);
            total += mask[i];
        }
        return sum / total;
    }

    private static double centroidX(byte[] truth, int width) {
        int[] values = new int[truth.length];
        for (int i = 0; i < truth.length; i++) {
            values[i] = truth[i] & 0xFF;
        }
        return centroidX(values, width);
    }
}
