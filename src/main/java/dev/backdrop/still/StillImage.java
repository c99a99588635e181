package dev.backdrop.still;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import dev.backdrop.compose.Compositor;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A photo in the pipeline's frame layout: BGR24 in a direct buffer, rows padded to 8 bytes, so
 * the same model and compositor code that handles video frames handles stills.
 */
public final class StillImage {

    /** The image formats {@code segment} and {@code eval} pick up from a folder. */
    public static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "webp", "bmp");

    public final int width;
    public final int height;
    public final int stride;
    public final ByteBuffer bgr;

    private StillImage(int width, int height, ByteBuffer bgr) {
        this.width = width;
        this.height = height;
        this.stride = Compositor.frameStride(width);
        this.bgr = bgr;
    }


    /** An existing file whose extension is one of {@link #EXTENSIONS}. */
    public static boolean isImage(Path file) {
        return isImageName(file) && Files.isRegularFile(file);
    }

    /** A path whose extension is one of {@link #EXTENSIONS}, whether or not it exists. */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** Decodes a JPEG/PNG/WebP/BMP file, turned upright by its EXIF orientation (OpenCV's default). */
    public static StillImage read(Path file) {
        try (Mat image = decode(file, IMREAD_COLOR)) {
            int width = image.cols();
            int height = image.rows();
            ByteBuffer bgr = ByteBuffer.allocateDirect(Compositor.frameStride(width) * height);
            copyRows(image, bgr, Compositor.frameStride(width), width * 3);
            return new StillImage(width, height, bgr);
        }
    }

    /** Copies BGR24 pixels with any row stride, e.g. a decoded video frame. */
    public static StillImage copyOf(ByteBuffer bgr, int width, int height, int sourceStride) {
        ByteBuffer copy = ByteBuffer.allocateDirect(Compositor.frameStride(width) * height);
        for (int y = 0; y < height; y++) {
            copy.put(y * Compositor.frameStride(width), bgr, y * sourceStride, width * 3);
        }
        return new StillImage(width, height, copy);
    }

    /** This photo scaled to {@code newHeight} rows, the width in proportion: a photo as a frame of another size. */
    public StillImage scaledToHeight(int newHeight) {
        int newWidth = widthAt(newHeight);
        try (Mat src = new Mat(height, width, CV_8UC3, new BytePointer(bgr), stride);
             Mat dst = new Mat();
             Size size = new Size(newWidth, newHeight)) {
            resize(src, dst, size, 0, 0, newHeight < height ? INTER_AREA : INTER_LINEAR);
            ByteBuffer out = ByteBuffer.allocateDirect(Compositor.frameStride(newWidth) * newHeight);
            copyRows(dst, out, Compositor.frameStride(newWidth), newWidth * 3);
            return new StillImage(newWidth, newHeight, out);
        }
    }

    /** The width this photo has when scaled to {@code newHeight} rows (even, as video sizes are). */
    private int widthAt(int newHeight) {
        return Math.max(2, (int) Math.round((double) width * newHeight / height / 2) * 2);
    }

    /** A packed one-byte mask scaled bilinearly, as {@link #scaledToHeight} scales its photo. */
    public static byte[] scaleMask(byte[] mask, int width, int height, int newWidth, int newHeight) {
        ByteBuffer packed = ByteBuffer.allocateDirect(mask.length).put(0, mask);
        try (Mat src = new Mat(height, width, CV_8UC1, new BytePointer(packed), width);
             Mat dst = new Mat();
             Size size = new Size(newWidth, newHeight)) {
            resize(src, dst, size, 0, 0, INTER_LINEAR);
            ByteBuffer out = ByteBuffer.allocateDirect(newWidth * newHeight);
            copyRows(dst, out, newWidth, newWidth);
            byte[] bytes = new byte[newWidth * newHeight];
            out.get(0, bytes);
            return bytes;
        }
    }

    /** Reads a ground-truth mask as one byte per pixel, rows packed; it must match the image's size. */
    public static byte[] readMask(Path file, int width, int height) {
        try (Mat mask = decode(file, IMREAD_GRAYSCALE)) {
            if (mask.cols() != width || mask.rows() != height) {
                throw new IllegalArgumentException("mask " + file + " is " + mask.cols() + "x" + mask.rows()
                        + " but its image is " + width + "x" + height);
            }
            ByteBuffer packed = ByteBuffer.allocateDirect(width * height);
            copyRows(mask, packed, width, width);
            byte[] out = new byte[width * height];
            packed.get(0, out);
            return out;
        }
    }

    /** Writes one byte per pixel (rows of {@code stride} bytes) as an 8-bit greyscale image. */
    public static void writeGrey(Path file, ByteBuffer grey, int width, int height, int stride) {
        write(file, new Mat(height, width, CV_8UC1, new BytePointer(grey), stride));
    }

    /** Writes BGR24 pixels (rows of {@code stride} bytes); the format follows the file's extension. */
    public static void writeBgr(Path file, ByteBuffer bgr, int width, int height, int stride) {
        write(file, new Mat(height, width, CV_8UC3, new BytePointer(bgr), stride));
    }

    private static void write(Path file, Mat mat) {
        try (mat) {
            if (!imwrite(file.toString(), mat)) {
                throw new IllegalArgumentException("cannot write " + file
                        + ": check the folder exists and the extension is an image format (.png, .jpg, .webp, .bmp)");
            }
        }
    }

    private static Mat decode(Path file, int flags) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image " + file + " does not exist");
        }
        Mat image = imread(file.toString(), flags);
        if (image.empty()) {
            image.close();
            throw new IllegalArgumentException("image " + file + " could not be decoded: not a JPEG, PNG, WebP or BMP"
                    + " file, or damaged");
        }
        return image;
    }

    /** OpenCV rows may be padded differently from ours: copy row by row. */
    private static void copyRows(Mat image, ByteBuffer dst, int dstStride, int rowBytes) {
        ByteBuffer src = image.createBuffer();
        long step = image.step();
        for (int y = 0; y < image.rows(); y++) {
            dst.put(y * dstStride, src, (int) (y * step), rowBytes);
        }
    }
}
