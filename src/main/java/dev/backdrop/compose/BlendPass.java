package dev.backdrop.compose;

import static org.lwjgl.opengl.GL20.*;

import java.nio.file.Path;

/**
 * Last pass: person over background through the guided mask, computed inline from the guided filter's
 * coefficients (blend.frag), drawn tile by tile ({@link BlendTiles}) over the frame itself: all-person tiles
 * are left as they are, all-background tiles copy the background, and only edge tiles run the
 * guided filter and the optional light wrap.
 */
final class BlendPass implements AutoCloseable {
    /** What the background texture is; blend.frag's BACKGROUND is the ordinal. */
    enum BackgroundTexture {
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
    private static final int COEFFICIENTS_UNIT = 4; // BlendTiles.UNIT is 3
    /**
     * blend.frag's TILE_KIND values drawn: all background (1) and edge (2). All-person tiles (0, see
     * blend_tiles.vert) already hold the frame.
     */
    private static final int[] DRAWN_KINDS = {1, 2};

    private final BlendTiles tiles;
    private final ShaderProgram[] kinds = new ShaderProgram[DRAWN_KINDS.length];

    /**
     * wrap: the light wrap's strength, 0 = none (it applies only to a replaced background). The guided
     * mask stays within the mask texels around a pixel (guided_mask.glsl), so a tile whose texels are all
     * person or all background needs no guided filter, whatever the filter's window.
     */
    BlendPass(Path shaderDir, int width, int height, int maskWidth, int maskHeight, float wrap,
              BackgroundTexture background) {
        // Edge tiles must cover every pixel the wrap can reach: widen them by its radius in mask texels.
        int margin = wrap > 0
                ? (int) Math.ceil(WRAP_RADIUS * Math.max((double) maskWidth / width, (double) maskHeight / height)) + 1
                : 0;
        tiles = new BlendTiles(shaderDir, width, height, maskWidth, maskHeight, margin);
        try {
            String defines = tiles.defines(width, height) + "#define BACKGROUND " + background.ordinal()
                    + "\n#define LIGHT_WRAP " + (wrap > 0 ? 1 : 0) + "\n";
            for (int i = 0; i < DRAWN_KINDS.length; i++) {
                ShaderProgram program = new ShaderProgram(shaderDir, "blend_tiles.vert", "blend.frag",
                        defines + "#define TILE_KIND " + DRAWN_KINDS[i] + "\n");
                kinds[i] = program;
                program.sampler("tiles", BlendTiles.UNIT);
                // Only the kinds that read them keep these (a background tile of a replaced background reads no frame).
                program.optionalSampler("frame", FRAME_UNIT);
                program.optionalSampler("shaped", MASK_UNIT);
                program.optionalSampler("background", BACKGROUND_UNIT);
                program.optionalSampler("coefficients", COEFFICIENTS_UNIT);
                glUniform1f(program.optionalUniform("wrapStrength"), wrap);
                glUniform2f(program.optionalUniform("wrapReach"), WRAP_RADIUS / width, WRAP_RADIUS / height);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Blends in place: canvas holds the frame and is left holding the composite. Each fragment reads
     * only its own texel of the frame, and each texel is written once, which GL allows of a texture
     * that is also the draw target (GL 4.5, section 9.3.1, feedback loops).
     */
    void run(RenderTarget canvas, Texture shaped, Texture coefficients, Texture background, FullscreenTriangle triangle) {
        tiles.classify(shaped, triangle);
        canvas.bind();
        canvas.texture.bind(FRAME_UNIT);
        shaped.bind(MASK_UNIT);
        background.bind(BACKGROUND_UNIT);
        coefficients.bind(COEFFICIENTS_UNIT);
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
