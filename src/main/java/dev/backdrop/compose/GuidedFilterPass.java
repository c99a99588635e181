package dev.backdrop.compose;

import static org.lwjgl.opengl.GL30.*;

import dev.backdrop.config.Guide;
import java.nio.file.Path;

/**
 * The fast guided filter's mask-size half: the shaped mask and its guide colour into per-texel linear
 * models (guided_coefficients.frag), averaged over the window (guided_mean.frag). guided_mask.glsl
 * applies them to the frame's own colours at full resolution.
 */
final class GuidedFilterPass implements AutoCloseable {
    private final GlResources resources = new GlResources();
    private final ShaderProgram fit;
    private final ShaderProgram mean;
    /** 32-bit: a and b can be large with opposite signs where a window is nearly one colour. */
    private final RenderTarget perWindow;
    private final RenderTarget coefficients;

    /** maskWidth x maskHeight: the shaped mask's size, which the filter runs at. */
    GuidedFilterPass(Path shaderDir, int maskWidth, int maskHeight, Guide guide) {
        String defines = "#define RADIUS " + guide.radius() + "\n";
        try {
            perWindow = resources.add(new RenderTarget(GL_RGBA32F, maskWidth, maskHeight));
            coefficients = resources.add(new RenderTarget(GL_RGBA32F, maskWidth, maskHeight));
            fit = resources.add(new ShaderProgram(shaderDir, "guided_coefficients.frag", defines));
            fit.sampler("shaped", 0);
            glUniform1f(fit.uniform("eps"), guide.eps());
            mean = resources.add(new ShaderProgram(shaderDir, "guided_mean.frag", defines));
            mean.sampler("perWindow", 0);
        } catch (RuntimeException | Error e) {
            resources.closeAll();
            throw e;
        }
    }

    /** shaped: rgb = guide colour, a = mask. Returns the coefficients (rgb = a, a = b), valid until the next run. */
    Texture run(Texture shaped, FullscreenTriangle triangle) {
        perWindow.bind();
        fit.use();
        shaped.bind(0);
        triangle.draw();
        coefficients.bind();
        mean.use();
        perWindow.texture.bind(0);
        triangle.draw();
        return coefficients.texture;
    }

    @Override
    public void close() {
        resources.closeAll();
    }
}
