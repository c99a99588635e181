package dev.backdrop.compose;

/**
 * Test-only plain-Java statement of the cover fit: the image scaled uniformly to fill the frame,
 * centred, the excess cropped, sampled bilinearly at pixel centres with clamped edges.
 */
final class CoverFitReference {
    private CoverFitReference() {
    }

    /** image: tightly packed BGR, rows top first. */
    static Frame render(byte[] image, int imageWidth, int imageHeight, int frameWidth, int frameHeight) {
        double scale = Math.max((double) frameWidth / imageWidth, (double) frameHeight / imageHeight);
        // Frame pixel (0,0)'s left/top edge sits this far into the image, in image pixels.
        double cropX = (imageWidth - frameWidth / scale) / 2;
        double cropY = (imageHeight - frameHeight / scale) / 2;
        Frame out = new Frame(frameWidth, frameHeight);
        for (int y = 0; y < frameHeight; y++) {
            for (int x = 0; x < frameWidth; x++) {
                double ix = cropX + (x + 0.5) / scale - 0.5;
                double iy = cropY + (y + 0.5) / scale - 0.5;
                int[] bgr = new int[3];
                for (int c = 0; c < 3; c++) {
                    bgr[c] = (int) Math.round(bilinear(image, imageWidth, imageHeight, ix, iy, c));
                }
                out.set(x, y, bgr[0], bgr[1], bgr[2]);
            }
        }
        return out;
    }

    private static double bilinear(byte[] image, int w, int h, double x, double y, int c) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double top = lerp(at(image, w, h, x0, y0, c), at(image, w, h, x0 + 1, y0, c), fx);
        double bottom = lerp(at(image, w, h, x0, y0 + 1, c), at(image, w, h, x0 + 1, y0 + 1, c), fx);
        return lerp(top, bottom, fy);
    }

    private static int at(byte[] image, int w, int h, int x, int y, int c) {
        x = Math.min(w - 1, Math.max(0, x));
        y = Math.min(h - 1, Math.max(0, y));
        return image[(y * w + x) * 3 + c] & 0xFF;
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }
}
