package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Pass 4: person over background through the mask (blend.frag). */
final class BlendPass implements AutoCloseable {
    private static final int FRAME_UNIT = 0;
    private static final int MASK_UNIT = 1;
    private static final int BACKGROUND_UNIT = 2;

    private final ShaderProgram program;
    private final int backgroundScale;
    private final int backgroundOffset;
    private final int premultiplied;
    private final int borderColour;

    BlendPass(Path shaderDir) {
        program = new ShaderProgram(shaderDir, "blend.frag");
        program.sampler("frame", FRAME_UNIT);
        program.sampler("mask", MASK_UNIT);
        program.sampler("background", BACKGROUND_UNIT);
        backgroundScale = program.uniform("backgroundScale");
        backgroundOffset = program.uniform("backgroundOffset");
        premultiplied = program.uniform("premultiplied");
        borderColour = program.uniform("borderColour");
    }

    /**
     * {@code fit} maps frame uv to background uv: scale x, scale y, offset x, offset y. A premultiplied
     * background is the weighted blur (divided by its alpha); border is 0xRRGGBB outside the image.
     */
    void run(Texture frame, Texture mask, Texture background, boolean isPremultiplied, float[] fit, int border,
             RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        glUniform1i(premultiplied, isPremultiplied ? 1 : 0);
        glUniform3f(borderColour, ((border >> 16) & 0xFF) / 255f, ((border >> 8) & 0xFF) / 255f, (border & 0xFF) / 255f);
        glUniform2f(backgroundScale, fit[0], fit[1]);
        glUniform2f(backgroundOffset, fit[2], fit[3]);
        frame.bind(FRAME_UNIT);
        mask.bind(MASK_UNIT);
        background.bind(BACKGROUND_UNIT);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
