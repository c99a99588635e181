package dev.backdrop.eval;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.still.StillImage;
import dev.backdrop.still.StillSegmenter;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * Flicker on a clip: the mean absolute change of the mask between consecutive frames, raw and
 * refined. On a clip where nothing moves, every bit of it is noise a viewer sees as shimmer.
 */
public final class VideoFlicker {

    /** Mean frame-to-frame mask change in 0..1, over {@code frames} frames. */
    public record Result(int frames, double raw, double refined) {
    }

    private VideoFlicker() {
    }

    public static Result measure(String clip, StillSegmenter segmenter, int maxFrames) {
        byte[] previousRaw = null;
        byte[] previousRefined = null;
        double sumRaw = 0;
        double sumRefined = 0;
        int frames = 0;
        try (VideoSource source = VideoSource.open(clip)) {
            for (Frame f = source.grab(); f != null && frames < maxFrames; f = source.grab()) {
                if (f.image == null) {
                    continue;
                }
                StillImage image = StillImage.copyOf((ByteBuffer) f.image[0], f.imageWidth, f.imageHeight, f.imageStride);
                StillSegmenter.Result r = frames == 0 ? segmenter.segment(image, false) : segmenter.segmentNext(image);
                if (previousRaw != null) {
                    sumRaw += MaskMetrics.meanAbsoluteChange(previousRaw, r.rawMask());
                    sumRefined += MaskMetrics.meanAbsoluteChange(previousRefined, r.refinedMask());
                }
                previousRaw = r.rawMask();
                previousRefined = r.refinedMask();
                frames++;
            }
        }
        if (frames < 2) {
            throw new IllegalArgumentException("clip " + clip + " has fewer than 2 video frames: no flicker to measure");
        }
        return new Result(frames, sumRaw / (frames - 1), sumRefined / (frames - 1));
    }
}
