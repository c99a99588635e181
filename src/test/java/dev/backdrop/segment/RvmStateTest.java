package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** RVM's recurrent state is really fed back between frames, and resetState() really forgets it. */
class RvmStateTest {

    @Test
    void stateIsFedBackAndResetForgetsIt() {
        int w = 320;
        int h = 180;
        try (SegmentationModel m = SegmentationModel.load("rvm", Path.of("models"), ModelOptions.defaults())) {
            assertTrue(m.recurrent());
            assertEquals(w, m.maskWidth(w, h));
            assertEquals(h, m.maskHeight(w, h));
            assertTrue(m.description().startsWith("rvm (TF.js graph model, any size, downsample auto"), m.description());
            ByteBuffer frame1 = frame(w, h, 0);
            ByteBuffer frame2 = frame(w, h, 40);
            float[] first = predict(m, frame1, w, h);
            float[] second = predict(m, frame2, w, h);
            float[] secondAgain = predict(m, frame2, w, h);
            m.resetState();
            float[] fresh2 = predict(m, frame2, w, h);
            m.resetState();
            float[] firstAgain = predict(m, frame1, w, h);
            double d = maxDiff(second, fresh2);
            double d2 = maxDiff(secondAgain, fresh2);
            System.out.printf("rvm state: frame 2 after frame 1 vs after reset: max diff %.4f (again: %.4f)%n", d, d2);
            assertTrue(d > 1e-3, "the state made no difference: max diff " + d);
            assertArrayEquals(first, firstAgain, 0f, "resetState() does not give the first-frame result back");
        }
    }

    private static float[] predict(SegmentationModel m, ByteBuffer bgr, int w, int h) {
        FloatBuffer mask = FloatBuffer.allocate(w * h);
        m.predict(bgr, w, h, w * 3, mask);
        return mask.array().clone();
    }

    /** A bright "person" blob on a dark gradient, shifted by dx. */
    static ByteBuffer frame(int w, int h, int dx) {
        ByteBuffer b = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double cx = (x - w / 2.0 - dx) / (w * 0.15);
                double cy = (y - h * 0.6) / (h * 0.4);
                boolean in = cx * cx + cy * cy < 1 || (Math.abs(x - w / 2.0 - dx) < w * 0.06 && y > h * 0.1 && y < h * 0.3);
                int o = (y * w + x) * 3;
                b.put(o, (byte) (in ? 90 : 30 + x / 8)).put(o + 1, (byte) (in ? 140 : 60)).put(o + 2, (byte) (in ? 200 : 40 + y / 4));
            }
        }
        return b;
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
