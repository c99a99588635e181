package dev.backdrop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskMetricsTest {

    static final int W = 40;
    static final int H = 30;

    /** A filled rectangle [x0,x1) x [y0,y1) of person on background. */
    static byte[] rect(int x0, int y0, int x1, int y1) {
        byte[] m = new byte[W * H];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * W + x] = (byte) 255;
            }
        }
        return m;
    }

    @Test
    void iouOfKnownOverlaps() {
        assertEquals(1.0, MaskMetrics.iou(rect(5, 5, 15, 15), rect(5, 5, 15, 15)));
        // 10x10 and the same shifted right by 5: intersection 50, union 150
        assertEquals(50.0 / 150, MaskMetrics.iou(rect(5, 5, 15, 15), rect(10, 5, 20, 15)), 1e-12);
        assertEquals(0.0, MaskMetrics.iou(rect(0, 0, 5, 5), rect(20, 20, 25, 25)));
        assertEquals(1.0, MaskMetrics.iou(new byte[W * H], new byte[W * H]), "both empty");
    }

    @Test
    void boundaryFRewardsOutlinesWithinTolerance() {
        byte[] truth = rect(10, 8, 30, 22);
        assertEquals(1.0, MaskMetrics.boundaryF(truth, truth, W, H, 1));
        byte[] shifted = rect(11, 8, 31, 22);
        assertEquals(1.0, MaskMetrics.boundaryF(shifted, truth, W, H, 1), 1e-12, "1 px off, 1 px tolerance");
        double strict = MaskMetrics.boundaryF(shifted, truth, W, H, 0);
        assertTrue(strict < 0.9 && strict > 0.3, "1 px off, no tolerance: " + strict);
        assertTrue(MaskMetrics.boundaryF(rect(0, 0, 4, 4), truth, W, H, 2) < 0.05);
    }

    @Test
    void mattesAndErrors() {
        byte[] truth = rect(0, 0, 20, 30);
        assertFalse(MaskMetrics.isMatte(truth));
        byte[] soft = truth.clone();
        for (int i = 0; i < soft.length; i += 10) {
            soft[i] = (byte) 100;
        }
        assertTrue(MaskMetrics.isMatte(soft));
        byte[] allPerson = rect(0, 0, W, H);
        assertEquals(0.5, MaskMetrics.meanAbsoluteError(allPerson, truth), 1e-12, "half the pixels off by 1");
        assertEquals(0.0, MaskMetrics.meanAbsoluteChange(truth, truth));
    }

    @Test
    void toleranceFollowsTheDiagonal() {
        assertEquals(1, MaskMetrics.boundaryTolerance(40, 30));
        assertEquals(11, MaskMetrics.boundaryTolerance(1280, 720));
    }

    /** A mask that follows a moving edge has no temporal error; one that lags a frame or stands still has. */
    @Test
    void temporalErrorCountsOnlyChangesTheTruthDoesNotMake() {
        int w = 40;
        byte[][] truth = new byte[3][];
        for (int f = 0; f < 3; f++) {
            int edge = 10 + 5 * f; // the person's edge moves 5 px a frame
            truth[f] = new byte[w];
            for (int x = 0; x < edge; x++) {
                truth[f][x] = (byte) 255;
            }
        }
        assertEquals(0.0, MaskMetrics.temporalError(truth[1], truth[2], truth[1], truth[2]), 1e-12);
        assertEquals(10.0 / w, MaskMetrics.temporalError(truth[0], truth[1], truth[1], truth[2]), 1e-12,
                "lagging by a frame changes the 5 px behind the truth's 5, so misses both");
        assertEquals(5.0 / w, MaskMetrics.temporalError(truth[1], truth[1], truth[1], truth[2]), 1e-12,
                "a mask that stands still misses the 5 px the truth moved");
        assertEquals(0.0, MaskMetrics.meanAbsoluteChange(truth[1], truth[1]), 1e-12);
    }
}
