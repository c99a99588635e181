package dev.backdrop.capture;

import java.nio.ByteBuffer;

/**
 * BT.601 in limited range (Y 16..235, U and V 16..240 about 128): the matrix swscale converts
 * untagged YUV with, in both directions, and the one Backdrop tags its encodes with. For I420
 * frames ({@link PixelLayout#I420}), converted only where a few pixels are needed: the model's input
 * and the compositor's guide at mask size, images and colours once, the control page's preview.
 */
public final class Bt601 {
    /** Limited range Y (16..235) to full range: each of R, G and B gains this much per Y level above 16. */
    public static final float Y_SCALE = 1.164f;
    public static final float V_TO_R = 1.596f;
    public static final float U_TO_G = -0.392f;
    public static final float V_TO_G = -0.813f;
    public static final float U_TO_B = 2.017f;

    private Bt601() {
    }

    /** R from Y, U, V bytes (as floats 0..255), in 0..1, clamped. */
    public static float red(float y, float u, float v) {
        return clamp((Y_SCALE * (y - 16) + V_TO_R * (v - 128)) * (1f / 255));
    }

    public static float green(float y, float u, float v) {
        return clamp((Y_SCALE * (y - 16) + U_TO_G * (u - 128) + V_TO_G * (v - 128)) * (1f / 255));
    }

    public static float blue(float y, float u, float v) {
        return clamp((Y_SCALE * (y - 16) + U_TO_B * (u - 128)) * (1f / 255));
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Y of an RGB pixel (bytes 0..255), rounded. */
    public static int luma(int r, int g, int b) {
        return (66 * r + 129 * g + 25 * b + 128 >> 8) + 16;
    }

    /** U of an RGB colour (bytes 0..255, or the sum of four pixels' with sum4). */
    public static int blueDifference(int r, int g, int b, int scale) {
        return (-38 * r - 74 * g + 112 * b + 128 * scale >> 8 + shift(scale)) + 128;
    }

    public static int redDifference(int r, int g, int b, int scale) {
        return (112 * r - 94 * g - 18 * b + 128 * scale >> 8 + shift(scale)) + 128;
    }

    private static int shift(int scale) {
        return scale == 4 ? 2 : 0;
    }

    /**
     * A guided-filter model over RGB in 0..1 (a: 3 weights, then b) turned into the same model over
     * Y, U, V bytes divided by 255, in place: the conversion is affine, so the guided value at a
     * pixel comes out the same without converting the pixel (the guide, not the frame, was clamped).
     */
    public static void toYuvModel(float[] k, int at) {
        float r = k[at];
        float g = k[at + 1];
        float b = k[at + 2];
        float ay = Y_SCALE * (r + g + b);
        float au = U_TO_G * g + U_TO_B * b;
        float av = V_TO_R * r + V_TO_G * g;
        k[at] = ay;
        k[at + 1] = au;
        k[at + 2] = av;
        k[at + 3] -= (16f * ay + 128f * (au + av)) / 255f;
    }

    /**
     * An RGBA picture (rows rgbaStride bytes apart) into I420 planes (Y rows width apart, then U
     * and V rows width / 2 apart), each 2x2 block's chroma from the mean of its four colours, as a
     * filter that averages would give (OpenCV's own conversion takes one pixel's, which aliases
     * sharp colour edges). Width and height even.
     */
    public static void fromRgba(ByteBuffer rgba, int rgbaStride, int width, int height, ByteBuffer i420) {
        int cw = width / 2;
        int uAt = width * height;
        int vAt = uAt + cw * (height / 2);
        byte[] top = new byte[width * 4];
        byte[] bottom = new byte[width * 4];
        for (int cy = 0; cy < height / 2; cy++) {
            rgba.get((2 * cy) * rgbaStride, top);
            rgba.get((2 * cy + 1) * rgbaStride, bottom);
            for (int cx = 0; cx < cw; cx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < 2; dy++) {
                    byte[] row = dy == 0 ? top : bottom;
                    for (int dx = 0; dx < 2; dx++) {
                        int p = (2 * cx + dx) * 4;
                        int pr = row[p] & 0xFF;
                        int pg = row[p + 1] & 0xFF;
                        int pb = row[p + 2] & 0xFF;
                        i420.put((2 * cy + dy) * width + 2 * cx + dx, (byte) luma(pr, pg, pb));
                        r += pr;
                        g += pg;
                        b += pb;
                    }
                }
                i420.put(uAt + cy * cw + cx, (byte) blueDifference(r, g, b, 4));
                i420.put(vAt + cy * cw + cx, (byte) redDifference(r, g, b, 4));
            }
        }
    }
}
