package dev.backdrop.train;


import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.Segmentation;
import dev.backdrop.segment.Averaging;
import dev.backdrop.segment.ModelException;
import dev.backdrop.segment.ModelOptions;
import dev.backdrop.segment.SegmentationModel;
import dev.backdrop.still.StillImage;
import dev.backdrop.still.StillSegmenter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacv.Frame;

/**
 * Masks for photos and clips that have none, from a teacher model (distillation). A photo is labelled at full
 * resolution with the teacher's best settings (whole frame, 480 px encoder, mirror averaging, a recurrent
 * model's state settled by a second run); a clip frame by frame with its recurrent state carried through the
 * clip at live settings, as it would run in a call. Labels are kept on disk keyed by the file (path, size, time)
 * and the teacher (its files and settings), so a second run labels nothing; the teacher is loaded only when a
 * label is missing.
 */
final class TeacherLabels implements AutoCloseable {
    private static final String VERSION = "backdrop-teacher-labels-1";

    private final String teacher;
    private final Path modelsDir;
    private final Path cache;
    private final String teacherKey;
    private SegmentationModel photoTeacher;
    private SegmentationModel clipTeacher;
    private int labelled;
    private int cached;

    /** A clip's frame kept for training, with its label. */
    record LabelledFrame(String name, StillImage frame, byte[] mask) {
    }

    /** @param cache where labels are kept; null to keep none */
    TeacherLabels(String teacher, Path modelsDir, Path cache) {
        this.teacher = teacher;
        this.modelsDir = modelsDir;
        this.cache = cache;
        this.teacherKey = teacher + "\n" + filesOf(teacher, modelsDir);
    }

    static ModelOptions photoOptions() {
        return ModelOptions.builder().maxInputSide(0).encoderSide(480).averaging(Averaging.MIRROR).build();
    }

    static ModelOptions clipOptions() {
        return ModelOptions.builder().maxInputSide(Segmentation.MAX_INPUT_SIDE.defaultValue()).build();
    }

    /** How many labels the teacher made in this run, and how many came from the cache. */
    int labelled() {
        return labelled;
    }

    int cached() {
        return cached;
    }

    /** The teacher's mask for a photo, at the photo's size, 0..255 (soft edges kept). */
    byte[] photo(Path file, StillImage photo) {
        Path key = entry(file, "photo");
        Path entry = key == null ? null : key.resolveSibling(key.getFileName() + ".png");
        if (entry != null && Files.isRegularFile(entry)) {
            cached++;
            return StillImage.readMask(entry, photo.width, photo.height);
        }
        if (photoTeacher == null) {
            photoTeacher = SegmentationModel.load(teacher, modelsDir, photoOptions());
        }
        photoTeacher.resetState();
        if (photoTeacher.recurrent()) {
            label(photoTeacher, photo); // a still's first run only starts the state; the second is the mask
        }
        byte[] mask = label(photoTeacher, photo);
        labelled++;
        if (entry != null) {
            store(entry, mask, photo.width, photo.height);
        }
        return mask;
    }

    /** One frame in every {@code every} of a clip, labelled with the teacher's state carried from the first. */
    List<LabelledFrame> clip(Path file, int every) {
        Path dir = entry(file, "clip every " + every);
        boolean hit = dir != null && Files.isRegularFile(dir.resolve("done"));
        List<LabelledFrame> out = new ArrayList<>();
        if (!hit && clipTeacher == null) {
            clipTeacher = SegmentationModel.load(teacher, modelsDir, clipOptions());
        }
        if (!hit) {
            clipTeacher.resetState();
        }
        try (VideoSource source = VideoSource.open(file.toString())) {
            Frame f;
            long n = 0;
            while ((f = source.grab()) != null) {
                if (f.image == null) {
                    continue;
                }
                boolean keep = n % every == 0;
                String name = file.getFileName() + "#" + n;
                Path png = dir == null ? null : dir.resolve(n + ".png");
                n++;
                if (hit && !keep) {
                    continue;
                }
                StillImage frame = StillImage.copyOf((ByteBuffer) f.image[0], f.imageWidth, f.imageHeight,
                        f.imageStride);
                if (hit) {
                    out.add(new LabelledFrame(name, frame, StillImage.readMask(png, frame.width, frame.height)));
                    continue;
                }
                byte[] mask = label(clipTeacher, frame); // every frame: the state runs through the clip
                if (keep) {
                    out.add(new LabelledFrame(name, frame, mask));
                    if (png != null) {
                        store(png, mask, frame.width, frame.height);
                    }
                }
            }
        }
        if (hit) {
            cached += out.size();
        } else {
            labelled += out.size();
            if (dir != null) {
                try {
                    Files.createDirectories(dir);
                    Files.writeString(dir.resolve("done"), out.size() + " frames\n");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the label cache " + dir + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static byte[] label(SegmentationModel teacher, StillImage photo) {
        int mw = teacher.maskWidth(photo.width, photo.height);
        int mh = teacher.maskHeight(photo.width, photo.height);
        FloatBuffer prob = ByteBuffer.allocateDirect(mw * mh * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        teacher.predict(photo.bgr, photo.width, photo.height, photo.stride, prob);
        return StillSegmenter.stretch(prob, mw, mh, photo.width, photo.height);
    }

    private static void store(Path png, byte[] mask, int width, int height) {
        try {
            Files.createDirectories(png.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the label cache " + png.getParent() + ": " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(mask.length).put(mask).flip();
        StillImage.writeGrey(png, b, width, height, width);
    }

    /** The cache entry of a file labelled in a mode: null without a cache. */
    private Path entry(Path file, String mode) {
        if (cache == null) {
            return null;
        }
        try {
            String key = VERSION + "\n" + teacherKey + "\n" + mode + "\n" + file.toAbsolutePath().normalize() + "\n"
                    + Files.size(file) + "\n" + Files.getLastModifiedTime(file).toMillis();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return cache.resolve(HexFormat.of().formatHex(digest, 0, 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The teacher's files (name, size, time), so a changed model labels again. */
    private static String filesOf(String teacher, Path modelsDir) {
        Path dir;
        try {
            dir = SegmentationModel.locate(teacher, modelsDir);
        } catch (ModelException e) {
            return ""; // labels already cached need no teacher; a missing label will load it and say so
        }
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.append(dir.relativize(f)).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the teacher model " + dir + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (photoTeacher != null) {
            photoTeacher.close();
        }
        if (clipTeacher != null) {
            clipTeacher.close();
        }
    }
}
