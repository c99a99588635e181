package dev.backdrop.train;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The validation split never puts frames of one clip on both sides, whatever the share asked for. */
class ValidationSplitTest {

    @Test
    void aClipsFramesStayOnOneSide() {
        List<TrainingImage> all = new ArrayList<>();
        try (Mat bgr = new Mat(8, 8, CV_8UC3, new Scalar(90.0)); Mat mask = new Mat(8, 8, CV_8UC1, new Scalar(255.0))) {
            for (String clip : List.of("talk.mp4", "walk.mp4", "wave.mpg", "grid.mpg")) {
                for (int f = 0; f < 60; f += 15) {
                    all.add(new TrainingImage(clip + "#" + f, bgr, mask, 8));
                }
            }
            for (int p = 0; p < 10; p++) {
                all.add(new TrainingImage("photo" + p, bgr, mask, 8));
            }
        }
        try {
            for (double share : new double[] {0.05, 0.1, 0.2, 0.3, 0.5}) {
                List<TrainingImage> ordered = TrainingRun.splitOrder(all);
                int val = TrainingRun.validationCount(ordered, share);
                assertTrue(val >= Math.round(all.size() * share), share + ": " + val);
                Set<String> held = new HashSet<>();
                Set<String> trained = new HashSet<>();
                ordered.subList(0, val).forEach(p -> held.add(TrainingRun.group(p.name)));
                ordered.subList(val, ordered.size()).forEach(p -> trained.add(TrainingRun.group(p.name)));
                held.retainAll(trained);
                assertEquals(Set.of(), held, "groups on both sides at share " + share);
            }
            assertEquals("talk.mp4", TrainingRun.group("talk.mp4#15"));
            assertEquals("photo3", TrainingRun.group("photo3"));
        } finally {
            all.forEach(TrainingImage::close);
        }
    }
}
