package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/**
 * Pass 3: separable Gaussian (gaussian_blur.frag), horizontal into a scratch target, then vertical
 * back. One program per direction, each with its tap count compiled in (see {@link ShaderProgram}).
 */
final class GaussianBlurPass implements AutoCloseable {
    private final Direction horizontal;
    private final Direction vertical;

    /** Sigmas in texels of the reduced resolution the blur runs at. */
    GaussianBlurPass(Path shaderDir, float sigmaX, float sigmaY) {
        horizontal = new Direction(shaderDir, new GaussianKernel(sigmaX));
        Direction v;
        try {
            v = new Direction(shaderDir, new GaussianKernel(sigmaY));
        } catch (RuntimeException e) {
            horizontal.program.close();
            throw e;
        }
        vertical = v;
    }

    /** Blurs {@code image} in place, using {@code scratch} (same size) for the horizontal result. */
    void run(RenderTarget image, RenderTarget scratch, FullscreenTriangle triangle) {
        horizontal.run(image, scratch, 1f / image.width(), 0f, triangle);
        vertical.run(scratch, image, 0f, 1f / image.height(), triangle);
    }

    private static final class Direction {
        final ShaderProgram program;
        final int step;

        Direction(Path shaderDir, GaussianKernel kernel) {
            program = new ShaderProgram(shaderDir, "gaussian_blur.frag", "#define TAPS " + kernel.taps + "\n");
            program.sampler("source", 0);
            step = program.uniform("step");
            glUniform1fv(program.uniform("offsets"), kernel.offsets); // set once: the kernel never changes
            glUniform1fv(program.uniform("weights"), kernel.weights);
            glUniform1f(program.uniform("centreWeight"), kernel.centreWeight);
        }

        void run(RenderTarget source, RenderTarget target, float stepX, float stepY, FullscreenTriangle triangle) {
            target.bind();
            program.use();
            glUniform2f(step, stepX, stepY);
            source.texture.bind(0);
            triangle.draw();
        }
    }

    @Override
    public void close() {
        horizontal.program.close();
        vertical.program.close();
    }
}
