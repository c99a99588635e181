package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.glUniform1f;

import dev.backdrop.config.Guide;

/** The uniforms of guided_mask.glsl, shared by every program that includes it. */
final class GuidedMask {
    private GuidedMask() {
    }

    /**
     * Space sigma in mask texels, colour sigma in 0..1 colour units. Optional: a variant that does
     * not run the filter (a flat tile of blend.frag) has neither uniform.
     */
    static void setSigmas(ShaderProgram program, Guide guide) {
        program.use();
        glUniform1f(program.optionalUniform("spaceFactor"), -1f / (2 * guide.sigmaSpace() * guide.sigmaSpace()));
        glUniform1f(program.optionalUniform("colourFactor"), -1f / (2 * guide.sigmaColour() * guide.sigmaColour()));
    }
}
