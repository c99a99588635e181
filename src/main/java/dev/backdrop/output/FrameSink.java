package dev.backdrop.output;

import java.nio.FloatBuffer;
import org.bytedeco.javacv.Frame;

/**
 * Somewhere composited frames go: a file, a stream, a virtual camera, a pipe. The output stage
 * calls every sink from its one thread, in frame order; a sink must not keep the Frame after
 * returning (its pixels belong to a ring slot that is reused). A sink that may be slow runs
 * behind an {@link AsyncSink}, which copies the frame and returns at once.
 */
public interface FrameSink extends AutoCloseable {

    /**
     * One frame of 8-bit pixels with its input timestamp in microseconds, in the layout its channel
     * count names ({@link dev.backdrop.capture.PixelLayout}): BGR24 (3) as compositing reads back for
     * every opaque output, RGBA (4) for a transparent background, grey (1) for a mask.
     */
    void writeVideo(Frame frame, long timestampMicros);

    /**
     * Whether this sink encodes YUV 4:2:0 at this frame size and would rather be given that
     * ({@link #writeYuv420}) than {@link #writeVideo}'s pixels: the compositor then converts on the
     * GL, and the encoder skips its conversion on the CPU. False unless a sink says otherwise.
     */
    default boolean takesYuv420(int width, int height) {
        return false;
    }

    /** One frame as I420 with its input timestamp; called instead of writeVideo where takesYuv420. */
    default void writeYuv420(Yuv420Image image, long timestampMicros) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes frames by writeVideo");
    }

    /**
     * The refined mask (8-bit grey) of the frame just given, while a view asks for masks (the control
     * page's mask view); sinks that do not show masks ignore it.
     */
    default void writeMask(Frame grey, long timestampMicros) {
    }

    /** Interleaved float samples; sinks without audio ignore them. */
    default void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
    }

    /** Finalises the output (container index, stream end); safe to call twice. */
    @Override
    void close();
}
