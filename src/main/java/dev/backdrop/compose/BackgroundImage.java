package dev.backdrop.compose;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** A background image in BGR24, loaded once. */
public final class BackgroundImage {
    private final int width;
    private final int height;
    /** Tightly packed BGR rows, top row first; direct so GL can read it. */
    private final ByteBuffer pixels;

    BackgroundImage(int width, int height, ByteBuffer pixels) {
        if (width <= 0 || height <= 0 || pixels.remaining() != width * height * 3 || !pixels.isDirect()) {
            throw new IllegalArgumentException("need a direct buffer of " + width + "x" + height + " BGR24 pixels");
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels.asReadOnlyBuffer();
    }

    /** Reads any format OpenCV can decode; grey or alpha images become BGR. */
    public static BackgroundImage load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("background image " + file.toAbsolutePath() + " does not exist");
        }
        try (Mat image = imread(file.toAbsolutePath().toString(), IMREAD_COLOR)) {
            if (image.empty() || image.channels() != 3) {
                throw new IllegalArgumentException("background image " + file.toAbsolutePath()
                        + " could not be decoded (unsupported or corrupt image file)");
            }
            int width = image.cols();
            int height = image.rows();
            int rowBytes = width * 3;
            ByteBuffer source = image.createBuffer();
            ByteBuffer pixels = ByteBuffer.allocateDirect(rowBytes * height);
            long step = image.step();
            // Copy row by row: an OpenCV row may be padded beyond width * 3.
            for (int y = 0; y < height; y++) {
                pixels.put(y * rowBytes, source, (int) (y * step), rowBytes);
            }
            return new BackgroundImage(width, height, pixels);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixels, tightly packed BGR, rows top first (a read-only view positioned at 0). */
    ByteBuffer pixels() {
        return pixels.duplicate();
    }
}
