package dev.backdrop.compose;

/**
 * The frame itself behind the person: transparent output (the alpha read back carries the mask)
 * or a blur of 0. The blend's mix(frame, frame, m) leaves the frame as it is.
 */
final class FrameBackground implements BackgroundLayer {

    @Override
    public Kind kind() {
        return Kind.FRAME;
    }

    @Override
    public Texture draw(Texture frame, Texture shaped, long timestampMicros, FullscreenTriangle triangle) {
        return frame;
    }

    @Override
    public void close() {
        // owns nothing
    }
}
