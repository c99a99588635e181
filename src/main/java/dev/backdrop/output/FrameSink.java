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

    /** Interleaved float samples; sinks without audio ignore them. */
    default void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
    }

    /** Finalises the output (container index, stream end); safe to call twice. */
    @Override
    void close();
}
