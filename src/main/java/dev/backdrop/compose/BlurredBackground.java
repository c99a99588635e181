package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import dev.backdrop.config.Blur;
import java.nio.file.Path;

/**
 * The real background blurred, halo-free: the frame is box-filtered to a reduced size weighted by
 * background-ness (so the person does not bleed into it), then Gaussian-blurred there.
 */
final class BlurredBackground implements BackgroundLayer {

    /** Strongest blur sigma in reduced-size texels: stronger blurs run at a smaller size, so cost stays flat. */
    static final float MAX_SMALL_SIGMA = 2f;

    private final RenderTarget small;
    private final RenderTarget scratch;
    private final DownsamplePass downsample;
    private final GaussianBlurPass blur;
    private final GlResources resources = new GlResources();

    BlurredBackground(Blur settings, int width, int height, Path shaderDir) {
        float scale = scale(settings.sigma(), settings.scale());
        int smallWidth = Math.max(1, Math.round(width * scale));
        int smallHeight = Math.max(1, Math.round(height * scale));
        try {
            small = resources.add(new RenderTarget(GL_RGBA8, smallWidth, smallHeight));
            scratch = resources.add(new RenderTarget(GL_RGBA8, smallWidth, smallHeight));
            downsample = resources.add(new DownsamplePass(shaderDir, "background_downsample.frag",
                    width, height, smallWidth, smallHeight));
            // Sigma is given in output pixels; at reduced size it shrinks with the resolution.
            blur = resources.add(new GaussianBlurPass(shaderDir,
                    settings.sigma() * smallWidth / width, settings.sigma() * smallHeight / height));
        } catch (RuntimeException | Error e) {
            resources.closeAll();
            throw e;
        }
    }

    /** The fraction of the frame size the blur runs at for this sigma. */
    static float scale(float sigma, float maxScale) {
        return Math.min(maxScale, MAX_SMALL_SIGMA / sigma);
    }

    @Override
    public Kind kind() {
        return Kind.BLURRED;
    }

    @Override
    public Texture draw(Texture frame, Texture shaped, long timestampMicros, FullscreenTriangle triangle) {
        downsample.run(frame, shaped, small, triangle);
        blur.run(small, scratch, triangle);
        return small.texture;
    }

    @Override
    public void close() {
        resources.closeAll();
    }
}
