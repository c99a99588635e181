package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/** Last pass: person over background through the guided mask, computed inline from the shaped mask (blend.frag). */
final class BlendPass implements AutoCloseable {
    private static final int FRAME_UNIT = 0;
    private static final int MASK_UNIT = 1;
    private static final int BACKGROUND_UNIT = 2;

    private final ShaderProgram program;
    private final int backgroundScale;
    private final int backgroundOffset;
    private final int premultiplied;
    private final int borderColour;

    /** The guided upsampling's sigmas: space in mask texels, colour in 0..1 (see guided_mask.glsl). */
    BlendPass(Path shaderDir, float sigmaSpace, float sigmaColour) {
        program = new ShaderProgram(shaderDir, "blend.frag");
        program.sampler("frame", FRAME_UNIT);
        program.sampler("shaped", MASK_UNIT);
        program.sampler("background", BACKGROUND_UNIT);
        backgroundScale = program.uniform("backgroundScale");
        backgroundOffset = program.uniform("backgroundOffset");
        premultiplied = program.uniform("premultiplied");
        borderColour = program.uniform("borderColour");
        glUniform1f(program.uniform("spaceFactor"), -1f / (2 * sigmaSpace * sigmaSpace));
        glUniform1f(program.uniform("colourFactor"), -1f / (2 * sigmaColour * sigmaColour));
    }

    /**
     * {@code fit} maps frame uv to background uv: scale x, scale y, offset x, offset y. A premultiplied
     * background is the weighted blur (divided by its alpha); border is 0xRRGGBB outside the image.
     */
    void run(Texture frame, Texture shaped, Texture background, boolean isPremultiplied, float[] fit, int border,
             RenderTarget target, FullscreenTriangle triangle) {
        target.bind();
        program.use();
        glUniform1i(premultiplied, isPremultiplied ? 1 : 0);
        glUniform3f(borderColour, ((border >> 16) & 0xFF) / 255f, ((border >> 8) & 0xFF) / 255f, (border & 0xFF) / 255f);
        glUniform2f(backgroundScale, fit[0], fit[1]);
        glUniform2f(backgroundOffset, fit[2], fit[3]);
        frame.bind(FRAME_UNIT);
        shaped.bind(MASK_UNIT);
        background.bind(BACKGROUND_UNIT);
        triangle.draw();
    }

    @Override
    public void close() {
        program.close();
    }
}
