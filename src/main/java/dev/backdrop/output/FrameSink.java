package dev.backdrop.output;

import java.nio.FloatBuffer;
import org.bytedeco.javacv.Frame;

/**
 * Somewhere composited frames go: a file, a stream, a virtual camera, a pipe. The output stage
 * calls every sink from its one thread, in frame order; a sink must not keep the Frame after
 * returning (its pixels belong to a ring slot that is reused).
 */
public interface FrameSink extends AutoCloseable {

    /** One BGR24 frame with its input timestamp in microseconds. */
    void writeVideo(Frame image, long timestampMicros);

    /**
     * Whether this sink encodes YUV 4:2:0 at this frame size and would rather be given that
     * ({@link #writeYuv420}) than BGR: the compositor then converts on the GL, and the encoder skips
     * its conversion on the CPU. False unless a sink says otherwise.
     */
    default boolean takesYuv420(int width, int height) {
        return false;
    }

    /** One frame as I420 with its input timestamp; called instead of writeVideo where takesYuv420. */
    default void writeYuv420(Yuv420Image image, long timestampMicros) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes BGR frames");
    }

    /** Interleaved float samples; sinks without audio ignore them. */
    default void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
    }

    /** Finalises the output (container index, stream end); safe to call twice. */
    @Override
    void close();
}
