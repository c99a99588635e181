package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.sepFilter2D;

import dev.backdrop.capture.Bt601;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Edge;
import dev.backdrop.config.Temporal;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;

/**
 * {@link MaskRefiner}'s passes on the CPU, at the same working size and with the same arithmetic:
 * the guide ({@link GuideSampler}), motion-aware temporal smoothing and the soft threshold
 * (mask_temporal.frag), the feather (mask_edge.frag), and the guided filter's coefficients
 * (guided_coefficients.frag, guided_mean.frag) where the blend reads them. The masks the GL keeps
 * in 8-bit targets (thresholded, shaped) are rounded the same way here, so the tiles come out the
 * same.
 */
final class CpuMaskRefiner implements AutoCloseable {

    private final FrameGeometry geometry;
    private final int width;
    private final int height;
    private final int texels;
    /** The model's mask copied in (it may come from any buffer) and, for a large one, shrunk. */
    private final Mat modelMask;
    private final Mat workingMask;
    /** Views of the Mats' floats, made once: wrapping a Mat's data allocates a pointer and a buffer each time. */
    private final FloatBuffer modelMaskValues;
    private final FloatBuffer workingMaskValues;
    private final GuideSampler sampler;
    /** Temporal state: last frame's guide (planes as {@link #guide}'s, swapped with it) and the smoothed mask. */
    private float[][] lastGuide;
    private final float[] smoothed;
    private final Mat thresholded;
    private final Mat feathered;
    private final FloatBuffer thresholdedValues;
    private final FloatBuffer featheredValues;
    /** The guided filter's linear model fitted to each window (a, b), where needed. */
    private final float[] perWindow;
    private final byte[] nearEdge;
    /** Java copies of what the loops read and write (bulk-copied to and from the Mats). */
    private final float[] values;

    private final Mat kernelX = new Mat();
    private final Point anchor = new Point(-1, -1);
    private final float maskPerPixel;
    /** I420 frames: the coefficients are turned into a model over Y, U, V ({@link Bt601#toYuvModel}). */
    private final boolean yuvModel;
    private boolean startOver = true;
    private ComposeSettings settings;
    private int featherRadius;

    /** This frame's guide colours (0..1), one plane per channel in the frame's order (I420: R, G, B), after each {@link #run}. */
    float[][] guide;
    /** The shaped mask (0..1, in 8-bit steps as the GL stores it), after each {@link #run}. */
    final float[] mask;
    /** The shaped mask alone, for OpenCV (the blur's weights): see {@link #shapedMask()}. */
    private final Mat shapedMask;
    private final FloatBuffer shapedMaskValues;
    /**
     * The guided filter's mean coefficients per texel: a (3, the frame's channel order; for I420 over
     * Y, U, V bytes / 255), b; fitted only where the blend reads them (see {@link #fitGuidedFilter}).
     */
    final float[] coefficients;

    CpuMaskRefiner(FrameGeometry geometry, ComposeSettings settings, PixelLayout layout) {
        this.geometry = geometry;
        int[] working = MaskRefiner.workingMaskSize(geometry);
        width = working[0];
        height = working[1];
        texels = width * height;
        yuvModel = layout == PixelLayout.I420;
        maskPerPixel = 0.5f * ((float) width / geometry.width() + (float) height / geometry.height());
        modelMask = new Mat(geometry.maskHeight(), geometry.maskWidth(), CV_32FC1);
        workingMask = texels == geometry.maskWidth() * geometry.maskHeight() ? modelMask : new Mat(height, width, CV_32FC1);
        sampler = new GuideSampler(geometry.width(), geometry.height(), layout, width, height);
        lastGuide = new float[3][texels];
        guide = new float[3][texels];
        smoothed = new float[texels];
        thresholded = new Mat(height, width, CV_32FC1);
        feathered = new Mat(height, width, CV_32FC1);
        modelMaskValues = modelMask.createBuffer();
        workingMaskValues = workingMask.createBuffer();
        thresholdedValues = thresholded.createBuffer();
        featheredValues = feathered.createBuffer();
        perWindow = new float[texels * 4];
        nearEdge = new byte[texels];
        values = new float[texels];

        mask = new float[texels];
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
            try (Mat k = GaussianKernel.texelKernel(sigma, featherRadius)) {
                k.copyTo(kernelX);
            }
        }
    }

    /**
     * Refines the model's mask guided by this frame into {@link #mask} and {@link #coefficients}.
     * frame: the frame as one Mat in its own layout, or an I420 frame's Y, U and V planes;
     * sameMask: the model's mask is the last run's again (the motion gate reused it), so the copy
     * shrunk to working size then still stands.
     */
    void run(FloatBuffer mask, Mat[] frame, boolean sameMask) {
        if (!sameMask) {
            modelMaskValues.put(0, mask, mask.position(), geometry.maskWidth() * geometry.maskHeight());
            if (workingMask != modelMask) {
                resize(modelMask, workingMask, workingMask.size(), 0, 0, INTER_AREA);
            }
        }
        workingMaskValues.get(0, values);
        smoothAndThreshold(frame);
        feather();
        fitGuidedFilter();
    }

    /** mask_temporal.frag: the motion test on the guide, the moving average, the soft threshold. */
    private void smoothAndThreshold(Mat[] frame) {
        Temporal t = settings.temporal();
        Edge e = settings.edge();
        float[][] previous = guide; // last frame's guide becomes the history; this frame's goes into the other planes
        guide = lastGuide;
        lastGuide = previous;
        sampler.run(frame, guide);
        float[] g0 = guide[0];
        float[] g1 = guide[1];
        float[] g2 = guide[2];
        float[] l0 = lastGuide[0];
        float[] l1 = lastGuide[1];
        float[] l2 = lastGuide[2];
        float still = startOver ? 1f : t.weight();
        float perChange = startOver ? 0f : 1f / (3f * t.motionThreshold());
        float low = e.low();
        float toRamp = 1f / (e.high() - e.low());
        // Short loops of plain arithmetic, which the JIT vectorises; one loop doing it all is not (8x slower).
        float[] s = smoothed;
        for (int i = 0; i < texels; i++) {
            float change = Math.abs(g0[i] - l0[i]) + Math.abs(g1[i] - l1[i]) + Math.abs(g2[i] - l2[i]);
            float alpha = still + (1f - still) * Math.min(1f, change * perChange);
            s[i] += (Math.min(1f, Math.max(0f, values[i])) - s[i]) * alpha;
        }
        for (int i = 0; i < texels; i++) {
            float ramp = Math.min(1f, Math.max(0f, (s[i] - low) * toRamp));
            values[i] = ramp * ramp * (3f - 2f * ramp); // smoothstep
        }
        unorm8(values); // into an R8 target on the GL
        if (featherRadius > 0) { // for OpenCV's filter; without a feather the values go straight on
            thresholdedValues.put(0, values);
        }
        startOver = false;
    }

    /** mask_edge.frag: the Gaussian feather and its direction; or the thresholded mask as it is. */
    private void feather() {
        if (featherRadius > 0) {
            sepFilter2D(thresholded, feathered, CV_32F, kernelX, kernelX, anchor, 0, BORDER_REPLICATE);
            featheredValues.get(0, values);
        }
        Edge.FeatherDirection direction = settings.edge().direction();
        if (featherRadius > 0 && direction == Edge.FeatherDirection.INWARD) {
            for (int i = 0; i < texels; i++) {
                values[i] = 2f * values[i] - 1f; // clamped by unorm8
            }
        } else if (featherRadius > 0 && direction == Edge.FeatherDirection.OUTWARD) {
            for (int i = 0; i < texels; i++) {
                values[i] = 2f * values[i];
            }
        }
        if (featherRadius > 0) { // else the values are the thresholded mask, already in 8-bit steps
            unorm8(values); // the shaped target is RGBA8 on the GL
        }
        System.arraycopy(values, 0, mask, 0, texels);
    }

    /** The shaped mask of the last {@link #run} as a Mat, copied there when asked: only the blur reads it. */
    Mat shapedMask() {
        shapedMaskValues.put(0, mask);
        return shapedMask;
    }

    /**
     * guided_coefficients.frag and guided_mean.frag, only where the blend reads them: the blend
     * clamps the guided mask between the 2x2 shaped-mask texels around each pixel, so where those
     * are equal the coefficients do not matter. They are fitted for the texels of every 2x2 block
     * that holds two values, from the windows (coordinates clamped at the border, as the GL's
     * texel fetches) around them: a band a few texels wide along the edge.
     */
    private void fitGuidedFilter() {
        int r = settings.guide().radius();
        float eps = settings.guide().eps();
        float n = (2 * r + 1) * (2 * r + 1);
        markNeeded(r);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int t = y * width + x;
                if (nearEdge[t] < 2) { // not within r of a texel whose mean is needed
                    continue;
                }
                float mr = 0, mg = 0, mb = 0, mp = 0, rp = 0, gp = 0, bp = 0;
                float rr = 0, gg = 0, bb = 0, rg = 0, rb = 0, gb = 0;
                for (int j = -r; j <= r; j++) {
                    int row = Math.max(0, Math.min(height - 1, y + j)) * width;
                    for (int i = -r; i <= r; i++) {
                        int s = row + Math.max(0, Math.min(width - 1, x + i));
                        float cr = guide[0][s];
                        float cg = guide[1][s];
                        float cb = guide[2][s];
                        float m = mask[s];
                        mr += cr;
                        mg += cg;
                        mb += cb;
                        mp += m;
                        rp += cr * m;
                        gp += cg * m;
                        bp += cb * m;
                        rr += cr * cr;
                        gg += cg * cg;
                        bb += cb * cb;
                        rg += cr * cg;
                        rb += cr * cb;
                        gb += cg * cb;
                    }
                }
                mr /= n;
                mg /= n;
                mb /= n;
                mp /= n;
                float covR = rp / n - mr * mp;
                float covG = gp / n - mg * mp;
                float covB = bp / n - mb * mp;
                // Sigma + eps I, symmetric: [a d e; d b f; e f c]
                float a = rr / n - mr * mr + eps;
                float b = gg / n - mg * mg + eps;
                float c = bb / n - mb * mb + eps;
                float d = rg / n - mr * mg;
                float e = rb / n - mr * mb;
                float f = gb / n - mg * mb;
                float i00 = b * c - f * f;
                float i01 = e * f - d * c;
                float i02 = d * f - b * e;
                float i11 = a * c - e * e;
                float i12 = d * e - a * f;
                float i22 = a * b - d * d;
                float inv = 1f / (a * i00 + d * i01 + e * i02);
                float ar = (i00 * covR + i01 * covG + i02 * covB) * inv;
                float ag = (i01 * covR + i11 * covG + i12 * covB) * inv;
                float ab = (i02 * covR + i12 * covG + i22 * covB) * inv;
                perWindow[t * 4] = ar;
                perWindow[t * 4 + 1] = ag;
                perWindow[t * 4 + 2] = ab;
                perWindow[t * 4 + 3] = mp - ar * mr - ag * mg - ab * mb;
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int t = y * width + x;
                if (nearEdge[t] < 3) {
                    continue;
                }
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int j = -r; j <= r; j++) {
                    int row = Math.max(0, Math.min(height - 1, y + j)) * width;
                    for (int i = -r; i <= r; i++) {
                        int u = (row + Math.max(0, Math.min(width - 1, x + i))) * 4;
                        s0 += perWindow[u];
                        s1 += perWindow[u + 1];
                        s2 += perWindow[u + 2];
                        s3 += perWindow[u + 3];
                    }
                }
                coefficients[t * 4] = s0 / n;
                coefficients[t * 4 + 1] = s1 / n;
                coefficients[t * 4 + 2] = s2 / n;
                coefficients[t * 4 + 3] = s3 / n;
                if (yuvModel) {
                    Bt601.toYuvModel(coefficients, t * 4);
                }
            }
        }
    }

    /**
     * nearEdge per texel: 3 where the blend reads its coefficients (a texel of a 2x2 block holding
     * two mask values), 2 within r of one (its window's fit is averaged there), else 0.
     */
    private void markNeeded(int r) {
        java.util.Arrays.fill(nearEdge, (byte) 0);
        for (int y = 0; y < height; y++) {
            int below = Math.min(height - 1, y + 1) * width;
            for (int x = 0; x < width; x++) {
                int right = Math.min(width - 1, x + 1);
                float m = mask[y * width + x];
                if (mask[y * width + right] != m || mask[below + x] != m || mask[below + right] != m) {
                    nearEdge[y * width + x] = 3;
                    nearEdge[y * width + right] = 3;
                    nearEdge[below + x] = 3;
                    nearEdge[below + right] = 3;
                }
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (nearEdge[y * width + x] != 3) {
                    continue;
                }
                for (int j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j++) {
                    for (int i = Math.max(0, x - r); i <= Math.min(width - 1, x + r); i++) {
                        if (nearEdge[j * width + i] == 0) {
                            nearEdge[j * width + i] = 2;
                        }
                    }
                }
            }
        }
    }

    /** Added and taken away again, it rounds a float below 2^23 to the nearest whole number (ties to even). */
    private static final float ROUNDER = 1 << 23;

    /**
     * What an 8-bit normalised target stores of each value (the nearest of 256 steps), in place. Plain
     * arithmetic, which the JIT vectorises: a cast or Math.floor here took 5-10 times as long.
     */
    private void unorm8(float[] v) {
        for (int i = 0; i < texels; i++) {
            v[i] = (Math.min(1f, Math.max(0f, v[i])) * 255f + ROUNDER - ROUNDER) * (1f / 255);
        }
    }

    @Override
    public void close() {
        sampler.close();
        for (Mat m : new Mat[] {modelMask, workingMask, thresholded, feathered, kernelX, shapedMask}) {
            m.close();
        }
        anchor.close();
    }
}
