package dev.backdrop.eval;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.still.StillImage;
import dev.backdrop.still.StillSegmenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacv.Frame;

/**
 * Masks on a clip, frame after frame as {@code process} makes them (the model's recurrent state and the
 * temporal filter carried over): flicker, the mean mask change per frame; and, given one true mask per
 * frame, IoU, boundary F and temporal error per frame, averaged. Raw and refined side by side.
 */
public final class VideoEvaluation {

    /** Raw and refined values of one measure. */
    public record Pair(double raw, double refined) {
    }

    /**
     * Means over the clip; the scores against truth are null without masks.
     *
     * @param flicker       mean absolute mask change between consecutive frames, 0..1
     * @param temporalError mean |predicted change - true change| between consecutive frames, 0..1
     */
    public record Result(int frames, int modelRuns, Pair flicker, Pair iou, Pair boundaryF, Pair temporalError) {
    }

    private VideoEvaluation() {
    }

    /**
     * @param masksDir one true mask per frame, in frame order by file name (00000.png, 00001.png, ...); or null.
     *                 The clip is scored up to the last mask.
     */
    public static Result measure(String clip, Path masksDir, StillSegmenter segmenter, int maxFrames) {
        List<Path> truths = masksDir == null ? null : masks(masksDir);
        int limit = truths == null ? maxFrames : Math.min(maxFrames, truths.size());
        Sums flicker = new Sums();
        Sums iou = new Sums();
        Sums boundaryF = new Sums();
        Sums temporal = new Sums();
        StillSegmenter.Result previous = null;
        byte[] previousTruth = null;
        int frames = 0;
        int runs = 0;
        segmenter.startSequence();
        try (VideoSource source = VideoSource.open(clip)) {
            for (Frame f = source.grab(); f != null && frames < limit; f = source.grab()) {
                if (f.image == null) {
                    continue;
                }
                StillImage image = StillImage.copyOf((ByteBuffer) f.image[0], f.imageWidth, f.imageHeight, f.imageStride);
                StillSegmenter.Result r = segmenter.segmentNext(image);
                runs += r.modelRan() ? 1 : 0;
                if (previous != null) {
                    flicker.add(MaskMetrics.meanAbsoluteChange(previous.rawMask(), r.rawMask()),
                            MaskMetrics.meanAbsoluteChange(previous.refinedMask(), r.refinedMask()));
                }
                if (truths != null) {
                    byte[] truth = StillImage.readMask(truths.get(frames), image.width, image.height);
                    ImageScore score = ImageEvaluation.score(truths.get(frames).toString(), r, truth);
                    iou.add(score.iouRaw(), score.iouRefined());
                    boundaryF.add(score.boundaryFRaw(), score.boundaryFRefined());
                    if (previous != null) {
                        temporal.add(MaskMetrics.temporalError(previous.rawMask(), r.rawMask(), previousTruth, truth),
                                MaskMetrics.temporalError(previous.refinedMask(), r.refinedMask(), previousTruth, truth));
                    }
                    previousTruth = truth;
                }
                previous = r;
                frames++;
            }
        }
        if (frames < 2) {
            throw new IllegalArgumentException("clip " + clip + " has fewer than 2 video frames"
                    + (truths != null && truths.size() < 2 ? " with masks" : "") + ": nothing to measure over time");
        }
        return new Result(frames, runs, flicker.mean(), truths == null ? null : iou.mean(),
                truths == null ? null : boundaryF.mean(), truths == null ? null : temporal.mean());
    }

    private static List<Path> masks(Path masksDir) {
        ImageEvaluation.requireDirectory(masksDir, "--masks");
        try (Stream<Path> files = Files.list(masksDir)) {
            List<Path> masks = files.filter(StillImage::isImage).sorted().toList();
            if (masks.isEmpty()) {
                throw new IllegalArgumentException("--masks " + masksDir + " holds no mask images (one per frame,"
                        + " named in frame order, e.g. 00000.png)");
            }
            return masks;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list --masks " + masksDir + ": " + e.getMessage(), e);
        }
    }

    /** Running sums of one raw/refined measure. */
    private static final class Sums {
        private double raw;
        private double refined;
        private int n;

        void add(double r, double f) {
            raw += r;
            refined += f;
            n++;
        }

        Pair mean() {
            return new Pair(n == 0 ? Double.NaN : raw / n, n == 0 ? Double.NaN : refined / n);
        }
    }
}
