package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC4;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.boxFilter;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.sepFilter2D;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Edge;
import dev.backdrop.config.Guide;
import dev.backdrop.config.Temporal;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * {@link MaskRefiner}'s passes on the CPU, at the same working size and with the same arithmetic:
 * the guide (the frame shrunk to mask size), motion-aware temporal smoothing and the soft threshold
 * (mask_temporal.frag), the feather (mask_edge.frag), and the guided filter's coefficients
 * (guided_coefficients.frag, guided_mean.frag) with OpenCV's box filter. Values the GL keeps in
 * 8-bit targets (the thresholded and the shaped mask, the guide) are rounded the same way here, so
 * the tiles come out the same.
 */
final class CpuMaskRefiner implements AutoCloseable {

    private final FrameGeometry geometry;
    private final int width;
    private final int height;
    private final int texels;
    /** The model's mask copied in (it may come from any buffer) and, for a large one, shrunk. */
    private final Mat modelMask;
    private final Mat workingMask;
    /** The frame at mask size (the guide), in the frame's channel order. */
    private final Mat guide;
    private final ByteBuffer guidePixels;
    private final int guideChannels;
    private final int guideInterpolation;
    /** Temporal state: last frame's guide (0..1, 3 per texel) and smoothed mask. */
    private final float[] lastGuide;
    private final float[] smoothed;
    private final Mat thresholded;
    private final Mat feathered;
    /** Per texel: I (3), p, I*p (3), I*I (6): what the guided filter's windows average. */
    private final Mat products;
    private final Mat productMeans;
    private final Mat perWindow;
    private final Mat coefficientMeans;
    private final float[] productRow;
    private final Mat kernelX = new Mat();
    private final Size boxSize = new Size();
    private final Point anchor = new Point(-1, -1);
    private final float maskPerPixel;
    private boolean startOver = true;
    private ComposeSettings settings;
    private int featherRadius;

    /** The shaped mask (0..1, 8-bit steps) and the guide (0..1), after each {@link #run}: guide in 0-2, mask in 3. */
    final float[] shaped;
    /** The shaped mask alone, for OpenCV (the blur's weights). */
    final Mat shapedMask;
    private final FloatBuffer shapedMaskValues;
    /** The guided filter's mean coefficients per texel: a (3, the frame's channel order), b. */
    final float[] coefficients;

    CpuMaskRefiner(FrameGeometry geometry, ComposeSettings settings, int frameChannels) {
        this.geometry = geometry;
        int[] working = MaskRefiner.workingMaskSize(geometry.maskWidth(), geometry.maskHeight());
        width = working[0];
        height = working[1];
        texels = width * height;
        maskPerPixel = 0.5f * ((float) width / geometry.width() + (float) height / geometry.height());
        modelMask = new Mat(geometry.maskHeight(), geometry.maskWidth(), CV_32FC1);
        workingMask = texels == geometry.maskWidth() * geometry.maskHeight() ? modelMask : new Mat(height, width, CV_32FC1);
        guideChannels = frameChannels;
        guide = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_8UC(frameChannels));
        guidePixels = guide.createBuffer();
        // As TemporalPass takes its taps: one bilinear fetch per texel is exactly INTER_LINEAR; more
        // taps spread over the footprint approach its mean, INTER_AREA.
        float footprintX = (float) geometry.width() / width;
        float footprintY = (float) geometry.height() / height;
        guideInterpolation = Math.round(footprintX / 4) <= 1 && Math.round(footprintY / 4) <= 1 ? INTER_LINEAR : INTER_AREA;
        lastGuide = new float[texels * 3];
        smoothed = new float[texels];
        thresholded = new Mat(height, width, CV_32FC1);
        feathered = new Mat(height, width, CV_32FC1);
        products = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_32FC(13));
        productMeans = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_32FC(13));
        perWindow = new Mat(height, width, CV_32FC4);
        coefficientMeans = new Mat(height, width, CV_32FC4);
        productRow = new float[width * 13];
        shaped = new float[texels * 4];
        shapedMask = new Mat(height, width, CV_32FC1);
        shapedMaskValues = shapedMask.createBuffer();
        coefficients = new float[texels * 4];
        update(settings);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The next frame is not smoothed with the ones before it. */
    void reset() {
        startOver = true;
    }

    /** Takes the temporal, edge and guide settings from the next frame on; the history is kept. */
    void update(ComposeSettings next) {
        settings = next;
        // The feather is given for a 720-row frame, as EdgePass takes it.
        float sigma = next.edge().feather() * geometry.height() / 720f * maskPerPixel;
        featherRadius = EdgePass.radius(sigma);
        if (featherRadius > 0) {
            kernelX.create(1, 2 * featherRadius + 1, CV_32F);
            FloatBuffer k = kernelX.createBuffer();
            double total = 0;
            for (int i = -featherRadius; i <= featherRadius; i++) {
                total += Math.exp(-(double) i * i / (2.0 * sigma * sigma));
            }
            for (int i = -featherRadius; i <= featherRadius; i++) {
                k.put(i + featherRadius, (float) (Math.exp(-(double) i * i / (2.0 * sigma * sigma)) / total));
            }
        }
    }

    /**
     * Refines the model's mask guided by this frame into {@link #shaped} and {@link #coefficients}.
     * frame: the frame as a Mat in its own layout.
     */
    void run(FloatBuffer mask, Mat frame) {
        FloatBuffer into = modelMask.createBuffer();
        into.put(0, mask, mask.position(), geometry.maskWidth() * geometry.maskHeight());
        if (workingMask != modelMask) {
            resize(modelMask, workingMask, workingMask.size(), 0, 0, INTER_AREA);
        }
        resize(frame, guide, guide.size(), 0, 0, guideInterpolation);
        smoothAndThreshold(workingMask.createBuffer());
        feather();
        fitGuidedFilter();
    }

    /** mask_temporal.frag: the motion test on the guide, the moving average, the soft threshold. */
    private void smoothAndThreshold(FloatBuffer mask) {
        Temporal t = settings.temporal();
        Edge e = settings.edge();
        FloatBuffer out = thresholded.createBuffer();
        for (int i = 0; i < texels; i++) {
            float change = 0;
            for (int c = 0; c < 3; c++) {
                float g = (guidePixels.get(i * guideChannels + c) & 0xFF) / 255f;
                change += Math.abs(g - lastGuide[i * 3 + c]);
                lastGuide[i * 3 + c] = g;
            }
            float m = Math.min(1f, Math.max(0f, mask.get(i)));
            float alpha = startOver ? 1f
                    : t.weight() + (1f - t.weight()) * Math.min(1f, Math.max(0f, change / 3f / t.motionThreshold()));
            float s = smoothed[i] + (m - smoothed[i]) * alpha;
            smoothed[i] = s;
            out.put(i, unorm8(smoothstep(e.low(), e.high(), s))); // an R8 target on the GL
        }
        startOver = false;
    }

    /** mask_edge.frag: the Gaussian feather and its direction; or the thresholded mask as it is. */
    private void feather() {
        Mat source = thresholded;
        if (featherRadius > 0) {
            sepFilter2D(thresholded, feathered, CV_32F, kernelX, kernelX, anchor, 0, BORDER_REPLICATE);
            source = feathered;
        }
        FloatBuffer m = source.createBuffer();
        Edge.FeatherDirection direction = settings.edge().direction();
        for (int i = 0; i < texels; i++) {
            float v = m.get(i);
            if (featherRadius > 0 && direction == Edge.FeatherDirection.INWARD) {
                v = Math.min(1f, Math.max(0f, 2f * v - 1f));
            } else if (featherRadius > 0 && direction == Edge.FeatherDirection.OUTWARD) {
                v = Math.min(1f, 2f * v);
            }
            for (int c = 0; c < 3; c++) {
                shaped[i * 4 + c] = (guidePixels.get(i * guideChannels + c) & 0xFF) / 255f;
            }
            shaped[i * 4 + 3] = unorm8(v); // the shaped target is RGBA8 on the GL
            shapedMaskValues.put(i, shaped[i * 4 + 3]);
        }
    }

    /** guided_coefficients.frag and guided_mean.frag: window means by box filter, a 3x3 solve per texel. */
    private void fitGuidedFilter() {
        Guide g = settings.guide();
        FloatBuffer p = products.createBuffer();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int s = (y * width + x) * 4;
                float r = shaped[s];
                float gr = shaped[s + 1];
                float b = shaped[s + 2];
                float m = shaped[s + 3];
                int o = x * 13;
                productRow[o] = r;
                productRow[o + 1] = gr;
                productRow[o + 2] = b;
                productRow[o + 3] = m;
                productRow[o + 4] = r * m;
                productRow[o + 5] = gr * m;
                productRow[o + 6] = b * m;
                productRow[o + 7] = r * r;
                productRow[o + 8] = gr * gr;
                productRow[o + 9] = b * b;
                productRow[o + 10] = r * gr;
                productRow[o + 11] = r * b;
                productRow[o + 12] = gr * b;
            }
            p.put(y * width * 13, productRow);
        }
        int side = 2 * g.radius() + 1;
        boxSize.width(side).height(side);
        boxFilter(products, productMeans, CV_32F, boxSize, anchor, true, BORDER_REPLICATE);
        FloatBuffer mean = productMeans.createBuffer();
        FloatBuffer fit = perWindow.createBuffer();
        float eps = g.eps();
        for (int y = 0; y < height; y++) {
            mean.get(y * width * 13, productRow);
            for (int x = 0; x < width; x++) {
                int o = x * 13;
                float mr = productRow[o];
                float mg = productRow[o + 1];
                float mb = productRow[o + 2];
                float mp = productRow[o + 3];
                float cr = productRow[o + 4] - mr * mp;
                float cg = productRow[o + 5] - mg * mp;
                float cb = productRow[o + 6] - mb * mp;
                // Sigma + eps I, symmetric: [a d e; d b f; e f c]
                float a = productRow[o + 7] - mr * mr + eps;
                float bb = productRow[o + 8] - mg * mg + eps;
                float c = productRow[o + 9] - mb * mb + eps;
                float d = productRow[o + 10] - mr * mg;
                float e = productRow[o + 11] - mr * mb;
                float f = productRow[o + 12] - mg * mb;
                float i00 = bb * c - f * f;
                float i01 = e * f - d * c;
                float i02 = d * f - bb * e;
                float i11 = a * c - e * e;
                float i12 = d * e - a * f;
                float i22 = a * bb - d * d;
                float inv = 1f / (a * i00 + d * i01 + e * i02);
                float ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
                float ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
                float ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
                int t = (y * width + x) * 4;
                fit.put(t, ar).put(t + 1, ag).put(t + 2, ab).put(t + 3, mp - ar * mr - ag * mg - ab * mb);
            }
        }
        boxFilter(perWindow, coefficientMeans, CV_32F, boxSize, anchor, true, BORDER_REPLICATE);
        ((FloatBuffer) coefficientMeans.createBuffer()).get(0, coefficients);
    }

    static float smoothstep(float edge0, float edge1, float x) {
        float t = Math.min(1f, Math.max(0f, (x - edge0) / (edge1 - edge0)));
        return t * t * (3f - 2f * t);
    }

    /** What an 8-bit normalised target stores of v: the nearest of 256 steps. */
    static float unorm8(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f) / 255f;
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {modelMask, workingMask, guide, thresholded, feathered, products, productMeans, perWindow,
                coefficientMeans, kernelX, shapedMask}) {
            m.close();
        }
        boxSize.close();
        anchor.close();
    }
}
