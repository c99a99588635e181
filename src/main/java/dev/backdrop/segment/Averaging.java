package dev.backdrop.segment;

/** Test-time averaging: more than one run of the model per frame, for a steadier mask at a higher cost. */
public enum Averaging {
    /** One run per frame. */
    NONE,
    /** A second run on the frame mirrored left to right, averaged in ({@link MirrorAverage}): 2x the time. */
    MIRROR
}
