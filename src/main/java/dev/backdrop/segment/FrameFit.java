package dev.backdrop.segment;

import java.nio.FloatBuffer;

/**
 * How one frame size maps onto the model's input and back: the frame is scaled to scaledW x scaledH, placed
 * into (letterbox) or cut from (crop) the inW x inH input at (offX, offY); the mask the model gives at input
 * size is mapped back to a maskW x maskH mask covering the whole frame.
 */
final class FrameFit {
    final int frameW;
    final int frameH;
    final AspectMode mode;
    final int inW;
    final int inH;
    final int scaledW;
    final int scaledH;
    final int offX;
    final int offY;
    final int maskW;
    final int maskH;
    /** Background for the margins a crop cuts off; empty unless cropping. */
    private final float[] zeros;

    /**
     * @param inputW  the model's fixed input width, or 0 when it runs at any size (then at the frame's size,
     *                or scaled down to maxSide, whatever the mode)
     * @param maxSide for a model of any size, the longest input side; 0 = the frame's size
     */
    FrameFit(int frameW, int frameH, int inputW, int inputH, int maxSide, AspectMode mode) {
        if (frameW <= 0 || frameH <= 0) {
            throw new IllegalArgumentException("bad frame size " + frameW + "x" + frameH);
        }
        this.frameW = frameW;
        this.frameH = frameH;
        this.mode = mode;
        // The whole frame, shrunk to the cap with its aspect kept: the mask still covers the frame exactly.
        double shrink = maxSide > 0 ? Math.min(1.0, (double) maxSide / Math.max(frameW, frameH)) : 1.0;
        this.inW = inputW > 0 ? inputW : Math.max(1, (int) Math.round(frameW * shrink));
        this.inH = inputW > 0 ? inputH : Math.max(1, (int) Math.round(frameH * shrink));
        double sx = (double) inW / frameW;
        double sy = (double) inH / frameH;
        if (inputW > 0 && mode == AspectMode.LETTERBOX) {
            double s = Math.min(sx, sy);
            scaledW = clamp((int) Math.round(frameW * s), 1, inW);
            scaledH = clamp((int) Math.round(frameH * s), 1, inH);
            offX = (inW - scaledW) / 2;
            offY = (inH - scaledH) / 2;
        } else if (inputW > 0 && mode == AspectMode.CROP) {
            double s = Math.max(sx, sy);
            scaledW = Math.max(inW, (int) Math.round(frameW * s));
            scaledH = Math.max(inH, (int) Math.round(frameH * s));
            offX = (scaledW - inW) / 2;
            offY = (scaledH - inH) / 2;
        } else {
            scaledW = inW;
            scaledH = inH;
            offX = 0;
            offY = 0;
        }
        // The mask has the scaled frame's size: what the model saw, plus the margins a crop cuts off.
        this.maskW = scaledW;
        this.maskH = scaledH;
        this.zeros = new float[mode == AspectMode.CROP ? maskW : 0];
    }

    boolean sameAs(int frameW, int frameH, AspectMode mode) {
        return this.frameW == frameW && this.frameH == frameH && this.mode == mode;
    }

    void requireMask(FloatBuffer mask) {
        if (mask.capacity() < maskW * maskH) {
            throw new IllegalArgumentException("mask holds " + mask.capacity() + " floats, the model writes "
                    + maskW + "x" + maskH + " for " + frameW + "x" + frameH + " frames");
        }
    }

    /** Whether the scaled frame is exactly the input, so both directions are plain copies. */
    private boolean whole() {
        return scaledW == inW && scaledH == inH;
    }

    /** The scaled frame (scaledW*scaledH RGB triples) -> the input (inW*inH triples); letterbox bars untouched. */
    void placeInput(FloatBuffer scaled, float[] input) {
        if (whole()) {
            scaled.get(0, input, 0, inW * inH * 3);
        } else if (mode == AspectMode.LETTERBOX) {
            for (int y = 0; y < scaledH; y++) {
                scaled.get(y * scaledW * 3, input, ((y + offY) * inW + offX) * 3, scaledW * 3);
            }
        } else {
            for (int y = 0; y < inH; y++) {
                scaled.get(((y + offY) * scaledW + offX) * 3, input, y * inW * 3, inW * 3);
            }
        }
    }

    /** The mask at input size (inW*inH) -> the frame-covering mask (maskW*maskH), from index 0. */
    void placeMask(float[] atInput, FloatBuffer mask) {
        if (whole()) {
            mask.put(0, atInput, 0, maskW * maskH);
        } else if (mode == AspectMode.LETTERBOX) {
            for (int y = 0; y < maskH; y++) {
                mask.put(y * maskW, atInput, (y + offY) * inW + offX, maskW);
            }
        } else {
            // The model saw the centre; the cut-off margins count as background.
            for (int y = 0; y < maskH; y++) {
                int row = y - offY;
                if (row < 0 || row >= inH) {
                    mask.put(y * maskW, zeros, 0, maskW);
                } else {
                    mask.put(y * maskW, zeros, 0, offX);
                    mask.put(y * maskW + offX, atInput, row * inW, inW);
                    mask.put(y * maskW + offX + inW, zeros, 0, maskW - offX - inW);
                }
            }
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
