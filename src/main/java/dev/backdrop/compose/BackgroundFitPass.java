package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Once per compositor: the replacement image fitted and resampled to frame size (background_fit.frag). */
final class BackgroundFitPass implements AutoCloseable {
    private final ShaderProgram program;
    private final int scale;
    private final int offset;
    private final int borderColour;

    BackgroundFitPass(Path shaderDir) {
        program = new ShaderProgram(shaderDir, "background_fit.frag");
        program.sampler("image", 0);
        scale = program.uniform("scale");
        offset = program.uniform("offset");
        borderColour = program.uniform("borderColour");
    }

    /** fit: frame uv to image uv as scale x, scale y, offset x, offset y; border 0xRRGGBB. */
    void run(Texture image, float[] fit, int border, RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        glUniform2f(scale, fit[0], fit[1]);
        glUniform2f(offset, fit[2], fit[3]);
        glUniform3f(borderColour, ((border >> 16) & 0xFF) / 255f, ((border >> 8) & 0xFF) / 255f, (border & 0xFF) / 255f);
        image.bind(0);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
