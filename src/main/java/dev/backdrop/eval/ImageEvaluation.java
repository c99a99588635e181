package dev.backdrop.eval;

import dev.backdrop.still.StillImage;
import dev.backdrop.still.StillSegmenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Scores a model on photos with ground-truth masks: each image in one folder is matched with the
 * mask of the same base name in another, and both of Backdrop's full-resolution masks are scored.
 */
public final class ImageEvaluation {

    /** A photo and its ground-truth mask. */
    public record Pair(String name, Path image, Path mask) {
    }

    private ImageEvaluation() {
    }

    /**
     * Every image in imagesDir whose file name matches {@code glob} ({@code *}, or e.g. {@code ccp_08*} for a fixed
     * split chosen by name) and that has a mask of the same base name in masksDir, sorted by name.
     */
    public static List<Pair> pairs(Path imagesDir, Path masksDir, String glob) throws IOException {
        PathMatcher names = imagesDir.getFileSystem().getPathMatcher("glob:" + glob);
        requireDirectory(imagesDir, "--images");
        requireDirectory(masksDir, "--masks");
        List<Pair> pairs = new ArrayList<>();
        try (Stream<Path> files = Files.list(imagesDir)) {
            for (Path image : files.filter(StillImage::isImage).filter(f -> names.matches(f.getFileName()))
                    .sorted().toList()) {
                String name = baseName(image);
                findMask(masksDir, name).ifPresent(mask -> pairs.add(new Pair(name, image, mask)));
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no image in " + imagesDir + (glob.equals("*") ? "" : " named " + glob)
                    + " has a mask of the same name in " + masksDir
                    + " (e.g. photo1.jpg with photo1.png)");
        }
        return pairs;
    }

    /** Scores one photo scaled to {@code height} rows (its mask with it), or as it is when height is 0. */
    public static ImageScore score(Pair pair, StillSegmenter segmenter, int height) {
        StillImage image = StillImage.read(pair.image());
        byte[] truth = StillImage.readMask(pair.mask(), image.width, image.height);
        if (height > 0 && height != image.height) {
            StillImage scaled = image.scaledToHeight(height);
            truth = StillImage.scaleMask(truth, image.width, image.height, scaled.width, scaled.height);
            image = scaled;
        }
        return score(pair.name(), segmenter.segment(image, false), truth);
    }

    /** Both of a segmentation's masks scored against the truth (full resolution, one byte per pixel). */
    static ImageScore score(String name, StillSegmenter.Result r, byte[] truth) {
        int tolerance = MaskMetrics.boundaryTolerance(r.width(), r.height());
        boolean matte = MaskMetrics.isMatte(truth);
        return new ImageScore(name, r.width(), r.height(),
                MaskMetrics.iou(r.rawMask(), truth), MaskMetrics.iou(r.refinedMask(), truth),
                MaskMetrics.boundaryF(r.rawMask(), truth, r.width(), r.height(), tolerance),
                MaskMetrics.boundaryF(r.refinedMask(), truth, r.width(), r.height(), tolerance),
                matte ? MaskMetrics.meanAbsoluteError(r.rawMask(), truth) : null,
                matte ? MaskMetrics.meanAbsoluteError(r.refinedMask(), truth) : null);
    }

    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The mask of photo {@code name} in masksDir: the same base name with any image extension. */
    public static Optional<Path> findMask(Path masksDir, String name) {
        for (String ext : StillImage.EXTENSIONS) {
            Path candidate = masksDir.resolve(name + "." + ext);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static void requireDirectory(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a folder");
        }
    }
}
