package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGBA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGBA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGBA2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGRA_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2RGBA_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.backdrop.capture.Bt601;
import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.FramePlanes;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.config.ComposeSettings;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The compositing passes on the CPU, for a machine whose GL rasterises on the CPU itself (Mesa's
 * llvmpipe), where the shaders' generality costs several times what the same arithmetic does here.
 * The same steps as {@link GlCompositor}: the mask refined at mask size ({@link CpuMaskRefiner}),
 * the background made ({@link CpuBackground}), and the frame cut into the same 32-pixel tiles
 * classed by the shaped mask: all-person tiles are left alone, all-background tiles take the
 * background with one copy per row, and only edge tiles run the guided upsampling and the blend
 * pixel by pixel. The frame given is composited in place.
 *
 * <p>I420 frames (the decoder's planes, which the encoders take as they are) are composited in
 * YUV: blending and blurring are linear, so they give the RGB result but for rounding. The guide is
 * taken to RGB at mask size, so the guided filter fits the same model as in RGB; that model is then
 * turned into one over Y, U and V ({@link Bt601#toYuvModel}). Each 2x2 block's chroma is blended with
 * the mean of its four pixels' mask.
 */
public final class CpuCompositor implements Compositor {

    private static final byte PERSON = 0;
    private static final byte BACKGROUND = 1;
    private static final byte EDGE = 2;
    private static final int TILE = BlendTiles.TILE;
    /** Frame buffers seen, wrapped as Mats once (a ring's slots come round again); cleared when it grows past this. */
    private static final int MAX_WRAPPED = 64;

    private final int width;
    private final int height;
    private final PixelLayout layout;
    private final int stride;
    private final int channels;
    private final FrameGeometry geometry;
    private final CpuMaskRefiner refiner;
    private final int maskW;
    private final int maskH;
    /** Per frame column and row: the two mask texels a bilinear fetch there reads, and the weight of the second. */
    private final int[] colLo;
    private final int[] colHi;
    private final float[] colF;
    /** Per frame column: one past the last column that reads the same two texel columns. */
    private final int[] runEnd;
    private final int[] rowLo;
    private final int[] rowHi;
    private final float[] rowF;
    private final int tilesX;
    private final int tilesY;
    private final byte[] tiles;
    /** Per tile column and row: the first and last mask texel that decide its kind. */
    private final int[] tileColumns;
    private final int[] tileRows;
    /**
     * Running sums over the shaped mask, (maskW + 1) x (maskH + 1) with a zero first row and column:
     * how many texels above and left of each are above 0, and below 1.
     */
    private final int[] texelsAboveZero;
    private final int[] texelsBelowOne;
    /** The coefficients and the mask's two texels' min and max, interpolated down to one frame row. */
    private final float[] line;
    private final float[] lineLo;
    private final float[] lineHi;
    private final byte[] rowPixels;
    private final byte[] rowBehind;
    private final byte[] rowMask;
    /** A row of the drawn mask where a tile is all person, and all background. */
    private final byte[] allPerson;
    private final byte[] allBackground;
    private final ByteBuffer fullMask;
    private final Map<ByteBuffer, Mat[]> wrapped = new IdentityHashMap<>();
    private final Map<ByteBuffer, Mat> wholeFrames = new IdentityHashMap<>();
    private final Mat converted;
    /** I420: a row pair's mask per pixel, and the chroma rows of the frame and the background. */
    private final boolean yuv;
    private final float[][] alpha;
    private final byte[] rowBelow;
    private final byte[] behindBelow;
    private final byte[] rowU;
    private final byte[] rowV;
    private final byte[] behindU;
    private final byte[] behindV;
    private final long wallClockOrigin = System.nanoTime();

    private ComposeSettings settings;
    private CpuBackground background;
    private float wrap;
    private int margin;
    private boolean live;
    private boolean drawsMask;
    private boolean maskDrawn;
    /**
     * The next frame's {@link #stillSince}; that of the last frame (whose model mask the refiner
     * holds shrunk); and that of the frame the background was last made from. -1: none.
     */
    private long stillSince = -1;
    private long maskFrom = -1;
    private long backgroundFrom = -1;
    private ByteBuffer lastFrame;
    private Mat[] lastPlanes;
    private boolean closed;

    CpuCompositor(Compositor.Builder b) {
        geometry = b.geometry();
        width = geometry.width();
        height = geometry.height();
        if (width <= 0 || height <= 0 || geometry.maskWidth() <= 0 || geometry.maskHeight() <= 0) {
            throw new IllegalArgumentException("sizes must be positive: frame " + width + "x" + height
                    + ", mask " + geometry.maskWidth() + "x" + geometry.maskHeight());
        }
        layout = b.layout();
        yuv = layout == PixelLayout.I420;
        if (yuv && !PixelLayout.fitsI420(width, height)) {
            throw new IllegalArgumentException("I420 frames need an even width and height, not " + width + "x" + height);
        }
        stride = layout.stride(width);
        channels = layout.channels;
        settings = b.settings();
        refiner = new CpuMaskRefiner(geometry, settings, layout);
        maskW = refiner.width();
        maskH = refiner.height();
        colLo = new int[width];
        colHi = new int[width];
        colF = new float[width];
        sampling(width, maskW, colLo, colHi, colF);
        runEnd = new int[width];
        for (int x = width - 1; x >= 0; x--) {
            runEnd[x] = x + 1 < width && colLo[x + 1] == colLo[x] && colHi[x + 1] == colHi[x] ? runEnd[x + 1] : x + 1;
        }
        rowLo = new int[height];
        rowHi = new int[height];
        rowF = new float[height];
        sampling(height, maskH, rowLo, rowHi, rowF);
        tilesX = (width + TILE - 1) / TILE;
        tilesY = (height + TILE - 1) / TILE;
        tiles = new byte[tilesX * tilesY];
        tileColumns = new int[2 * tilesX];
        tileRows = new int[2 * tilesY];
        texelsAboveZero = new int[(maskW + 1) * (maskH + 1)];
        texelsBelowOne = new int[(maskW + 1) * (maskH + 1)];
        line = new float[maskW * 4];
        lineLo = new float[maskW];
        lineHi = new float[maskW];
        rowPixels = new byte[width * channels];
        rowBehind = new byte[width * channels];
        rowMask = new byte[width];
        allPerson = new byte[width];
        java.util.Arrays.fill(allPerson, (byte) 255);
        allBackground = new byte[width];
        alpha = new float[2][yuv ? width : 0];
        rowBelow = new byte[yuv ? width : 0];
        behindBelow = new byte[yuv ? width : 0];
        rowU = new byte[yuv ? width / 2 : 0];
        rowV = new byte[yuv ? width / 2 : 0];
        behindU = new byte[yuv ? width / 2 : 0];
        behindV = new byte[yuv ? width / 2 : 0];
        fullMask = ByteBuffer.allocateDirect(Compositor.maskStride(width) * height);
        converted = new Mat();
        try {
            background = CpuBackground.choose(settings, b.backgroundFile(), width, height, layout);
        } catch (RuntimeException | Error e) {
            refiner.close();
            converted.close();
            throw e;
        }
        shapeBlend();
    }

    /** Where a bilinear fetch at each pixel centre reads a texture of size texels stretched over size pixels. */
    private static void sampling(int size, int texels, int[] lo, int[] hi, float[] weight) {
        for (int i = 0; i < size; i++) {
            float t = (i + 0.5f) * texels / size - 0.5f;
            int first = (int) Math.floor(t);
            weight[i] = t - first;
            lo[i] = Math.max(0, Math.min(texels - 1, first));
            hi[i] = Math.max(0, Math.min(texels - 1, first + 1));
        }
    }

    /** The light wrap's strength and how far it widens the edge tiles, as {@link BlendPass} takes them. */
    private void shapeBlend() {
        wrap = background.kind.replaces ? settings.background().lightWrap() : 0f;
        margin = wrap > 0
                ? (int) Math.ceil(BlendPass.WRAP_RADIUS * Math.max((double) maskW / width, (double) maskH / height)) + 1
                : 0;
        texelSpans(width, maskW, margin, tileColumns);
        texelSpans(height, maskH, margin, tileRows);
    }

    @Override
    public void update(ComposeSettings next, BackgroundFile file) {
        checkOpen();
        boolean newLayer = BackgroundLayer.replacedBy(background.kind, settings, next, file);
        CpuBackground layer = newLayer ? CpuBackground.choose(next, file, width, height, layout) : background;
        if (layer != background) {
            background.close();
            background = layer;
            background.live(live);
        }
        refiner.update(next);
        settings = next;
        backgroundFrom = -1;
        shapeBlend();
    }

    @Override
    public ComposeSettings settings() {
        return settings;
    }

    @Override
    public void stillSince(long frame) {
        stillSince = frame;
    }

    @Override
    public void backgroundVideoLive(boolean live) {
        this.live = live;
        background.live(live);
    }

    @Override
    public void render(ByteBuffer frameIn, int stride, FloatBuffer mask) {
        render(frameIn, stride, mask, (System.nanoTime() - wallClockOrigin) / 1000);
    }

    @Override
    public void render(ByteBuffer frameIn, int stride, FloatBuffer mask, long timestampMicros) {
        checkOpen();
        ComposeArguments.frame(frameIn, stride, this.stride, width, rows(layout), mask,
                geometry.maskWidth() * geometry.maskHeight());
        Mat[] frame = wrap(frameIn);
        // A still picture keeps the background made from the frame it is still since (within the gate's
        // threshold of it); the model's mask, which the blur's weights come from, is that frame's too.
        boolean drawsBackground = !(background.fromPictureAlone() && stillSince >= 0 && stillSince == backgroundFrom);
        if (drawsBackground) {
            background.readFrame(frame);
        }
        refiner.run(mask, frame, stillSince >= 0 && stillSince == maskFrom);
        maskFrom = stillSince;
        if (drawsBackground) {
            background.draw(frame, refiner.shapedMask(), timestampMicros);
            backgroundFrom = stillSince;
        }
        stillSince = -1;
        classifyTiles();
        // BGR frames keep no alpha: readBackBgra takes it from here (I420 frames are never transparent outputs)
        maskDrawn = drawsMask || layout == PixelLayout.BGR24;
        blend(frameIn);
        lastFrame = frameIn;
        lastPlanes = frame;
    }

    /** The frame buffer as Mats (one, or I420's three planes), made once per buffer. */
    private Mat[] wrap(ByteBuffer frame) {
        Mat[] m = wrapped.get(frame);
        if (m == null) {
            if (wrapped.size() >= MAX_WRAPPED) {
                wrapped.values().forEach(CpuCompositor::close);
                wrapped.clear();
            }
            m = FramePlanes.wrap(frame, width, height, layout);
            wrapped.put(frame, m);
        }
        return m;
    }

    private static void close(Mat[] planes) {
        for (Mat m : planes) {
            m.close();
        }
    }

    /**
     * mask_tiles.frag: each tile's kind from the shaped mask texels its pixels (and the wrap's reach)
     * read: none above 0, background; all 1, person. Counted over each tile's texels from running
     * sums of the texels above 0 and below 1, a constant cost per tile however far its texels reach.
     */
    private void classifyTiles() {
        float[] shaped = refiner.mask;
        int across = maskW + 1;
        for (int y = 0; y < maskH; y++) {
            int aboveZero = 0;
            int belowOne = 0;
            for (int x = 0; x < maskW; x++) {
                float m = shaped[y * maskW + x];
                aboveZero += m > 0f ? 1 : 0;
                belowOne += m < 1f ? 1 : 0;
                int at = (y + 1) * across + x + 1;
                texelsAboveZero[at] = texelsAboveZero[at - across] + aboveZero;
                texelsBelowOne[at] = texelsBelowOne[at - across] + belowOne;
            }
        }
        for (int ty = 0; ty < tilesY; ty++) {
            int top = tileRows[2 * ty] * across;
            int bottom = (tileRows[2 * ty + 1] + 1) * across;
            for (int tx = 0; tx < tilesX; tx++) {
                int left = tileColumns[2 * tx];
                int right = tileColumns[2 * tx + 1] + 1;
                int notPerson = texelsBelowOne[bottom + right] - texelsBelowOne[top + right] - texelsBelowOne[bottom + left]
                        + texelsBelowOne[top + left];
                int notBackground = texelsAboveZero[bottom + right] - texelsAboveZero[top + right]
                        - texelsAboveZero[bottom + left] + texelsAboveZero[top + left];
                tiles[ty * tilesX + tx] = notPerson == 0 ? PERSON : notBackground > 0 ? EDGE : BACKGROUND;
            }
        }
    }

    /**
     * For each tile along one axis, the first and last mask texel its pixels can read: those of
     * their bilinear fetches, widened by the margin and by one for rounding (mask_tiles.frag).
     */
    private static void texelSpans(int size, int texels, int margin, int[] spans) {
        for (int tile = 0; tile < spans.length / 2; tile++) {
            float first = (tile * TILE + 0.5f) / size;
            float last = (Math.min((tile + 1) * TILE, size) - 0.5f) / size;
            int lo = (int) Math.floor(first * texels - 0.5f) - (margin + 1);
            int hi = (int) Math.floor(last * texels - 0.5f) + (margin + 2);
            spans[2 * tile] = Math.max(0, Math.min(texels - 1, lo));
            spans[2 * tile + 1] = Math.max(0, Math.min(texels - 1, hi));
        }
    }

    /** blend.frag over the tiles: runs of tiles of one kind along a tile row are handled together. */
    private void blend(ByteBuffer frame) {
        int maskStride = Compositor.maskStride(width);
        for (int ty = 0; ty < tilesY; ty++) {
            int y0 = ty * TILE;
            int y1 = Math.min(height, y0 + TILE);
            int tx = 0;
            while (tx < tilesX) {
                byte kind = tiles[ty * tilesX + tx];
                int end = tx + 1;
                while (end < tilesX && tiles[ty * tilesX + end] == kind) {
                    end++;
                }
                int x0 = tx * TILE;
                int x1 = Math.min(width, end * TILE);
                for (int y = y0; y < y1; y += yuv ? 2 : 1) { // I420: row pairs, which share a chroma row
                    if (kind == EDGE) {
                        if (yuv) {
                            blendEdgeRowPair(frame, y, x0, x1);
                        } else {
                            blendEdgeRow(frame, y, x0, x1);
                        }
                    } else if (kind == BACKGROUND) {
                        takeBackground(frame, y, x0, x1);
                    }
                    if (maskDrawn && kind != EDGE) {
                        byte[] m = kind == PERSON ? allPerson : allBackground;
                        for (int row = y; row < (yuv ? y + 2 : y + 1); row++) {
                            fullMask.put(row * maskStride + x0, m, 0, x1 - x0);
                        }
                    }
                }
                tx = end;
            }
        }
    }

    /**
     * An all-background run of a row: the background's pixels (alpha 0), or the frame's own with
     * alpha 0. I420: of the row pair from y, and their chroma row.
     */
    private void takeBackground(ByteBuffer frame, int y, int x0, int x1) {
        int at = frame.position() + y * stride + x0 * channels;
        int bytes = (x1 - x0) * channels;
        if (yuv) {
            if (background.pixels != null) {
                ByteBuffer from = background.pixels;
                frame.put(at, from, y * width + x0, bytes);
                frame.put(at + width, from, (y + 1) * width + x0, bytes);
                int u = chromaAt(y, x0);
                int v = u + width / 2 * (height / 2);
                frame.put(frame.position() + u, from, u, bytes / 2);
                frame.put(frame.position() + v, from, v, bytes / 2);
            }
            return;
        }
        if (background.pixels != null) {
            frame.put(at, background.pixels, y * stride + x0 * channels, bytes);
        } else if (channels == 4) {
            for (int i = 3; i < bytes; i += 4) {
                frame.put(at + i, (byte) 0);
            }
        }
    }

    /** An edge run of a row: the guided mask from the coefficients at this pixel's colour, and the blend. */
    private void blendEdgeRow(ByteBuffer frame, int y, int x0, int x1) {
        interpolateRow(y, x0, x1);
        int at = frame.position() + y * stride + x0 * channels;
        int bytes = (x1 - x0) * channels;
        frame.get(at, rowPixels, 0, bytes);
        boolean hasPicture = background.pixels != null;
        if (hasPicture) {
            background.pixels.get(y * stride + x0 * channels, rowBehind, 0, bytes);
        }
        // Runs of pixels that read the same two texel columns share the texels' bounds: where those
        // agree the whole run is background (the guided mask is clamped to 0) or person.
        for (int x = x0; x < x1; ) {
            int end = Math.min(x1, runEnd[x]);
            float lo = runLow(x);
            float hi = runHigh(x);
            int p0 = (x - x0) * channels;
            int p1 = (end - x0) * channels;
            if (hi == 0f) {
                if (hasPicture) {
                    System.arraycopy(rowBehind, p0, rowPixels, p0, p1 - p0); // its alpha is 0 already
                } else if (channels == 4) {
                    for (int p = p0 + 3; p < p1; p += 4) {
                        rowPixels[p] = 0;
                    }
                }
                java.util.Arrays.fill(rowMask, x - x0, end - x0, (byte) 0);
            } else if (lo == 1f && wrap == 0f) { // the frame as it is
                if (channels == 4) {
                    for (int p = p0 + 3; p < p1; p += 4) {
                        rowPixels[p] = (byte) 255;
                    }
                }
                java.util.Arrays.fill(rowMask, x - x0, end - x0, (byte) 255);
            } else {
                blendPixels(y, x, end, x0, lo, hi, hasPicture);
            }
            x = end;
        }
        frame.put(at, rowPixels, 0, bytes);
        if (maskDrawn) {
            fullMask.put(y * Compositor.maskStride(width) + x0, rowMask, 0, x1 - x0);
        }
    }

    /**
     * The coefficients and the mask's two texels' min and max of the texel columns that pixels x0..x1
     * read, interpolated down to row y (into {@link #line}, {@link #lineLo}, {@link #lineHi}).
     */
    private void interpolateRow(int y, int x0, int x1) {
        float[] k = refiner.coefficients;
        float[] shaped = refiner.mask;
        int r0 = rowLo[y] * maskW;
        int r1 = rowHi[y] * maskW;
        float fy = rowF[y];
        int first = colLo[x0];
        int last = colHi[x1 - 1];
        // plain loops over contiguous ranges, which the JIT vectorises
        for (int j = first * 4; j < last * 4 + 4; j++) {
            float top = k[r0 * 4 + j];
            line[j] = top + (k[r1 * 4 + j] - top) * fy;
        }
        for (int t = first; t <= last; t++) {
            lineLo[t] = Math.min(shaped[r0 + t], shaped[r1 + t]);
        }
        for (int t = first; t <= last; t++) {
            lineHi[t] = Math.max(shaped[r0 + t], shaped[r1 + t]);
        }
    }

    /** The least of the mask's texels that the run of pixels from column x reads (after {@link #interpolateRow}). */
    private float runLow(int x) {
        return Math.min(lineLo[colLo[x]], lineLo[colHi[x]]);
    }

    /** The greatest of them. */
    private float runHigh(int x) {
        return Math.max(lineHi[colLo[x]], lineHi[colHi[x]]);
    }

    /**
     * The guided mask at column x of the interpolated row for a pixel of colour c0..c2 (its channels
     * over 255, in the coefficients' order), clamped to lo..hi: guided_mask.glsl.
     */
    private float guided(int x, float c0, float c1, float c2, float lo, float hi) {
        int a = colLo[x] * 4;
        int b = colHi[x] * 4;
        float f = colF[x];
        float value = (line[a] + (line[b] - line[a]) * f) * c0
                + (line[a + 1] + (line[b + 1] - line[a + 1]) * f) * c1
                + (line[a + 2] + (line[b + 2] - line[a + 2]) * f) * c2
                + line[a + 3] + (line[b + 3] - line[a + 3]) * f;
        return Math.max(lo, Math.min(hi, value));
    }

    /** I420: where in the frame the U sample of pixel (x, y) is (V's is a plane later). */
    private int chromaAt(int y, int x) {
        return width * height + y / 2 * (width / 2) + x / 2;
    }

    /**
     * I420, an edge run of the row pair from y: each pixel's mask as {@link #blendEdgeRow} finds it,
     * the Y blend per pixel, and the chroma blend per 2x2 block with the mean of its four masks.
     */
    private void blendEdgeRowPair(ByteBuffer frame, int y, int x0, int x1) {
        int n = x1 - x0;
        int base = frame.position();
        int u = chromaAt(y, x0);
        int v = u + width / 2 * (height / 2);
        boolean hasPicture = background.pixels != null;
        frame.get(base + u, rowU, 0, n / 2);
        frame.get(base + v, rowV, 0, n / 2);
        if (hasPicture) {
            background.pixels.get(u, behindU, 0, n / 2);
            background.pixels.get(v, behindV, 0, n / 2);
        }
        for (int r = 0; r < 2; r++) {
            int row = y + r;
            byte[] pixels = r == 0 ? rowPixels : rowBelow;
            byte[] behind = r == 0 ? rowBehind : behindBelow;
            frame.get(base + row * width + x0, pixels, 0, n);
            if (hasPicture) {
                background.pixels.get(row * width + x0, behind, 0, n);
            }
            guidedMasks(row, x0, x1, pixels, alpha[r]);
            if (hasPicture) {
                float[] masks = alpha[r];
                for (int i = 0; i < n; i++) { // no branches: blend gives each input exactly at 0 and 1
                    pixels[i] = wrap > 0 ? blendValue(pixels[i], behind[i], masks[i], x0 + i, row, 0)
                            : blend(pixels[i], behind[i], masks[i]);
                }
                frame.put(base + row * width + x0, pixels, 0, n);
            }
            if (maskDrawn) {
                fullMask.put(row * Compositor.maskStride(width) + x0, rowMask, 0, n);
            }
        }
        if (hasPicture) {
            float[] top = alpha[0];
            float[] bottom = alpha[1];
            for (int i = 0; i < n / 2; i++) {
                float m = 0.25f * (top[2 * i] + top[2 * i + 1] + bottom[2 * i] + bottom[2 * i + 1]);
                if (wrap > 0) {
                    rowU[i] = blendValue(rowU[i], behindU[i], m, x0 + 2 * i, y, 1);
                    rowV[i] = blendValue(rowV[i], behindV[i], m, x0 + 2 * i, y, 2);
                } else {
                    rowU[i] = blend(rowU[i], behindU[i], m);
                    rowV[i] = blend(rowV[i], behindV[i], m);
                }
            }
            frame.put(base + u, rowU, 0, n / 2);
            frame.put(base + v, rowV, 0, n / 2);
        }
    }

    /** One I420 sample blended over the background's with mask m, as unorm8 of blend.frag's mix. */
    private static byte blend(byte frameValue, byte behindValue, float m) {
        float b = behindValue & 0xFF;
        return (byte) (int) (b + ((frameValue & 0xFF) - b) * m + 0.5f);
    }

    /** {@link #blend} with the light wrap at pixel x, y. */
    private byte blendValue(byte frameValue, byte behindValue, float m, int x, int y, int plane) {
        float c = (frameValue & 0xFF) * (1f / 255);
        float b = (behindValue & 0xFF) * (1f / 255);
        float o = b + (c - b) * m;
        if (m > 0) {
            float[] l = lightWrap(x, y, m);
            o += (l[plane] - o) * l[3];
        }
        return unorm8(o);
    }

    /**
     * I420: the guided mask of each pixel of row y from x0 to x1 into masks (and as bytes into
     * {@link #rowMask} where the mask is drawn), as {@link #blendEdgeRow} finds it; the guided model
     * is over Y, U, V.
     */
    private void guidedMasks(int y, int x0, int x1, byte[] luma, float[] masks) {
        interpolateRow(y, x0, x1);
        for (int x = x0; x < x1; ) {
            int end = Math.min(x1, runEnd[x]);
            float lo = runLow(x);
            float hi = runHigh(x);
            if (lo == hi) { // the whole run: all background or all person
                for (int i = x - x0; i < end - x0; i++) { // a few pixels: a call to Arrays.fill cost more
                    masks[i] = lo;
                }
                x = end;
                continue;
            }
            // the run's pixels read the same two texel columns: their coefficients, and the change to the second
            int a = colLo[x] * 4;
            int b = colHi[x] * 4;
            float k0 = line[a];
            float k1 = line[a + 1];
            float k2 = line[a + 2];
            float k3 = line[a + 3];
            float d0 = line[b] - k0;
            float d1 = line[b + 1] - k1;
            float d2 = line[b + 2] - k2;
            float d3 = line[b + 3] - k3;
            for (; x < end; x++) {
                int i = x - x0;
                float f = colF[x];
                float value = ((k0 + d0 * f) * (luma[i] & 0xFF) + (k1 + d1 * f) * (rowU[i / 2] & 0xFF)
                        + (k2 + d2 * f) * (rowV[i / 2] & 0xFF)) * (1f / 255) + k3 + d3 * f;
                masks[i] = Math.max(lo, Math.min(hi, value));
            }
        }
        if (maskDrawn) {
            for (int i = 0; i < x1 - x0; i++) {
                rowMask[i] = unorm8(masks[i]);
            }
        }
    }

    /** Pixels x..end of row y (in the row buffers from x0) whose two texel columns span lo..hi: blend.frag's full blend. */
    private void blendPixels(int y, int x, int end, int x0, float lo, float hi, boolean hasPicture) {
        for (; x < end; x++) {
            int p = (x - x0) * channels;
            float c0 = (rowPixels[p] & 0xFF) * (1f / 255);
            float c1 = (rowPixels[p + 1] & 0xFF) * (1f / 255);
            float c2 = (rowPixels[p + 2] & 0xFF) * (1f / 255);
            // where the pixel's four texels straddle the edge, the guided filter places it
            float m = lo == hi ? lo : guided(x, c0, c1, c2, lo, hi);
            if (hasPicture) {
                float b0 = (rowBehind[p] & 0xFF) * (1f / 255);
                float b1 = (rowBehind[p + 1] & 0xFF) * (1f / 255);
                float b2 = (rowBehind[p + 2] & 0xFF) * (1f / 255);
                float o0 = b0 + (c0 - b0) * m;
                float o1 = b1 + (c1 - b1) * m;
                float o2 = b2 + (c2 - b2) * m;
                if (wrap > 0 && m > 0) {
                    float[] light = lightWrap(x, y, m);
                    float amount = light[3];
                    o0 += (light[0] - o0) * amount;
                    o1 += (light[1] - o1) * amount;
                    o2 += (light[2] - o2) * amount;
                }
                rowPixels[p] = unorm8(o0);
                rowPixels[p + 1] = unorm8(o1);
                rowPixels[p + 2] = unorm8(o2);
            }
            byte mask = unorm8(m);
            if (channels == 4) {
                rowPixels[p + 3] = mask;
            }
            rowMask[x - x0] = mask;
        }
    }

    private final float[] light = new float[4];

    /**
     * blend.frag's light wrap at this pixel: the background's mean colour (I420: Y, U, V) at four points
     * {@link BlendPass#WRAP_RADIUS} pixels away (in light[0..2]) and how much of it to mix in (light[3]).
     */
    private float[] lightWrap(int x, int y, float m) {
        int r = (int) BlendPass.WRAP_RADIUS;
        float around = 0;
        light[0] = light[1] = light[2] = 0;
        for (int d = 0; d < 4; d++) {
            int dx = d == 0 ? r : d == 1 ? -r : 0;
            int dy = d == 2 ? r : d == 3 ? -r : 0;
            around += maskAt((x + 0.5f + dx) * maskW / width - 0.5f, (y + 0.5f + dy) * maskH / height - 0.5f);
            int px = Math.max(0, Math.min(width - 1, x + dx));
            int py = Math.max(0, Math.min(height - 1, y + dy));
            if (yuv) { // Y, U, V
                int u = chromaAt(py, px);
                light[0] += (background.pixels.get(py * width + px) & 0xFF) * (1f / 255);
                light[1] += (background.pixels.get(u) & 0xFF) * (1f / 255);
                light[2] += (background.pixels.get(u + width / 2 * (height / 2)) & 0xFF) * (1f / 255);
                continue;
            }
            int at = py * stride + px * channels;
            for (int c = 0; c < 3; c++) {
                light[c] += (background.pixels.get(at + c) & 0xFF) * (1f / 255);
            }
        }
        for (int c = 0; c < 3; c++) {
            light[c] *= 0.25f;
        }
        light[3] = wrap * m * (1f - around * 0.25f);
        return light;
    }

    /** The shaped mask sampled bilinearly at mask texel coordinates (centres at whole numbers), clamped to the edge. */
    private float maskAt(float u, float v) {
        int x = (int) Math.floor(u);
        int y = (int) Math.floor(v);
        float fx = u - x;
        float fy = v - y;
        int x0 = Math.max(0, Math.min(maskW - 1, x));
        int x1 = Math.max(0, Math.min(maskW - 1, x + 1));
        int y0 = Math.max(0, Math.min(maskH - 1, y)) * maskW;
        int y1 = Math.max(0, Math.min(maskH - 1, y + 1)) * maskW;
        float[] s = refiner.mask;
        float top = s[y0 + x0] + (s[y0 + x1] - s[y0 + x0]) * fx;
        float bottom = s[y1 + x0] + (s[y1 + x1] - s[y1 + x0]) * fx;
        return top + (bottom - top) * fy;
    }

    /** What an 8-bit normalised target stores of v in [0,1]. */
    private static byte unorm8(float v) {
        return (byte) (int) (Math.max(0f, Math.min(1f, v)) * 255f + 0.5f);
    }

    @Override
    public void readBack(ByteBuffer out) {
        readBack(out, layout);
    }

    /** Rows of stride bytes a frame in this layout takes: I420's chroma planes add half the height. */
    private int rows(PixelLayout in) {
        return in == PixelLayout.I420 ? height * 3 / 2 : height;
    }

    @Override
    public void readBack(ByteBuffer out, PixelLayout as) {
        checkRendered();
        int outStride = as.stride(width);
        checkOutput(out, outStride * rows(as), "out");
        if (as == layout) {
            if (out != lastFrame || out.position() != lastFrame.position()) {
                copyRows(lastFrame, stride, out, outStride, width * channels, rows(as));
            }
            return;
        }
        if (as == PixelLayout.I420) {
            throw new IllegalArgumentException("the CPU compositor converts to I420 only frames that come in it");
        }
        // Through a scratch image: out may be the frame's own memory (a slot's BGR view of its RGBA pixels).
        cvtColor(yuv ? wholeI420() : lastPlanes[0], converted, yuv
                ? as == PixelLayout.RGBA ? COLOR_YUV2RGBA_I420 : COLOR_YUV2BGR_I420
                : layout == PixelLayout.RGBA ? COLOR_RGBA2BGR : COLOR_BGR2RGBA);
        copyRows(converted.createBuffer(), (int) converted.step(), out, outStride, width * as.channels, height);
    }

    /** The last I420 frame as one Mat of all its planes (height * 3 / 2 rows), as OpenCV converts it. */
    private Mat wholeI420() {
        Mat m = wholeFrames.get(lastFrame);
        if (m == null) {
            if (wholeFrames.size() >= MAX_WRAPPED) {
                wholeFrames.values().forEach(Mat::close);
                wholeFrames.clear();
            }
            m = new Mat(height * 3 / 2, width, CV_8UC(1), new BytePointer(lastFrame), width);
            wholeFrames.put(lastFrame, m);
        }
        return m;
    }

    private void copyRows(ByteBuffer from, int fromStride, ByteBuffer to, int toStride, int rowBytes, int rows) {
        for (int y = 0; y < rows; y++) {
            to.put(to.position() + y * toStride, from, from.position() + y * fromStride, rowBytes);
        }
    }

    @Override
    public void readBackBgra(ByteBuffer bgraOut) {
        checkRendered();
        int bgraStride = PixelLayout.RGBA.stride(width); // BGRA rows padded as RGBA's
        checkOutput(bgraOut, bgraStride * height, "bgraOut");
        if (yuv && !maskDrawn) {
            throw new IllegalStateException("I420 frames keep no alpha: call drawMask(true) before render");
        }
        cvtColor(yuv ? wholeI420() : lastPlanes[0], converted, yuv ? COLOR_YUV2BGRA_I420
                : layout == PixelLayout.RGBA ? COLOR_RGBA2BGRA : COLOR_BGR2BGRA);
        ByteBuffer bgra = converted.createBuffer();
        int step = (int) converted.step();
        int maskStride = Compositor.maskStride(width);
        for (int y = 0; y < height; y++) {
            if (layout != PixelLayout.RGBA) { // alpha: the refined mask
                for (int x = 0; x < width; x++) {
                    bgra.put(y * step + x * 4 + 3, fullMask.get(y * maskStride + x));
                }
            }
            bgraOut.put(bgraOut.position() + y * bgraStride, bgra, y * step, width * 4);
        }
    }

    @Override
    public void readBackYuv420(ByteBuffer i420Out) {
        if (!yuv) {
            throw new UnsupportedOperationException("the CPU compositor gives I420 only for I420 frames; encoders convert"
                    + " RGBA and BGR with swscale");
        }
        readBack(i420Out, PixelLayout.I420);
    }

    /** Only for I420 frames, which it composites in place: the frame is the I420 picture. */
    @Override
    public boolean convertsYuv420() {
        return yuv;
    }

    @Override
    public void drawMask(boolean draw) {
        drawsMask = draw;
    }

    @Override
    public void readBackMask(ByteBuffer grey8Out) {
        checkRendered();
        int maskStride = Compositor.maskStride(width);
        checkOutput(grey8Out, maskStride * height, "grey8Out");
        if (!maskDrawn) {
            throw new IllegalStateException("no mask drawn: call drawMask(true) before render");
        }
        grey8Out.put(grey8Out.position(), fullMask, 0, maskStride * height);
    }

    @Override
    public void reset() {
        refiner.reset();
        backgroundFrom = -1;
        background.restart();
    }

    @Override
    public void forgetMask() {
        refiner.reset();
        backgroundFrom = -1;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("compositor is closed");
        }
    }

    private void checkRendered() {
        checkOpen();
        if (lastFrame == null) {
            throw new IllegalStateException("nothing rendered yet");
        }
    }

    private void checkOutput(ByteBuffer out, int bytes, String name) {
        ComposeArguments.buffer(out, bytes, 1, name);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wrapped.values().forEach(CpuCompositor::close);
        wrapped.clear();
        wholeFrames.values().forEach(Mat::close);
        wholeFrames.clear();
        background.close();
        refiner.close();
        converted.close();
    }
}
