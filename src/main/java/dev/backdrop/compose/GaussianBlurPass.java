package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Pass 3: separable Gaussian (gaussian_blur.frag), horizontal into a scratch target, then vertical back. */
final class GaussianBlurPass implements AutoCloseable {
    private final ShaderProgram program;
    private final int step;
    private final int taps;
    private final int offsets;
    private final int weights;
    private final int centreWeight;
    private final GaussianKernel horizontal;
    private final GaussianKernel vertical;

    /** Sigmas in texels of the reduced resolution the blur runs at. */
    GaussianBlurPass(Path shaderDir, float sigmaX, float sigmaY) {
        horizontal = new GaussianKernel(sigmaX);
        vertical = new GaussianKernel(sigmaY);
        program = new ShaderProgram(shaderDir, "gaussian_blur.frag");
        program.sampler("source", 0);
        step = program.uniform("step");
        taps = program.uniform("taps");
        offsets = program.uniform("offsets");
        weights = program.uniform("weights");
        centreWeight = program.uniform("centreWeight");
    }

    /** Blurs {@code image} in place, using {@code scratch} (same size) for the horizontal result. */
    void run(RenderTarget image, RenderTarget scratch, FullscreenTriangle triangle) {
        program.use();
        direction(image, scratch, 1f / image.width(), 0f, horizontal, triangle);
        direction(scratch, image, 0f, 1f / image.height(), vertical, triangle);
    }

    private void direction(RenderTarget source, RenderTarget target, float stepX, float stepY, GaussianKernel kernel,
                           FullscreenTriangle triangle) {
        target.bind();
        glUniform2f(step, stepX, stepY);
        glUniform1i(taps, kernel.taps);
        glUniform1fv(offsets, kernel.offsets); // float[] overloads pass the array without a copy
        glUniform1fv(weights, kernel.weights);
        glUniform1f(centreWeight, kernel.centreWeight);
        source.texture.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
