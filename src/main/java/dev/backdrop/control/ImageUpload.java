package dev.backdrop.control;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A background image uploaded from the control page, checked before anything decodes it: at most
 * {@link #MAX_BYTES}, a PNG or JPEG by its first bytes (not by what the browser claims), its size
 * read from the header and at most {@link #MAX_PIXELS} (a small file can declare a huge picture),
 * then decoded by Java's own decoders and written again as PNG into a private folder, so what the
 * compositor opens is a file Backdrop wrote.
 */
final class ImageUpload {

    static final int MAX_BYTES = 16 << 20;
    static final long MAX_PIXELS = 4096L * 4096;

    private ImageUpload() {
    }

    /** Thrown with the message the page shows; nothing is written. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Checks, decodes and stores the upload as folder/upload-N.png; returns that file. */
    static Path store(byte[] bytes, Path folder, int number) throws Refused, IOException {
        if (bytes.length == 0) {
            throw new Refused("the upload is empty: choose a PNG or JPEG image");
        }
        if (!isPng(bytes) && !isJpeg(bytes)) {
            throw new Refused("not a PNG or JPEG image: upload a .png or .jpg file");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new Refused("the image cannot be read: upload a PNG or JPEG file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new Refused("the image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels; at most 4096x4096 (16.8 megapixels) is taken: scale it down first");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new Refused("the image is damaged or not what it claims to be (" + e.getMessage() + ")");
        }
        Path file = folder.resolve("upload-" + number + ".png");
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    /** A folder only this user can read, for the uploads of one run; deleted with them at the end. */
    static Path privateFolder() throws IOException {
        return Files.createTempDirectory("backdrop-uploads-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    }
}
