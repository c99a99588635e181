package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A model whose mask has another size than the one a running pipeline was built for (a live switch
 * from selfie's 256x256 to rvm's 320x180): it predicts into a buffer of its own size, made once,
 * and the mask is resampled bilinearly into the pipeline's. Both cover the whole frame, so only the
 * grid changes; the compositor's guided upsampling works from either.
 */
public final class ResampledPredictor implements MaskPredictor {

    private final MaskPredictor model;
    private final int fromWidth;
    private final int fromHeight;
    private final int toWidth;
    private final int toHeight;
    private final FloatBuffer own;

    public ResampledPredictor(MaskPredictor model, int fromWidth, int fromHeight, int toWidth, int toHeight) {
        this.model = model;
        this.fromWidth = fromWidth;
        this.fromHeight = fromHeight;
        this.toWidth = toWidth;
        this.toHeight = toHeight;
        this.own = ByteBuffer.allocateDirect(fromWidth * fromHeight * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    public void predict(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, FloatBuffer mask) {
        model.predict(pixels, layout, width, height, stride, own);
        resample(own, fromWidth, fromHeight, mask, toWidth, toHeight);
    }

    /** Bilinear, pixel centres aligned, edges clamped. */
    static void resample(FloatBuffer src, int sw, int sh, FloatBuffer dst, int dw, int dh) {
        for (int y = 0; y < dh; y++) {
            float sy = Math.max(0, Math.min(sh - 1, (y + 0.5f) * sh / dh - 0.5f));
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, sh - 1);
            float fy = sy - y0;
            for (int x = 0; x < dw; x++) {
                float sx = Math.max(0, Math.min(sw - 1, (x + 0.5f) * sw / dw - 0.5f));
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, sw - 1);
                float fx = sx - x0;
                float top = src.get(y0 * sw + x0) * (1 - fx) + src.get(y0 * sw + x1) * fx;
                float bottom = src.get(y1 * sw + x0) * (1 - fx) + src.get(y1 * sw + x1) * fx;
                dst.put(y * dw + x, top * (1 - fy) + bottom * fy);
            }
        }
    }
}
