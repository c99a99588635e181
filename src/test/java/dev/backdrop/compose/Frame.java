package dev.backdrop.compose;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

/** Test helper: a BGR24 frame in the Compositor's layout (rows top first, padded to 8 bytes). */
final class Frame {
    final int width;
    final int height;
    final int stride;
    final ByteBuffer data;

    Frame(int width, int height) {
        this.width = width;
        this.height = height;
        this.stride = (width * 3 + 7) & ~7;
        this.data = ByteBuffer.allocateDirect(stride * height);
    }

    int get(int x, int y, int channel) {
        return data.get(y * stride + x * 3 + channel) & 0xFF;
    }

    void set(int x, int y, int b, int g, int r) {
        int i = y * stride + x * 3;
        data.put(i, (byte) b).put(i + 1, (byte) g).put(i + 2, (byte) r);
    }

    static Frame noise(int width, int height, long seed) {
        Frame f = new Frame(width, height);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                f.set(x, y, random.nextInt(256), random.nextInt(256), random.nextInt(256));
            }
        }
        return f;
    }

    static Frame solid(int width, int height, int b, int g, int r) {
        Frame f = new Frame(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                f.set(x, y, b, g, r);
            }
        }
        return f;
    }

    /** Fills the padding bytes so a test notices if they are mistaken for pixels. */
    Frame withPaddingJunk() {
        for (int y = 0; y < height; y++) {
            for (int i = width * 3; i < stride; i++) {
                data.put(y * stride + i, (byte) 0xA5);
            }
        }
        return this;
    }

    static FloatBuffer mask(int width, int height, MaskFunction f) {
        FloatBuffer mask = ByteBuffer.allocateDirect(width * height * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                mask.put(y * width + x, f.at(x, y));
            }
        }
        return mask;
    }

    /**
     * A head-and-shoulders silhouette, as a webcam sees a person: a head (circle) over a body
     * (rounded towards the top), centred, covering about a third of the frame. Benchmarks use it so
     * the mask edge is about as long as a real one.
     */
    static FloatBuffer personMask(int width, int height) {
        return mask(width, height, (x, y) -> {
            double u = (x + 0.5) / width - 0.5;
            double v = (y + 0.5) / height;
            double aspect = (double) width / height;
            boolean head = Math.hypot(u * aspect, v - 0.35) < 0.18;
            boolean body = v > 0.6 && Math.hypot(u * aspect / 1.6, Math.min(0, v - 0.85)) < 0.25;
            return head || body ? 1f : 0f;
        });
    }

    interface MaskFunction {
        float at(int x, int y);
    }

    /** Largest per-channel difference over the region [x0,x1) x [y0,y1). */
    int maxDifference(Frame other, int x0, int y0, int x1, int y1) {
        int max = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(get(x, y, c) - other.get(x, y, c)));
                }
            }
        }
        return max;
    }

    int maxDifference(Frame other) {
        return maxDifference(other, 0, 0, width, height);
    }

    double mean(int channel, int x0, int y0, int x1, int y1) {
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += get(x, y, channel);
            }
        }
        return sum / ((double) (x1 - x0) * (y1 - y0));
    }

    /** Mean squared 4-neighbour Laplacian over the interior of the region, all channels: a sharpness measure. */
    double meanSquaredLaplacian(int x0, int y0, int x1, int y1) {
        double sum = 0;
        long n = 0;
        for (int y = Math.max(1, y0); y < Math.min(height - 1, y1); y++) {
            for (int x = Math.max(1, x0); x < Math.min(width - 1, x1); x++) {
                for (int c = 0; c < 3; c++) {
                    double l = get(x - 1, y, c) + get(x + 1, y, c) + get(x, y - 1, c) + get(x, y + 1, c) - 4.0 * get(x, y, c);
                    sum += l * l;
                    n++;
                }
            }
        }
        return sum / n;
    }

    /**
     * Up to count frames of clip decoded to I420 at width x height (a width that is a multiple of 32,
     * so FFmpeg's planes come tight), each copied into a direct buffer of its three planes.
     */
    static java.util.List<ByteBuffer> i420Frames(String clip, int width, int height, int count) throws Exception {
        java.util.List<ByteBuffer> frames = new java.util.ArrayList<>();
        try (org.bytedeco.javacv.FFmpegFrameGrabber grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(clip)) {
            grabber.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            grabber.setImageWidth(width);
            grabber.setImageHeight(height);
            grabber.start();
            org.bytedeco.javacv.Frame f;
            while (frames.size() < count && (f = grabber.grabImage()) != null) {
                ByteBuffer planes = (ByteBuffer) f.image[0];
                planes.limit(planes.capacity()); // JavaCV limits it to the Y plane
                ByteBuffer copy = ByteBuffer.allocateDirect(dev.backdrop.capture.PixelLayout.I420.frameBytes(width, height));
                copy.put(0, planes, 0, copy.capacity());
                frames.add(copy);
            }
        }
        return frames;
    }
}
