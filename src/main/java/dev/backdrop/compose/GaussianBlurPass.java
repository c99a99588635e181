package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Pass 3: separable Gaussian (gaussian_blur.frag), horizontal into a scratch target, then vertical back. */
final class GaussianBlurPass implements AutoCloseable {
    private final ShaderProgram program;
    private final int step;
    private final int sigma;
    private final int radius;

    GaussianBlurPass(Path shaderDir) {
        program = new ShaderProgram(shaderDir, "gaussian_blur.frag");
        program.sampler("source", 0);
        step = program.uniform("step");
        sigma = program.uniform("sigma");
        radius = program.uniform("radius");
    }

    /** Kernel radius for a sigma: 3 sigma keeps all but ~0.3% of the weight. */
    static int radiusFor(float sigma) {
        return Math.max(1, (int) Math.ceil(3 * sigma));
    }

    /** Blurs {@code image} in place, using {@code scratch} (same size) for the horizontal result. */
    void run(RenderTarget image, RenderTarget scratch, float sigmaX, float sigmaY, FullscreenTriangle triangle) {
        program.use();
        direction(image, scratch, 1f / image.width(), 0f, sigmaX, triangle);
        direction(scratch, image, 0f, 1f / image.height(), sigmaY, triangle);
    }

    private void direction(RenderTarget source, RenderTarget target, float stepX, float stepY, float sigmaTexels,
                           FullscreenTriangle triangle) {
        target.bind();
        glUniform2f(step, stepX, stepY);
        glUniform1f(sigma, sigmaTexels);
        glUniform1i(radius, radiusFor(sigmaTexels));
        source.texture.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
