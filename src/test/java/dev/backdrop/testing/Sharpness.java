package dev.backdrop.testing;

import java.nio.ByteBuffer;

/** Image measures for tests: grey level and the mean squared Laplacian (high for sharp detail). */
public final class Sharpness {

    private Sharpness() {
    }

    /** Grey level of a BGR24 pixel (Rec. 601 weights). */
    public static double grey(ByteBuffer bgr, int stride, int x, int y) {
        int i = y * stride + x * 3;
        return 0.114 * (bgr.get(i) & 0xff) + 0.587 * (bgr.get(i + 1) & 0xff) + 0.299 * (bgr.get(i + 2) & 0xff);
    }

    /** Mean squared 4-neighbour Laplacian of the grey image inside [x0,x1) x [y0,y1), borders excluded. */
    public static double laplacianEnergy(ByteBuffer bgr, int stride, int width, int height, int x0, int y0, int x1, int y1) {
        double sum = 0;
        int n = 0;
        for (int y = Math.max(1, y0); y < Math.min(height - 1, y1); y++) {
            for (int x = Math.max(1, x0); x < Math.min(width - 1, x1); x++) {
                double l = grey(bgr, stride, x - 1, y) + grey(bgr, stride, x + 1, y) + grey(bgr, stride, x, y - 1)
                        + grey(bgr, stride, x, y + 1) - 4 * grey(bgr, stride, x, y);
                sum += l * l;
                n++;
            }
        }
        return sum / n;
    }
}
