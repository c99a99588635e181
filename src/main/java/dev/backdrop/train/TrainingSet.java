package dev.backdrop.train;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.compose.Compositor;
import dev.backdrop.eval.ImageEvaluation;
import dev.backdrop.segment.SegmentationModel;
import dev.backdrop.still.StillImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The photos a model learns from, with a mask for each: from a masks folder, or labelled by a teacher
 * model (distillation) where there is none. Photos may also be frames sampled from a video.
 */
final class TrainingSet implements AutoCloseable {
    final List<TrainingImage> images;
    final int labelledByTeacher;

    private TrainingSet(List<TrainingImage> images, int labelledByTeacher) {
        this.images = images;
        this.labelledByTeacher = labelledByTeacher;
    }

    /** A photo or video frame that still needs its mask: a file to read, or pixels already decoded. */
    private record Source(String name, Path image, Optional<Path> mask, StillImage frame) {
        StillImage read() {
            return frame != null ? frame : StillImage.read(image);
        }
    }

    /**
     * @param images  a folder of photos, or a video file to sample frames from
     * @param masks   masks with the photos' base names; null to label everything with the teacher
     * @param teacher labels photos without a mask; null to require masks for all
     * @param every   for a video: keep one frame in this many
     */
    static TrainingSet load(Path images, Path masks, SegmentationModel teacher, int every, int maxSide)
            throws IOException {
        List<Source> sources = Files.isRegularFile(images) ? videoFrames(images, every) : photos(images, masks);
        long unlabelled = sources.stream().filter(s -> s.mask().isEmpty()).count();
        if (unlabelled > 0 && teacher == null) {
            Source first = sources.stream().filter(s -> s.mask().isEmpty()).findFirst().orElseThrow();
            throw new IllegalArgumentException(unlabelled + " of " + sources.size() + " images have no mask"
                    + (masks != null ? " in " + masks : "") + " (e.g. " + first.name()
                    + "): give their masks with --masks DIR (same base names, e.g. photo1.png), or --teacher MODEL"
                    + " (e.g. rvm) to label them");
        }
        List<TrainingImage> out = new ArrayList<>();
        try {
            for (Source s : sources) {
                StillImage photo = s.read();
                byte[] mask = s.mask().isPresent() ? StillImage.readMask(s.mask().get(), photo.width, photo.height)
                        : label(teacher, photo);
                try (Mat bgr = new Mat(photo.height, photo.width, CV_8UC3, new BytePointer(photo.bgr),
                        Compositor.frameStride(photo.width));
                     Mat m = new Mat(photo.height, photo.width, CV_8UC1, new BytePointer(mask))) {
                    out.add(new TrainingImage(s.name(), bgr, m, maxSide));
                }
            }
        } catch (RuntimeException e) {
            out.forEach(TrainingImage::close);
            throw e;
        }
        return new TrainingSet(out, (int) unlabelled);
    }

    private static List<Source> photos(Path images, Path masks) throws IOException {
        ImageEvaluation.requireDirectory(images, "--images");
        if (masks != null) {
            ImageEvaluation.requireDirectory(masks, "--masks");
        }
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(images)) {
            for (Path image : files.filter(StillImage::isImageName).sorted().toList()) {
                String name = ImageEvaluation.baseName(image);
                out.add(new Source(name, image, masks == null ? Optional.empty() : ImageEvaluation.findMask(masks, name),
                        null));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--images " + images + " holds no photos ("
                    + String.join(", ", StillImage.EXTENSIONS) + "): put training photos there, or give a video file");
        }
        return out;
    }

    private static List<Source> videoFrames(Path video, int every) {
        List<Source> out = new ArrayList<>();
        try (VideoSource source = VideoSource.open(video.toString())) {
            Frame f;
            long n = 0;
            while ((f = source.grab()) != null) {
                if (f.image != null && n++ % every == 0) {
                    StillImage frame = StillImage.copyOf((ByteBuffer) f.image[0], f.imageWidth, f.imageHeight,
                            f.imageStride);
                    out.add(new Source(video.getFileName() + "#" + (n - 1), null, Optional.empty(), frame));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--images " + video + " has no video frames to train on");
        }
        return out;
    }

    /** The teacher's mask for a photo, at the photo's size, 0..255 (soft edges kept). */
    private static byte[] label(SegmentationModel teacher, StillImage photo) {
        teacher.resetState();
        int mw = teacher.maskWidth(photo.width, photo.height);
        int mh = teacher.maskHeight(photo.width, photo.height);
        FloatBuffer prob = ByteBuffer.allocateDirect(mw * mh * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        teacher.predict(photo.bgr, photo.width, photo.height, Compositor.frameStride(photo.width), prob);
        byte[] out = new byte[photo.width * photo.height];
        try (Mat small = new Mat(mh, mw, CV_32FC1, new FloatPointer(prob));
             Mat full = new Mat(); Mat bytes = new Mat(photo.height, photo.width, CV_8UC1);
             Size size = new Size(photo.width, photo.height)) {
            opencv_imgproc.resize(small, full, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            full.convertTo(bytes, CV_8UC1, 255, 0);
            bytes.data().get(out);
        }
        return out;
    }

    int size() {
        return images.size();
    }

    @Override
    public void close() {
        images.forEach(TrainingImage::close);
    }
}
