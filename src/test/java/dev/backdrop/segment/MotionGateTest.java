package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The gate reads an I420 frame's Y plane: a frame whose luma moved is not still, whatever its chroma. */
class MotionGateTest {
    private static final int W = 64;
    private static final int H = 36;

    @Test
    void i420FramesAreSampledByLuma() {
        MotionGate gate = new MotionGate(2);
        assertFalse(still(gate, frame(100, 128)), "nothing to compare the first frame with");
        gate.kept();
        assertTrue(still(gate, frame(100, 128)), "the same frame");
        assertTrue(still(gate, frame(101, 128)), "one level of luma");
        assertTrue(still(gate, frame(100, 60)), "chroma alone: the gate does not read it");
        assertFalse(still(gate, frame(103, 128)), "three levels of luma");
    }

    @Test
    void aSmallAreaThatMovesIsNotStillThoughTheMeanBarelyChanged() {
        MotionGate meanAlone = new MotionGate(1);
        MotionGate withCells = new MotionGate(1, 16);
        for (MotionGate gate : new MotionGate[] {meanAlone, withCells}) {
            still(gate, frame(100, 128));
            gate.kept();
        }
        // A hand in one corner: one grid cell's 2x2 pixels (of 64x36) 100 levels brighter
        ByteBuffer hand = frame(100, 128);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                hand.put(y * W + x, (byte) 200);
            }
        }
        assertTrue(still(meanAlone, hand), "by the mean alone the frame is still");
        assertTrue(meanAlone.change() < 1, "the mean changed by " + meanAlone.change() + " levels");
        assertFalse(still(withCells, hand), "one cell changed by " + withCells.largestCellChange() + " levels");
        assertTrue(withCells.largestCellChange() >= 16);
        ByteBuffer flicker = frame(100, 128);
        flicker.put(0, (byte) 110); // a quarter of one cell's samples, 10 levels: 2.5 for the cell
        assertTrue(still(withCells, flicker), "a cell changed by " + withCells.largestCellChange() + " levels");
    }

    private static boolean still(MotionGate gate, ByteBuffer frame) {
        return gate.still(frame, PixelLayout.I420, W, H, PixelLayout.I420.stride(W));
    }

    private static ByteBuffer frame(int luma, int chroma) {
        ByteBuffer b = ByteBuffer.allocate(PixelLayout.I420.frameBytes(W, H));
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (i < W * H ? luma : chroma));
        }
        return b;
    }
}
