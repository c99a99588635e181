package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import dev.backdrop.capture.Bt601;
import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The guide colours at mask size, sampled as mask_temporal.frag samples them: TAPS_X x TAPS_Y
 * bilinear taps spread evenly over each texel's footprint in the frame (one bilinear resize per
 * tap, edges clamped), averaged. The same taps, not the footprint's true mean: a coarse mask's guided
 * filter follows the guide closely, so another average moves its edge.
 *
 * <p>I420 frames are sampled plane by plane, the chroma planes at the same frame positions (a
 * chroma sample covers its 2x2 block, centred on it), and the guide converted to RGB at mask size:
 * sampling is linear, so this is the RGB frame's guide but for rounding.
 */
final class GuideSampler implements AutoCloseable {
    private final int texels;
    private final int channels;
    private final boolean yuv;
    /** Per tap, per plane sampled (one for a packed frame; Y, U, V for I420). */
    private final Mat[][] taps;
    private final Mat[][] shifts;
    private final ByteBuffer[][] pixels;
    private final byte[] bytes;
    /** I420: the Y, U, V tap sums, until converted. */
    private final float[][] sums;
    private final Scalar border = new Scalar();

    GuideSampler(int frameWidth, int frameHeight, PixelLayout layout, int width, int height) {
        this.texels = width * height;
        this.yuv = layout == PixelLayout.I420;
        this.channels = yuv ? 1 : layout.channels;
        int planes = yuv ? 3 : 1;
        float footprintX = (float) frameWidth / width;
        float footprintY = (float) frameHeight / height;
        int tapsX = Math.max(1, Math.round(footprintX / 4)); // as TemporalPass compiles them in
        int tapsY = Math.max(1, Math.round(footprintY / 4));
        taps = new Mat[tapsX * tapsY][planes];
        shifts = new Mat[taps.length][planes];
        pixels = new ByteBuffer[taps.length][planes];
        bytes = new byte[texels * channels];
        sums = yuv ? new float[3][texels] : null;
        for (int j = 0; j < tapsY; j++) {
            for (int i = 0; i < tapsX; i++) {
                int t = j * tapsX + i;
                for (int p = 0; p < planes; p++) {
                    taps[t][p] = new Mat(height, width, CV_8UC(channels));
                    pixels[t][p] = taps[t][p].createBuffer();
                    if (taps.length > 1) {
                        // Frame pixel (centres at whole numbers) of texel x's tap: (x + 0.5) * footprint - 0.5 + offset;
                        // a chroma plane's pixel c covers frame pixels 2c and 2c + 1: c = (frame pixel - 0.5) / 2.
                        float dx = ((i + 0.5f) / tapsX - 0.5f) * footprintX;
                        float dy = ((j + 0.5f) / tapsY - 0.5f) * footprintY;
                        float k = p == 0 ? 1f : 0.5f;
                        float at = p == 0 ? 0f : -0.5f;
                        shifts[t][p] = new Mat(2, 3, CV_32F);
                        FloatBuffer m = shifts[t][p].createBuffer();
                        m.put(0, k * footprintX).put(1, 0).put(2, k * (0.5f * footprintX - 0.5f + dx + at));
                        m.put(3, 0).put(4, k * footprintY).put(5, k * (0.5f * footprintY - 0.5f + dy + at));
                    }
                }
            }
        }
    }

    /**
     * This frame's guide into planes[c][texel], 0..1: in the frame's channel order for a packed
     * frame (frame: one Mat), R, G, B for I420 (frame: its Y, U and V planes).
     */
    void run(Mat[] frame, float[][] planes) {
        float[][] into = yuv ? sums : planes;
        float scale = yuv ? 1f / taps.length : 1f / (255f * taps.length);
        for (int t = 0; t < taps.length; t++) {
            for (int p = 0; p < frame.length; p++) {
                Mat tap = taps[t][p];
                if (taps.length == 1) {
                    resize(frame[p], tap, tap.size(), 0, 0, INTER_LINEAR); // one tap at the centre: exactly this
                } else {
                    warpAffine(frame[p], tap, shifts[t][p], tap.size(), INTER_LINEAR | WARP_INVERSE_MAP,
                            BORDER_REPLICATE, border);
                }
                pixels[t][p].get(0, bytes);
                for (int c = 0; c < (yuv ? 1 : 3); c++) {
                    float[] plane = into[yuv ? p : c];
                    for (int i = 0; i < texels; i++) {
                        float v = (bytes[i * channels + c] & 0xFF) * scale;
                        plane[i] = t == 0 ? v : plane[i] + v;
                    }
                }
            }
        }
        if (yuv) { // a loop per colour: simple enough for the JIT to vectorise
            float[] y = sums[0];
            float[] u = sums[1];
            float[] v = sums[2];
            for (int i = 0; i < texels; i++) {
                planes[0][i] = Bt601.red(y[i], u[i], v[i]);
            }
            for (int i = 0; i < texels; i++) {
                planes[1][i] = Bt601.green(y[i], u[i], v[i]);
            }
            for (int i = 0; i < texels; i++) {
                planes[2][i] = Bt601.blue(y[i], u[i], v[i]);
            }
        }
    }

    @Override
    public void close() {
        for (int t = 0; t < taps.length; t++) {
            for (int p = 0; p < taps[t].length; p++) {
                taps[t][p].close();
                if (shifts[t][p] != null) {
                    shifts[t][p].close();
                }
            }
        }
        border.close();
    }
}
