package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/**
 * Last pass: person over background through the guided mask, computed inline from the shaped mask
 * (blend.frag), drawn tile by tile ({@link BlendTiles}): all-person tiles copy the frame,
 * all-background tiles copy the background, and only edge tiles run the guided filter and the
 * optional light wrap.
 */
final class BlendPass implements AutoCloseable {
    /** What the background texture is; blend.frag's BACKGROUND is the ordinal. */
    enum Background {
        /** The halo-free blur: reduced size, premultiplied by background weight. */
        BLURRED,
        /** Frame-sized: a fitted replacement image or video, or the frame itself. */
        FRAME_SIZED,
        /** 1x1: a solid colour. */
        SOLID
    }

    /** How far the light wrap reaches into the person, in frame pixels. */
    static final float WRAP_RADIUS = 10f;

    private static final int FRAME_UNIT = 0;
    private static final int MASK_UNIT = 1;
    private static final int BACKGROUND_UNIT = 2;
    /** blend.frag's TILE_KIND values: all person, all background, edge (see blend_tiles.vert). */
    private static final int KINDS = 3;

    private final BlendTiles tiles;
    private final ShaderProgram[] kinds = new ShaderProgram[KINDS];

    /**
     * The guided upsampling's sigmas come from settings (space in mask texels, colour in 0..1; see
     * guided_mask.glsl), and the light wrap, which applies only to a replaced background.
     */
    BlendPass(Path shaderDir, int width, int height, int maskWidth, int maskHeight, ComposeSettings settings,
              Background background) {
        float wrap = settings.replaces() ? settings.lightWrap() : 0f;
        // Edge tiles must cover every pixel the wrap can reach: widen them by its radius in mask texels.
        int margin = wrap > 0
                ? (int) Math.ceil(WRAP_RADIUS * Math.max((double) maskWidth / width, (double) maskHeight / height)) + 1
                : 0;
        tiles = new BlendTiles(shaderDir, width, height, maskWidth, maskHeight, margin);
        try {
            String defines = tiles.defines(width, height) + "#define BACKGROUND " + background.ordinal()
                    + "\n#define LIGHT_WRAP " + (wrap > 0 ? 1 : 0) + "\n";
            for (int kind = 0; kind < KINDS; kind++) {
                ShaderProgram program = new ShaderProgram(shaderDir, "blend_tiles.vert", "blend.frag",
                        defines + "#define TILE_KIND " + kind + "\n");
                kinds[kind] = program;
                program.sampler("tiles", BlendTiles.UNIT);
                // Only the kinds that read them keep these (a background tile of a replaced background reads no frame).
                program.optionalSampler("frame", FRAME_UNIT);
                program.optionalSampler("shaped", MASK_UNIT);
                program.optionalSampler("background", BACKGROUND_UNIT);
                GuidedMask.setSigmas(program, settings.guideSigmaSpace(), settings.guideSigmaColour());
                glUniform1f(program.optionalUniform("wrapStrength"), wrap);
                glUniform2f(program.optionalUniform("wrapReach"), WRAP_RADIUS / width, WRAP_RADIUS / height);
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
