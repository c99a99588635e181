package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Segmentation;
import dev.backdrop.config.Settings;
import dev.backdrop.output.FrameSink;
import dev.backdrop.segment.MaskPredictor;
import dev.backdrop.testing.Sharpness;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/**
 * Fail closed: live, a model that starts failing, or becomes slower than the mask deadline, must
 * never let a frame out with the room showing. The real selfie-ft model runs on the sample clip (a
 * person over FFmpeg's sharp test pattern); a wrapper makes calls 30 to 59 fail or stall, and every
 * output frame's sharpness is measured: the hidden ones must be blurred all over, the pattern in
 * the corner never sharp, and masks must come back.
 */
class FailClosedTest {

    private static final String CLIP = "samples/astronaut.mp4";
    private static final int FIRST_BAD = 30;
    private static final int LAST_BAD = 59;

    /** Per output frame: sharpness of the whole frame and of the top-left corner (always background). */
    private record Measured(double whole, double corner) {
    }

    @Test
    void aFailingModelHidesTheWholePictureUntilItRecovers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Measured> out = run(model -> (pixels, layout, w, h, stride, mask) -> {
            int call = calls.getAndIncrement();
            if (call >= FIRST_BAD && call <= LAST_BAD) {
                throw new IllegalStateException("injected failure at call " + call);
            }
            model.predict(pixels, layout, w, h, stride, mask);
        });
        check(out, "failing");
    }

    @Test
    void aStalledModelHidesThePictureAndTheOutputsKeepTheirRate() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Measured> out = run(model -> (pixels, layout, w, h, stride, mask) -> {
            int call = calls.getAndIncrement();
            if (call >= FIRST_BAD && call <= FIRST_BAD + 2) {
                sleep(700); // far past the 250 ms bound
            }
            model.predict(pixels, layout, w, h, stride, mask);
        });
        check(out, "stalled");
    }

    private static void check(List<Measured> out, String what) {
        // The clip is 5 s at 30 fps, played at its own pace: the run goes on (each stall costs the frames
        // that waited behind its bound: live drops stale frames rather than show them late).
        assertTrue(out.size() >= 100, what + ": only " + out.size() + " frames out of about 150");
        double sharpest = out.stream().mapToDouble(Measured::whole).max().orElseThrow();
        // Frames whose whole picture is blurred: far below the frames where the person stays sharp.
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).whole() < 0.25 * sharpest) {
                hidden.add(i);
            }
        }
        double cornerInput = cornerOfInput();
        double worstCorner = out.stream().mapToDouble(Measured::corner).max().orElseThrow();
        System.out.printf("%s model: %d frames out, %d hidden (frames %s..%s); whole-frame sharpness max %.1f,"
                        + " hidden max %.1f; corner max %.2f against the input's %.1f%n", what, out.size(), hidden.size(),
                hidden.isEmpty() ? "-" : hidden.get(0), hidden.isEmpty() ? "-" : hidden.get(hidden.size() - 1), sharpest,
                hidden.stream().mapToDouble(i -> out.get(i).whole()).max().orElse(0), worstCorner, cornerInput);
        assertTrue(hidden.size() >= 3, what + ": the frames without a mask were not hidden: " + hidden.size());
        assertTrue(hidden.get(0) >= FIRST_BAD - 10, what + ": frames hidden before the model went wrong: " + hidden);
        int lastHidden = hidden.get(hidden.size() - 1);
        assertTrue(lastHidden < out.size() - 20, what + ": masks never came back (last hidden frame " + lastHidden + ")");
        for (int i = lastHidden + 5; i < out.size(); i++) {
            assertTrue(out.get(i).whole() >= 0.25 * sharpest, what + ": frame " + i + " after recovery is still hidden");
        }
        // The room never shows: the pattern in the corner is blurred in every frame that left.
        assertTrue(worstCorner < 0.1 * cornerInput, what + ": a frame showed the background's detail ("
                + worstCorner + " against the input's " + cornerInput + ")");
    }

    private static List<Measured> run(UnaryOperator<MaskPredictor> wrapper) throws Exception {
        Settings settings = Settings.from(ConfigLoader.read(Path.of("config/backdrop.yaml"))
                .with(Segmentation.EVERY, 1, "the test")); // every frame calls the model
        List<Measured> measured = new ArrayList<>();
        FrameSink measure = new FrameSink() {
            @Override
            public void writeVideo(Frame frame, long timestampMicros) {
                ByteBuffer bgr = (ByteBuffer) frame.image[0];
                int w = frame.imageWidth;
                int h = frame.imageHeight;
                measured.add(new Measured(Sharpness.laplacianEnergy(bgr, frame.imageStride, w, h, 0, 0, w, h),
                        Sharpness.laplacianEnergy(bgr, frame.imageStride, w, h, 0, 0, w / 6, h / 5)));
            }

            @Override
            public void close() {
            }
        };
        LiveJob job = new LiveJob(new LiveJob.Input(CLIP, true, false, layout -> VideoSource.open(CLIP, layout)), settings,
                Path.of("."), format -> List.of(measure), 0, 5);
        job.wrappingModels(wrapper);
        LiveJob.Summary s = job.run();
        assertEquals(s.frames(), measured.size(), "every frame written was measured");
        return measured;
    }

    /** The corner's detail in the input itself: the test pattern, sharp. */
    private static double cornerOfInput() {
        try (VideoSource source = VideoSource.open(CLIP)) {
            Frame f = source.grab();
            while (f.image == null) {
                f = source.grab();
            }
            return Sharpness.laplacianEnergy((ByteBuffer) f.image[0], f.imageStride, f.imageWidth, f.imageHeight, 0, 0,
                    f.imageWidth / 6, f.imageHeight / 5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
