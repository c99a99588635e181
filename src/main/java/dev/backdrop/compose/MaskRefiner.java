package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * The model's mask, at the model's size, into the shaped mask the blend reads: shrunk to the
 * working size when it is large, smoothed over time guided by the frame with the soft threshold
 * (TemporalPass), then feathered (EdgePass), and fitted with the guided filter's linear models
 * (GuidedFilterPass) that the blend applies at full resolution. The temporal state lives here, so
 * frames must come in order (see {@link #reset}).
 */
final class MaskRefiner implements AutoCloseable {

    /**
     * Most texels the mask passes run at (640x360). A larger model mask (RVM's is the frame's size)
     * is first shrunk to fit: on llvmpipe at 720p, RVM's full-size mask made the compositor 59 ms
     * a frame, 22 ms at this size, and the blend's guided upsampling puts the edge back on the
     * frame's.
     */
    static final int MAX_MASK_TEXELS = 640 * 360;

    private final FrameGeometry geometry;
    private final Path shaderDir;
    /** Mask texels per frame pixel, to express pixel-sized settings at mask size. */
    private final float maskPerPixel;
    private final Texture mask;
    /** A large model mask shrunk to the working size; or null. */
    private final RenderTarget workingMask;
    private final DownsamplePass maskDownsample;
    /**
     * Temporal state, ping-ponged: rgb = guide colour (the frame box-filtered to mask size), a =
     * smoothed mask; each also writes the soft-thresholded mask into {@link #thresholded}.
     */
    private final RenderTarget[] temporal = new RenderTarget[2];
    /** The smoothed mask after the soft threshold, R8 at mask size: what the feather blurs. */
    private final Texture thresholded;
    /** The thresholded, feathered mask at working size with the guide colour beside it. */
    private final RenderTarget shaped;
    private final GlResources resources = new GlResources();
    private int current;
    private boolean startOver = true;
    // Built from the settings' temporal and edge groups; replaced by update().
    private TemporalPass temporalPass;
    private EdgePass edge;
    private GuidedFilterPass guided;
    /** The guided filter's coefficients from the last {@link #run}. */
    private Texture coefficients;

    MaskRefiner(FrameGeometry geometry, ComposeSettings settings, Path shaderDir) {
        this.geometry = geometry;
        this.shaderDir = shaderDir;
        int[] working = workingMaskSize(geometry);
        boolean shrinks = working[0] != geometry.maskWidth() || working[1] != geometry.maskHeight();
        int mw = working[0];
        int mh = working[1];
        maskPerPixel = 0.5f * ((float) mw / geometry.width() + (float) mh / geometry.height());
        try {
            mask = resources.add(new Texture(GL_R32F, geometry.maskWidth(), geometry.maskHeight(),
                    shrinks ? GL_LINEAR : GL_NEAREST));
            workingMask = shrinks ? resources.add(new RenderTarget(GL_R16F, mw, mh)) : null;
            maskDownsample = shrinks ? resources.add(new DownsamplePass(shaderDir, "mask_downsample.frag",
                    geometry.maskWidth(), geometry.maskHeight(), mw, mh)) : null;
            thresholded = resources.add(new Texture(GL_R8, mw, mh, GL_LINEAR));
            temporal[0] = resources.add(new RenderTarget(GL_RGBA16F, mw, mh)).withSecond(thresholded);
            temporal[1] = resources.add(new RenderTarget(GL_RGBA16F, mw, mh)).withSecond(thresholded);
            shaped = resources.add(new RenderTarget(GL_RGBA8, mw, mh));
            temporalPass = temporalPass(settings);
            edge = edgePass(settings);
            guided = new GuidedFilterPass(shaderDir, mw, mh, settings.guide());
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The size the mask passes run at: the model's mask with square texels over the frame, as fine as
     * the model drew it along the axis where it is coarser (a square mask over a 16:9 frame: 256x144,
     * texels of 5x5 pixels where the model's are 5x2.8; the finer rows hold no detail the guided
     * filter does not take from the frame itself), then at most {@link #MAX_MASK_TEXELS}.
     */
    static int[] workingMaskSize(FrameGeometry geometry) {
        double pixels = Math.max((double) geometry.width() / geometry.maskWidth(),
                (double) geometry.height() / geometry.maskHeight());
        return workingMaskSize(
                Math.min(geometry.maskWidth(), Math.max(1, (int) Math.round(geometry.width() / pixels))),
                Math.min(geometry.maskHeight(), Math.max(1, (int) Math.round(geometry.height() / pixels))));
    }

    /** A mask of this size, or shrunk to {@link #MAX_MASK_TEXELS}. */
    static int[] workingMaskSize(int maskWidth, int maskHeight) {
        long texels = (long) maskWidth * maskHeight;
        if (texels <= MAX_MASK_TEXELS) {
            return new int[] {maskWidth, maskHeight};
        }
        double scale = Math.sqrt((double) MAX_MASK_TEXELS / texels);
        return new int[] {Math.max(1, (int) (maskWidth * scale)), Math.max(1, (int) (maskHeight * scale))};
    }

    private TemporalPass temporalPass(ComposeSettings s) {
        return new TemporalPass(shaderDir, geometry.width(), geometry.height(), shaped.width(), shaped.height(),
                s.temporal(), s.edge());
    }

    private EdgePass edgePass(ComposeSettings s) {
        // The feather is given for a 720-row frame, so it covers the same share of the picture at any size.
        return new EdgePass(shaderDir, s.edge().feather() * geometry.height() / 720f * maskPerPixel, s.edge().direction());
    }

    /** The model's mask: maskWidth * maskHeight floats in [0,1], rows top-first, direct and native-order. */
    void upload(FloatBuffer modelMask) {
        // Mask rows are tightly packed floats, so 4-byte alignment (an odd mask width must not be padded).
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        mask.bind(0);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, geometry.maskWidth(), geometry.maskHeight(), GL_RED, GL_FLOAT, modelMask);
    }

    /** Refines the uploaded mask guided by this frame; returns the shaped mask (a = person). */
    Texture run(Texture frame, FullscreenTriangle triangle) {
        Texture maskToRefine = mask;
        if (workingMask != null) {
            maskDownsample.run(mask, null, workingMask, triangle);
            maskToRefine = workingMask.texture;
        }
        RenderTarget previous = temporal[current];
        current ^= 1;
        temporalPass.run(maskToRefine, frame, previous.texture, startOver, temporal[current], triangle);
        startOver = false;
        edge.run(temporal[current].texture, thresholded, shaped, triangle);
        coefficients = guided.run(shaped.texture, triangle);
        return shaped.texture;
    }

    /** The guided filter's coefficients (rgb = a, a = b) at working size, from the last {@link #run}. */
    Texture coefficients() {
        return coefficients;
    }

    /** The shaped mask's size: the working size every mask pass runs at. */
    int width() {
        return shaped.width();
    }

    int height() {
        return shaped.height();
    }

    /** The next frame is not smoothed with the ones before it. */
    void reset() {
        startOver = true;
    }

    /**
     * Rebuilds the passes whose settings changed (temporal, the soft threshold, the feather); the
     * mask's history is kept. Made before the old ones are closed, so a failure changes nothing.
     */
    void update(ComposeSettings previous, ComposeSettings next) {
        boolean newThreshold = next.edge().low() != previous.edge().low() || next.edge().high() != previous.edge().high();
        TemporalPass t = !next.temporal().equals(previous.temporal()) || newThreshold ? temporalPass(next) : null;
        EdgePass e = null;
        GuidedFilterPass g;
        try {
            e = !next.edge().equals(previous.edge()) ? edgePass(next) : null;
            g = !next.guide().equals(previous.guide()) ? new GuidedFilterPass(shaderDir, shaped.width(), shaped.height(),
                    next.guide()) : null;
        } catch (RuntimeException | Error failure) {
            if (t != null) {
                t.close();
            }
            if (e != null) {
                e.close();
            }
            throw failure;
        }
        if (t != null) {
            temporalPass.close();
            temporalPass = t;
        }
        if (e != null) {
            edge.close();
            edge = e;
        }
        if (g != null) {
            guided.close();
            guided = g;
        }
    }

    @Override
    public void close() {
        if (guided != null) {
            guided.close();
        }
        if (edge != null) {
            edge.close();
        }
        if (temporalPass != null) {
            temporalPass.close();
        }
        resources.closeAll();
    }
}
