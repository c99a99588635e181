package dev.backdrop.capture;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * How a frame's pixels lie in memory: 8 bits a channel, rows top-first, each row padded to 8 bytes
 * (as JavaCV allocates a Frame, and as GL packs and unpacks with alignment 8).
 */
public enum PixelLayout {
    /** B, G, R: photos, stills and OpenCV's images. */
    BGR24(3, avutil.AV_PIX_FMT_BGR24),
    /**
     * R, G, B, A: the pipeline's frames. OpenGL keeps a frame texture in this layout, so uploading a
     * frame and reading the composite back are plain copies instead of conversions (at 720p on
     * llvmpipe 0.07 against 0.72 ms up, 0.06 against 0.53 ms back); FFmpeg's swscale converts
     * to and from it as fast as from BGR24.
     */
    RGBA(4, avutil.AV_PIX_FMT_RGBA),
    /**
     * YUV 4:2:0 planar, BT.601 limited range: the Y plane (width x height), then U, then V (half the
     * width and height each), rows tight. What decoders give and x264 and the virtual camera take, so
     * a ring of it needs no colour conversion on the way through: the CPU compositor's layout
     * ({@link #fitsI420}). {@link #channels} and {@link #stride} describe the Y plane.
     */
    I420(1, avutil.AV_PIX_FMT_YUV420P);

    /** Bytes per pixel (of the Y plane, for {@link #I420}). */
    public final int channels;
    /** FFmpeg's name for it, for decoders and encoders. */
    public final int avPixelFormat;

    PixelLayout(int channels, int avPixelFormat) {
        this.channels = channels;
        this.avPixelFormat = avPixelFormat;
    }

    /** Bytes per row of a frame this wide: padded to 8 (for {@link #I420}, the Y plane's rows: tight). */
    public int stride(int width) {
        return this == I420 ? width : (width * channels + 7) & ~7;
    }

    /** Bytes of one whole frame of this size, every plane. */
    public int frameBytes(int width, int height) {
        return this == I420 ? width * height + 2 * (width / 2) * (height / 2) : stride(width) * height;
    }

    /** Whether frames of this size can be {@link #I420}: even sizes, so the chroma planes cover whole pixels. */
    public static boolean fitsI420(int width, int height) {
        return width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0;
    }

    /** The layout of a JavaCV frame of 8-bit pixels with this many channels (3 or 4). */
    public static PixelLayout ofChannels(int channels) {
        return switch (channels) {
            case 3 -> BGR24;
            case 4 -> RGBA;
            default -> throw new IllegalArgumentException("no pixel layout with " + channels + " channels");
        };
    }
}
