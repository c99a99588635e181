package dev.backdrop.train;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.backdrop.compose.Compositor;
import dev.backdrop.eval.ImageEvaluation;
import dev.backdrop.still.StillImage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The photos a model learns from, with a mask for each: from the masks folders, or labelled by a teacher
 * model (distillation) where there is none. Folders may also hold clips, and a clip may be given directly:
 * one frame in every few becomes a photo, all of a clip's frames named after it so they stay together on
 * one side of the validation split.
 */
final class TrainingSet implements AutoCloseable {
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mpg", "mpeg", "mkv", "mov", "avi", "webm");

    final List<TrainingImage> images;
    final int labelledByTeacher;
    final int labelsFromCache;

    private TrainingSet(List<TrainingImage> images, int labelledByTeacher, int labelsFromCache) {
        this.images = images;
        this.labelledByTeacher = labelledByTeacher;
        this.labelsFromCache = labelsFromCache;
    }

    /** A photo with the mask found for it: a file, or merged annotations (neither: the teacher labels it). */
    private record Photo(String name, Path image, Optional<Path> mask, CocoAnnotations.Labelled annotated) {
        boolean labelled() {
            return mask.isPresent() || annotated != null;
        }
    }

    /**
     * @param teacher labels photos and clips without masks; null to require masks for all
     */
    static TrainingSet load(TrainOptions o, TeacherLabels teacher, int maxSide) throws IOException {
        List<PathMatcher> exclude = o.exclude().stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        for (Path m : o.masks()) {
            ImageEvaluation.requireDirectory(m, "--masks");
        }
        Map<String, CocoAnnotations.Labelled> annotated = o.annotations() == null ? Map.of()
                : CocoAnnotations.read(o.annotations(), o.category());
        List<Photo> photos = new ArrayList<>();
        List<Path> clips = new ArrayList<>();
        for (Path source : o.images()) {
            if (Files.isRegularFile(source)) {
                clips.add(source);
                continue;
            }
            ImageEvaluation.requireDirectory(source, "--images");
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.sorted().toList()) {
                    if (exclude.stream().anyMatch(m -> m.matches(f.getFileName()))) {
                        continue;
                    }
                    String file = f.getFileName().toString();
                    CocoAnnotations.Labelled a = annotated.get(file);
                    if (a != null) {
                        if (a.instances() > 0 || o.negatives()) {
                            photos.add(new Photo(ImageEvaluation.baseName(f), f, Optional.empty(), a));
                        }
                    } else if (StillImage.isImageName(f)) {
                        String name = ImageEvaluation.baseName(f);
                        photos.add(new Photo(name, f, findMask(o.masks(), name), null));
                    } else if (isVideoName(f)) {
                        clips.add(f);
                    }
                }
            }
        }
        if (o.annotations() != null && photos.stream().noneMatch(p -> p.annotated() != null)) {
            throw new IllegalArgumentException("--annotations " + o.annotations() + " names none of the photos in "
                    + o.images().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + ": give the folder its file_name entries are in with --images");
        }
        if (photos.isEmpty() && clips.isEmpty()) {
            throw new IllegalArgumentException("--images " + o.images() + " holds no photos ("
                    + String.join(", ", StillImage.EXTENSIONS) + ") or clips: put training photos there");
        }
        long unlabelled = photos.stream().filter(p -> !p.labelled()).count();
        if ((unlabelled > 0 || !clips.isEmpty()) && teacher == null) {
            String example = unlabelled > 0 ? photos.stream().filter(p -> !p.labelled()).findFirst()
                    .orElseThrow().name() : clips.get(0).getFileName().toString();
            throw new IllegalArgumentException((unlabelled > 0 ? unlabelled + " of " + photos.size()
                    + " photos have no mask" + (o.masks().isEmpty() ? ""
                    : " in " + o.masks().stream().map(Path::toString).collect(Collectors.joining(", ")))
                    : clips.size() + " clips have no masks") + " (e.g. " + example
                    + "): give their masks with --masks DIR (same base names, e.g. photo1.png), or --teacher MODEL"
                    + " (e.g. rvm) to label them");
        }
        List<TrainingImage> out = new ArrayList<>();
        try {
            for (Photo p : photos) {
                StillImage photo = StillImage.read(p.image());
                byte[] mask = p.annotated() != null ? annotatedMask(p, photo)
                        : p.mask().isPresent() ? StillImage.readMask(p.mask().get(), photo.width, photo.height)
                        : teacher.photo(p.image(), photo);
                out.add(image(p.name(), photo, mask, maxSide));
            }
            for (Path clip : clips) {
                List<TeacherLabels.LabelledFrame> frames = teacher.clip(clip, o.every());
                if (frames.isEmpty()) {
                    throw new IllegalArgumentException("--images " + clip + " has no video frames to train on");
                }
                for (TeacherLabels.LabelledFrame f : frames) {
                    out.add(image(f.name(), f.frame(), f.mask(), maxSide));
                }
            }
        } catch (RuntimeException e) {
            out.forEach(TrainingImage::close);
            throw e;
        }
        return new TrainingSet(out, teacher == null ? 0 : teacher.labelled(), teacher == null ? 0 : teacher.cached());
    }

    private static TrainingImage image(String name, StillImage photo, byte[] mask, int maxSide) {
        try (Mat bgr = new Mat(photo.height, photo.width, CV_8UC3, new BytePointer(photo.bgr),
                Compositor.frameStride(photo.width));
             Mat m = new Mat(photo.height, photo.width, CV_8UC1, new BytePointer(mask))) {
            return new TrainingImage(name, bgr, m, maxSide);
        }
    }

    private static byte[] annotatedMask(Photo p, StillImage photo) {
        CocoAnnotations.Labelled a = p.annotated();
        if (a.width() != photo.width || a.height() != photo.height) {
            throw new IllegalArgumentException("--annotations: " + p.image() + " is " + photo.width + "x"
                    + photo.height + " but its annotations say " + a.width() + "x" + a.height());
        }
        return a.mask();
    }

    private static Optional<Path> findMask(List<Path> masks, String name) {
        for (Path dir : masks) {
            Optional<Path> m = ImageEvaluation.findMask(dir, name);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    static boolean isVideoName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1));
    }

    int size() {
        return images.size();
    }

    @Override
    public void close() {
        images.forEach(TrainingImage::close);
    }
}
