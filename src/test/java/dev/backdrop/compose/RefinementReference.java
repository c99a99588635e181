package dev.backdrop.compose;

import dev.backdrop.config.Edge;
/**
 * Plain-Java versions of the mask refinement passes' maths, for tests only. Images are float
 * arrays, rows top first; colour channels in 0..1. RGBA images hold 4 floats per pixel.
 */
final class RefinementReference {
    private RefinementReference() {
    }

    /** mask_temporal.frag: out rgb = guide, a = mix(previous a, mask, alpha). */
    static float[] temporal(float[] mask, float[] guideRgba, float[] previousRgba, float still, float motion, boolean reset) {
        int n = mask.length;
        float[] out = new float[n * 4];
        for (int i = 0; i < n; i++) {
            float change = 0;
            for (int c = 0; c < 3; c++) {
                change += Math.abs(guideRgba[i * 4 + c] - previousRgba[i * 4 + c]) / 3f;
            }
            float alpha = reset ? 1 : still + (1 - still) * clamp(change / motion);
            for (int c = 0; c < 3; c++) {
                out[i * 4 + c] = guideRgba[i * 4 + c];
            }
            out[i * 4 + 3] = previousRgba[i * 4 + 3] + (clamp(mask[i]) - previousRgba[i * 4 + 3]) * alpha;
        }
        return out;
    }

    /** mask_edge.frag. */
    static float[] edge(float[] stateRgba, int w, int h, float low, float high, float sigma,
                        Edge.FeatherDirection direction) {
        int radius = EdgePass.radius(sigma);
        float[] out = new float[w * h * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double m;
                if (radius == 0) {
                    m = smoothstep(low, high, stateRgba[(y * w + x) * 4 + 3]);
                } else {
                    double sum = 0;
                    double total = 0;
                    for (int j = -radius; j <= radius; j++) {
                        for (int i = -radius; i <= radius; i++) {
                            double wt = Math.exp(-(i * i + j * j) / (2.0 * sigma * sigma));
                            int qx = Math.min(w - 1, Math.max(0, x + i));
                            int qy = Math.min(h - 1, Math.max(0, y + j));
                            sum += wt * smoothstep(low, high, stateRgba[(qy * w + qx) * 4 + 3]);
                            total += wt;
                        }
                    }
                    m = sum / total;
                    if (direction == Edge.FeatherDirection.INWARD) {
                        m = clamp((float) (2 * m - 1));
                    } else if (direction == Edge.FeatherDirection.OUTWARD) {
                        m = clamp((float) (2 * m));
                    }
                }
                int o = (y * w + x) * 4;
                System.arraycopy(stateRgba, o, out, o, 3);
                out[o + 3] = (float) m;
            }
        }
        return out;
    }

    /**
     * guided_coefficients.frag then guided_mean.frag: shaped is mw x mh RGBA (rgb = guide, a = mask); returns the
     * window-averaged linear models, mw x mh RGBA (rgb = a, a = b).
     */
    static float[] guidedCoefficients(float[] shaped, int mw, int mh, int radius, float eps) {
        float[] perWindow = new float[mw * mh * 4];
        int n = (2 * radius + 1) * (2 * radius + 1);
        for (int y = 0; y < mh; y++) {
            for (int x = 0; x < mw; x++) {
                double[] meanI = new double[3];
                double meanP = 0;
                double[] meanIp = new double[3];
                double[][] meanII = new double[3][3];
                for (int j = -radius; j <= radius; j++) {
                    for (int i = -radius; i <= radius; i++) {
                        int q = (clampIndex(y + j, mh) * mw + clampIndex(x + i, mw)) * 4;
                        double p = shaped[q + 3];
                        meanP += p / n;
                        for (int c = 0; c < 3; c++) {
                            meanI[c] += shaped[q + c] / n;
                            meanIp[c] += shaped[q + c] * p / n;
                            for (int d = 0; d < 3; d++) {
                                meanII[c][d] += shaped[q + c] * shaped[q + d] / n;
                            }
                        }
                    }
                }
                double[][] sigma = new double[3][3];
                double[] cov = new double[3];
                for (int c = 0; c < 3; c++) {
                    cov[c] = meanIp[c] - meanI[c] * meanP;
                    for (int d = 0; d < 3; d++) {
                        sigma[c][d] = meanII[c][d] - meanI[c] * meanI[d] + (c == d ? eps : 0);
                    }
                }
                double[] a = solve3(sigma, cov);
                int o = (y * mw + x) * 4;
                for (int c = 0; c < 3; c++) {
                    perWindow[o + c] = (float) a[c];
                }
                perWindow[o + 3] = (float) (meanP - a[0] * meanI[0] - a[1] * meanI[1] - a[2] * meanI[2]);
            }
        }
        float[] out = new float[perWindow.length];
        for (int y = 0; y < mh; y++) {
            for (int x = 0; x < mw; x++) {
                for (int j = -radius; j <= radius; j++) {
                    for (int i = -radius; i <= radius; i++) {
                        int q = (clampIndex(y + j, mh) * mw + clampIndex(x + i, mw)) * 4;
                        for (int c = 0; c < 4; c++) {
                            out[(y * mw + x) * 4 + c] += perWindow[q + c] / n;
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * mask_upsample.frag: frameRgb is 3 floats per pixel at width x height; coefficients from
     * {@link #guidedCoefficients} of shaped (4 floats per texel, a = mask); the result kept within the 2x2
     * mask texels around each pixel.
     */
    static float[] guidedUpsample(float[] frameRgb, int width, int height, float[] coefficients, float[] shaped,
                                  int mw, int mh) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (x + 0.5) / width;
                double v = (y + 0.5) / height;
                double m = bilinear(coefficients, mw, mh, 3, u, v);
                for (int c = 0; c < 3; c++) {
                    m += bilinear(coefficients, mw, mh, c, u, v) * frameRgb[(y * width + x) * 3 + c];
                }
                int x0 = (int) Math.floor(u * mw - 0.5);
                int y0 = (int) Math.floor(v * mh - 0.5);
                float lo = 1;
                float hi = 0;
                for (int j = 0; j < 2; j++) {
                    for (int i = 0; i < 2; i++) {
                        float a = shaped[(clampIndex(y0 + j, mh) * mw + clampIndex(x0 + i, mw)) * 4 + 3];
                        lo = Math.min(lo, a);
                        hi = Math.max(hi, a);
                    }
                }
                out[y * width + x] = (float) Math.max(lo, Math.min(hi, m));
            }
        }
        return out;
    }

    private static int clampIndex(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }

    /** Solves the symmetric 3x3 system m x = v by Cramer's rule. */
    private static double[] solve3(double[][] m, double[] v) {
        double det = det3(m);
        double[] x = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] mc = new double[3][];
            for (int r = 0; r < 3; r++) {
                mc[r] = m[r].clone();
                mc[r][c] = v[r];
            }
            x[c] = det3(mc) / det;
        }
        return x;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /**
     * background_downsample.frag for an integer factor of 2 (one tap per axis at the centre of each
     * 2x2 block, where bilinear filtering averages the four): rgb = mean colour * (1 - mean mask),
     * a = 1 - mean mask.
     */
    static float[] backgroundDownsample2(float[] frameRgb, float[] mask, int width, int height) {
        int sw = width / 2;
        int sh = height / 2;
        float[] out = new float[sw * sh * 4];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                float m = 0;
                float[] c = new float[3];
                for (int j = 0; j < 2; j++) {
                    for (int i = 0; i < 2; i++) {
                        int p = (2 * y + j) * width + 2 * x + i;
                        m += mask[p] / 4;
                        for (int k = 0; k < 3; k++) {
                            c[k] += frameRgb[p * 3 + k] / 4;
                        }
                    }
                }
                for (int k = 0; k < 3; k++) {
                    out[(y * sw + x) * 4 + k] = c[k] * (1 - m);
                }
                out[(y * sw + x) * 4 + 3] = 1 - m;
            }
        }
        return out;
    }

    /**
     * blend.frag with a frame-sized background: mix(background, frame, guided mask), then the light
     * wrap (wrap > 0): mix towards the background's mean colour at four points reach pixels away,
     * by wrap * mask * (1 - mean shaped mask at those points). frameRgb and backgroundRgb are 3
     * floats per pixel; returns 4 per pixel (alpha = the mask).
     */
    static float[] blend(float[] frameRgb, float[] backgroundRgb, int width, int height, float[] shaped, int mw, int mh,
                         int radius, float eps, float wrap, float reach) {
        float[] m = guidedUpsample(frameRgb, width, height, guidedCoefficients(shaped, mw, mh, radius, eps), shaped,
                mw, mh);
        float[] backgroundRgba = new float[width * height * 4];
        for (int i = 0; i < width * height; i++) {
            System.arraycopy(backgroundRgb, i * 3, backgroundRgba, i * 4, 3);
        }
        double[][] directions = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        float[] out = new float[width * height * 4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                double u = (x + 0.5) / width;
                double v = (y + 0.5) / height;
                double around = 0;
                double[] light = new double[3];
                for (double[] d : directions) {
                    double au = u + d[0] * reach / width;
                    double av = v + d[1] * reach / height;
                    around += bilinear(shaped, mw, mh, 3, au, av) / 4;
                    for (int c = 0; c < 3; c++) {
                        light[c] += bilinear(backgroundRgba, width, height, c, au, av) / 4;
                    }
                }
                double w = wrap * m[p] * (1 - around);
                for (int c = 0; c < 3; c++) {
                    double composite = backgroundRgb[p * 3 + c] * (1 - m[p]) + frameRgb[p * 3 + c] * m[p];
                    out[p * 4 + c] = (float) (composite * (1 - w) + light[c] * w);
                }
                out[p * 4 + 3] = m[p];
            }
        }
        return out;
    }

    /** GL's bilinear filtering with clamp-to-edge of one channel of an RGBA image, at uv. */
    static double bilinear(float[] rgba, int w, int h, int channel, double u, double v) {
        double px = u * w - 0.5;
        double py = v * h - 0.5;
        int x0 = (int) Math.floor(px);
        int y0 = (int) Math.floor(py);
        double fx = px - x0;
        double fy = py - y0;
        double sum = 0;
        for (int j = 0; j <= 1; j++) {
            for (int i = 0; i <= 1; i++) {
                int qx = Math.min(w - 1, Math.max(0, x0 + i));
                int qy = Math.min(h - 1, Math.max(0, y0 + j));
                sum += (i == 0 ? 1 - fx : fx) * (j == 0 ? 1 - fy : fy) * rgba[(qy * w + qx) * 4 + channel];
            }
        }
        return sum;
    }

    static float smoothstep(float low, float high, float v) {
        float t = clamp((v - low) / (high - low));
        return t * t * (3 - 2 * t);
    }

    static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
