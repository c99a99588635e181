package dev.backdrop.compose;

/**
 * Plain-Java BGR to I420, BT.601 limited range, for tests only: what yuv420_luma.frag and yuv420_chroma.frag should produce.
 * Luma per pixel; chroma from the mean colour of each 2x2 block.
 */
final class Yuv420Reference {
    private Yuv420Reference() {
    }

    static byte[] fromBgr(Frame f) {
        int w = f.width;
        int h = f.height;
        byte[] out = new byte[w * h * 3 / 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (byte) luma(f.get(x, y, 2), f.get(x, y, 1), f.get(x, y, 0));
            }
        }
        int cw = w / 2;
        int chromaBytes = cw * (h / 2);
        for (int cy = 0; cy < h / 2; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                double[] rgb = new double[3];
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        for (int c = 0; c < 3; c++) {
                            rgb[c] += f.get(2 * cx + dx, 2 * cy + dy, 2 - c) / 4.0;
                        }
                    }
                }
                out[w * h + cy * cw + cx] = (byte) blueDifference(rgb[0], rgb[1], rgb[2]);
                out[w * h + chromaBytes + cy * cw + cx] = (byte) redDifference(rgb[0], rgb[1], rgb[2]);
            }
        }
        return out;
    }

    static int luma(double r, double g, double b) {
        return (int) Math.round(16 + 219 * (0.299 * r + 0.587 * g + 0.114 * b) / 255);
    }

    static int blueDifference(double r, double g, double b) {
        return (int) Math.round(128 + 224 * (-0.168736 * r - 0.331264 * g + 0.5 * b) / 255);
    }

    static int redDifference(double r, double g, double b) {
        return (int) Math.round(128 + 224 * (0.5 * r - 0.418688 * g - 0.081312 * b) / 255);
    }
}
