package dev.backdrop.compose;

import java.nio.file.Path;

/**
 * Last pass: person over background through the guided mask, computed inline from the shaped mask
 * (blend.frag), drawn tile by tile ({@link BlendTiles}): all-person tiles copy the frame,
 * all-background tiles copy the background, and only edge tiles run the guided filter.
 */
final class BlendPass implements AutoCloseable {
    private static final int FRAME_UNIT = 0;
    private static final int MASK_UNIT = 1;
    private static final int BACKGROUND_UNIT = 2;
    /** blend.frag's TILE_KIND values, in drawing order; blend_tiles.vert classes tiles the same way. */
    private static final int PERSON = 0;
    private static final int BACKGROUND = 1;
    private static final int EDGE = 2;

    private final BlendTiles tiles;
    private final ShaderProgram[] kinds = new ShaderProgram[3];

    /**
     * The guided upsampling's sigmas: space in mask texels, colour in 0..1 (see guided_mask.glsl).
     * premultiplied: the background is the weighted blur (blend.frag divides it by its alpha).
     */
    BlendPass(Path shaderDir, int width, int height, int maskWidth, int maskHeight, float sigmaSpace,
              float sigmaColour, boolean premultiplied) {
        tiles = new BlendTiles(shaderDir, width, height, maskWidth, maskHeight, 0);
        try {
            String defines = tiles.defines(width, height) + "#define PREMULTIPLIED " + (premultiplied ? 1 : 0) + "\n";
            for (int kind : new int[] {PERSON, BACKGROUND, EDGE}) {
                ShaderProgram program = new ShaderProgram(shaderDir, "blend_tiles.vert", "blend.frag",
                        defines + "#define TILE_KIND " + kind + "\n");
                kinds[kind] = program;
                program.sampler("tiles", BlendTiles.UNIT);
                // Only the kinds that read them keep these (a background tile of a replaced background reads no frame).
                program.optionalSampler("frame", FRAME_UNIT);
                program.optionalSampler("shaped", MASK_UNIT);
                program.optionalSampler("background", BACKGROUND_UNIT);
                GuidedMask.setSigmas(program, sigmaSpace, sigmaColour);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    void run(Texture frame, Texture shaped, Texture background, RenderTarget target, FullscreenTriangle triangle) {
        tiles.classify(shaped, triangle);
        target.bind();
        frame.bind(FRAME_UNIT);
        shaped.bind(MASK_UNIT);
        background.bind(BACKGROUND_UNIT);
        for (ShaderProgram program : kinds) {
            program.use();
            tiles.draw();
        }
    }

    @Override
    public void close() {
        for (ShaderProgram program : kinds) {
            if (program != null) {
                program.close();
            }
        }
        tiles.close();
    }
}
