package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.PixelLayout;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** End to end: the bundled model finds the same person in I420 frames of the sample clip as in its RGBA frames. */
class I420MaskTest {
    private static final int FRAMES = 60;

    @Test
    void i420AndRgbaFramesGiveTheSameMask() {
        ClipFrames i420 = ClipFrames.read(ClipFrames.ASTRONAUT, PixelLayout.I420, FRAMES);
        ClipFrames rgba = ClipFrames.read(ClipFrames.ASTRONAUT, PixelLayout.RGBA, FRAMES);
        assertEquals(FRAMES, i420.frames().size());
        int w = i420.width();
        int h = i420.height();
        double worst = 1;
        double sum = 0;
        long both = 0;
        long either = 0;
        double largest = 0;
        try (SegmentationModel model = SegmentationModel.load("selfie", Path.of("models"), ModelOptions.defaults())) {
            FloatBuffer a = FloatBuffer.allocate(model.maskWidth(w, h) * model.maskHeight(w, h));
            FloatBuffer b = FloatBuffer.allocate(a.capacity());
            for (int f = 0; f < FRAMES; f++) {
                model.predict(i420.frames().get(f), PixelLayout.I420, w, h, i420.stride(), a);
                model.predict(rgba.frames().get(f), PixelLayout.RGBA, w, h, rgba.stride(), b);
                long frameBoth = 0;
                long frameEither = 0;
                for (int i = 0; i < a.capacity(); i++) {
                    boolean p = a.get(i) >= 0.5f;
                    boolean q = b.get(i) >= 0.5f;
                    frameBoth += p && q ? 1 : 0;
                    frameEither += p || q ? 1 : 0;
                    largest = Math.max(largest, Math.abs(a.get(i) - b.get(i)));
                }
                assertTrue(frameEither > a.capacity() / 20, "frame " + f + ": the astronaut is found");
                worst = Math.min(worst, frameBoth / (double) frameEither);
                sum += frameBoth / (double) frameEither;
                both += frameBoth;
                either += frameEither;
            }
        }
        double iou = both / (double) either;
        double mean = sum / FRAMES;
        System.out.printf("I420 vs RGBA masks, %d frames of %s: IoU %.4f overall, %.4f mean, %.4f worst frame,"
                + " largest |difference| %.3f%n", FRAMES, ClipFrames.ASTRONAUT, iou, mean, worst, largest);
        // Measured: 0.9902 overall, 0.9898 mean, 0.9660 worst (frame 29, the person on 10% of the mask). The
        // model is that touchy here: RGBA's own input brightened by 0.75 of a level gives 0.993 worst frame,
        // darkened 0.982, and the two inputs differ by about that (FramePreprocessorTest).
        assertTrue(iou >= 0.98 && mean >= 0.98, "IoU " + iou + " overall, " + mean + " mean");
        assertTrue(worst >= 0.95, "worst frame IoU " + worst);
    }
}
