package dev.backdrop.compose;

import static org.lwjgl.opengl.GL31.*;

import java.nio.file.Path;

/**
 * The frame cut into {@link #TILE}-pixel tiles, each classed every frame by the shaped mask as all
 * person, all background or edge (mask_tiles.frag, one fragment per tile), and drawn as instanced
 * quads (blend_tiles.vert) so that each kind of tile gets its own, cheapest blend. llvmpipe runs
 * both sides of every branch, so a per-pixel early-out saves nothing there; pixels the expensive
 * shader never rasterises do.
 */
final class BlendTiles implements AutoCloseable {
    /**
     * Tile side in pixels. Smaller tiles put fewer pixels through the guided filter but cost more
     * vertex and set-up work (three draws of one quad per tile). Measured on llvmpipe at 720p (whole
     * composite, quiet machine, two rounds): 16 px 8.0-8.4 ms with blur / 6.8 ms with an image, 32 px
     * 6.6-6.7 / 5.0-5.1, 64 px 6.2-6.9 / 4.9-5.5, 128 px 6.6-6.9 / 5.2-5.4.
     */
    static final int TILE = 32;
    /** Texture unit the tile classes are bound to for blend_tiles.vert. */
    static final int UNIT = 3;

    final int tilesX;
    final int tilesY;
    private final ShaderProgram classify;
    private final RenderTarget classes;
    private final int vertexArray;

    /**
     * margin: mask texels beyond those the guided upsampling reads that must also be all person or
     * all background for a tile to take a cheap blend (0 unless the blend looks further).
     */
    BlendTiles(Path shaderDir, int width, int height, int maskWidth, int maskHeight, int margin) {
        tilesX = (width + TILE - 1) / TILE;
        tilesY = (height + TILE - 1) / TILE;
        int span = (int) Math.ceil(TILE * Math.max((double) maskWidth / width, (double) maskHeight / height))
                + 2 * margin + 4;
        classify = new ShaderProgram(shaderDir, "mask_tiles.frag", defines(width, height)
                + "#define SPAN " + span + "\n#define MARGIN " + margin + "\n");
        try {
            classify.sampler("shaped", 0);
            classes = new RenderTarget(GL_RG8, tilesX, tilesY);
        } catch (RuntimeException e) {
            classify.close();
            throw e;
        }
        vertexArray = glGenVertexArrays();
    }

    /** The #defines blend_tiles.vert (and so every program drawn through {@link #draw}) needs. */
    String defines(int width, int height) {
        return "#define TILE " + TILE + "\n#define WIDTH " + width + "\n#define HEIGHT " + height
                + "\n#define TILES_X " + tilesX + "\n";
    }

    /** Classes every tile from the shaped mask (mask size, a = mask) and binds the result to {@link #UNIT}. */
    void classify(Texture shaped, FullscreenTriangle triangle) {
        classes.bind();
        classify.use();
        shaped.bind(0);
        triangle.draw();
        classes.texture.bind(UNIT);
    }

    /** One quad per tile with the program in use; its vertex shader drops the tiles of other kinds. */
    void draw() {
        glBindVertexArray(vertexArray);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, tilesX * tilesY);
    }

    @Override
    public void close() {
        glDeleteVertexArrays(vertexArray);
        classes.close();
        classify.close();
    }
}
