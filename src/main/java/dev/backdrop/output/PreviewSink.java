package dev.backdrop.output;

import dev.backdrop.capture.Bt601;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The control page's live preview: a small copy of the output, a few times a second and only while
 * someone is looking. The output thread only subsamples into a buffer made once (a fraction of a
 * millisecond per preview frame); the JPEG is encoded on the web server's thread when asked for.
 */
public final class PreviewSink implements FrameSink {

    /** A viewer that has not asked for this long has gone: the output thread stops copying. */
    private static final long VIEWER_GONE_NANOS = 3_000_000_000L;

    private final int width;
    private final int height;
    private final int sourceWidth;
    private final int sourceHeight;
    private final long intervalNanos;
    /** Written by the output thread, then swapped with {@link #shown} under the lock. */
    private byte[] next;
    private byte[] shown;
    private long shownNumber;
    /** The still handed to the JPEG encoder, made once. */
    private final Mat image;
    private byte[] encoded;
    private long encodedNumber = -1;
    private volatile long lastAsked = System.nanoTime() - VIEWER_GONE_NANOS;
    private long lastTaken;
    private long takenTimestamp = Long.MIN_VALUE;
    // What the preview costs, for the page's stats.
    private long framesSeen;
    private long copyNanos;
    private long encodeNanos;

    /** sourceWidth x sourceHeight frames shown at most maxWidth wide, fps times a second. */
    public PreviewSink(int sourceWidth, int sourceHeight, int maxWidth, double fps) {
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.width = Math.min(maxWidth, sourceWidth);
        this.height = Math.max(1, Math.round((float) sourceHeight * width / sourceWidth));
        this.intervalNanos = (long) (1e9 / fps);
        this.next = new byte[width * height * 3];
        this.shown = new byte[width * height * 3];
        this.image = new Mat(height, width, opencv_core.CV_8UC3);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        synchronized (this) {
            framesSeen++;
        }
        take(frame, timestampMicros, false);
    }

    /** I420 as the frame comes, so that a ring of it is not converted for a preview nobody may be watching. */
    @Override
    public boolean takesYuv420(int width, int height) {
        return width == sourceWidth && height == sourceHeight;
    }

    @Override
    public void writeYuv420(Yuv420Image image, long timestampMicros) {
        synchronized (this) {
            framesSeen++;
        }
        if (due(timestampMicros, false)) {
            subsampleYuv(image.data, next);
            taken(System.nanoTime());
        }
    }

    /** The mask view: the frame's mask replaces the picture just taken from it. */
    @Override
    public void writeMask(Frame grey, long timestampMicros) {
        take(grey, timestampMicros, true);
    }

    private void take(Frame frame, long timestampMicros, boolean mask) {
        if (due(timestampMicros, mask)) {
            long now = System.nanoTime();
            subsample((ByteBuffer) frame.image[0], frame.imageStride, frame.imageChannels, next);
            taken(now);
        }
    }

    /** Whether this frame (or its mask) is taken for the preview: a viewer is there and one is due. */
    private boolean due(long timestampMicros, boolean mask) {
        long now = System.nanoTime();
        boolean maskOfTaken = mask && timestampMicros == takenTimestamp;
        if (!maskOfTaken && (now - lastAsked > VIEWER_GONE_NANOS || now - lastTaken < intervalNanos)) {
            return false;
        }
        lastTaken = now;
        takenTimestamp = timestampMicros;
        return true;
    }

    /** The preview just written becomes the one shown. */
    private void taken(long started) {
        synchronized (this) {
            byte[] t = shown;
            shown = next;
            next = t;
            shownNumber++;
            copyNanos += System.nanoTime() - started;
        }
    }

    /**
     * Nearest source pixel for each preview pixel (at a fifth of the size the difference does not
     * show), from BGR, RGBA (transparent runs) or grey.
     */
    private void subsample(ByteBuffer src, int stride, int channels, byte[] dst) {
        int i = 0;
        for (int y = 0; y < height; y++) {
            int row = (int) ((y + 0.5) * sourceHeight / height) * stride;
            for (int x = 0; x < width; x++) {
                int at = row + (int) ((x + 0.5) * sourceWidth / width) * channels;
                dst[i++] = src.get(channels == 4 ? at + 2 : at);
                dst[i++] = src.get(channels == 1 ? at : at + 1);
                dst[i++] = src.get(channels == 1 ? at : channels == 4 ? at : at + 2);
            }
        }
    }

    /** {@link #subsample} from an I420 frame (tight planes), converted to BGR pixel by pixel. */
    private void subsampleYuv(ByteBuffer i420, byte[] dst) {
        int uAt = sourceWidth * sourceHeight;
        int vAt = uAt + sourceWidth / 2 * (sourceHeight / 2);
        int i = 0;
        for (int y = 0; y < height; y++) {
            int sy = (int) ((y + 0.5) * sourceHeight / height);
            for (int x = 0; x < width; x++) {
                int sx = (int) ((x + 0.5) * sourceWidth / width);
                float luma = i420.get(sy * sourceWidth + sx) & 0xFF;
                int c = sy / 2 * (sourceWidth / 2) + sx / 2;
                float u = i420.get(uAt + c) & 0xFF;
                float v = i420.get(vAt + c) & 0xFF;
                dst[i++] = (byte) Math.round(255 * Bt601.blue(luma, u, v));
                dst[i++] = (byte) Math.round(255 * Bt601.green(luma, u, v));
                dst[i++] = (byte) Math.round(255 * Bt601.red(luma, u, v));
            }
        }
    }

    /** The latest preview as JPEG, or null before the first frame; marks a viewer as present. */
    public synchronized byte[] jpeg() {
        lastAsked = System.nanoTime();
        if (shownNumber == 0) {
            return null;
        }
        if (encodedNumber != shownNumber) {
            long start = System.nanoTime();
            image.data().put(shown, 0, shown.length);
            encoded = encode(image);
            encodedNumber = shownNumber;
            encodeNanos += System.nanoTime() - start;
        }
        return encoded;
    }

    /** What the preview has cost so far, in milliseconds of CPU per frame that went through the outputs. */
    public synchronized double millisPerFrame() {
        return framesSeen == 0 ? 0 : (copyNanos + encodeNanos) / 1e6 / framesSeen;
    }

    /** OpenCV's JPEG (libjpeg-turbo, SIMD): a few times faster than the JDK's encoder. */
    private static byte[] encode(Mat image) {
        try (BytePointer out = new BytePointer();
             IntPointer quality = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 80)) {
            if (!opencv_imgcodecs.imencode(".jpg", image, out, quality)) {
                throw new IllegalStateException("OpenCV could not encode the preview as JPEG");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    @Override
    public synchronized void close() {
        image.close();
    }
}
