package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The guide colours at mask size, sampled as mask_temporal.frag samples them: TAPS_X x TAPS_Y
 * bilinear taps spread evenly over each texel's footprint in the frame (one bilinear resize per
 * tap, edges clamped), averaged. The same taps, not the footprint's true mean: a coarse mask's guided
 * filter follows the guide closely, so another average moves its edge.
 */
final class GuideSampler implements AutoCloseable {
    private final int texels;
    private final int channels;
    private final Mat[] taps;
    private final Mat[] shifts;
    private final ByteBuffer[] pixels;
    private final byte[] bytes;
    private final Scalar border = new Scalar();

    GuideSampler(int frameWidth, int frameHeight, int channels, int width, int height) {
        this.texels = width * height;
        this.channels = channels;
        float footprintX = (float) frameWidth / width;
        float footprintY = (float) frameHeight / height;
        int tapsX = Math.max(1, Math.round(footprintX / 4)); // as TemporalPass compiles them in
        int tapsY = Math.max(1, Math.round(footprintY / 4));
        taps = new Mat[tapsX * tapsY];
        shifts = new Mat[taps.length];
        pixels = new ByteBuffer[taps.length];
        bytes = new byte[texels * channels];
        for (int j = 0; j < tapsY; j++) {
            for (int i = 0; i < tapsX; i++) {
                int t = j * tapsX + i;
                taps[t] = new Mat(height, width, CV_8UC(channels));
                pixels[t] = taps[t].createBuffer();
                if (taps.length > 1) {
                    // Frame pixel (centres at whole numbers) of texel x's tap: (x + 0.5) * footprint - 0.5 + offset.
                    float dx = ((i + 0.5f) / tapsX - 0.5f) * footprintX;
                    float dy = ((j + 0.5f) / tapsY - 0.5f) * footprintY;
                    shifts[t] = new Mat(2, 3, CV_32F);
                    FloatBuffer m = shifts[t].createBuffer();
                    m.put(0, footprintX).put(1, 0).put(2, 0.5f * footprintX - 0.5f + dx);
                    m.put(3, 0).put(4, footprintY).put(5, 0.5f * footprintY - 0.5f + dy);
                }
            }
        }
    }

    /** This frame's guide into planes[c][texel], 0..1, in the frame's channel order. */
    void run(Mat frame, float[][] planes) {
        float scale = 1f / (255f * taps.length);
        for (int t = 0; t < taps.length; t++) {
            if (taps.length == 1) {
                resize(frame, taps[t], taps[t].size(), 0, 0, INTER_LINEAR); // one tap at the centre: exactly this
            } else {
                warpAffine(frame, taps[t], shifts[t], taps[t].size(), INTER_LINEAR | WARP_INVERSE_MAP, BORDER_REPLICATE,
                        border);
            }
            pixels[t].get(0, bytes);
            for (int c = 0; c < 3; c++) {
                float[] plane = planes[c];
                for (int i = 0; i < texels; i++) {
                    float v = (bytes[i * channels + c] & 0xFF) * scale;
                    plane[i] = t == 0 ? v : plane[i] + v;
                }
            }
        }
    }

    @Override
    public void close() {
        for (int t = 0; t < taps.length; t++) {
            taps[t].close();
            if (shifts[t] != null) {
                shifts[t].close();
            }
        }
        border.close();
    }
}
