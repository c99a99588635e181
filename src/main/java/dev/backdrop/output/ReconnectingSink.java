package dev.backdrop.output;

import java.nio.FloatBuffer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a stream server (RTMP, SRT) that is made again when it breaks. The first one is
 * made before any frame flows, retrying until the start timeout and then failing with a message
 * that names the server; when a connection breaks later, frames are discarded (and counted) until
 * a reconnection, tried with {@link Backoff}, succeeds. Writing never throws.
 *
 * <p>One thread writes and closes: an {@link AsyncSink}'s sender, so that connecting never stalls
 * the pipeline. The counters are written by that thread only and may be read from any.
 */
public final class ReconnectingSink implements FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSink.class);

    private final String name;
    private final Supplier<FrameSink> connect;
    private final Backoff backoff = new Backoff();
    /** Null while the server is away. */
    private FrameSink connection;
    private long retryAtNanos;
    private boolean closed;
    private volatile long reconnects;
    private volatile long lost;

    /**
     * Connects now, retrying until {@code startTimeoutSeconds} have passed.
     *
     * @param name the URL with credentials already hidden, for messages
     * @param connect opens a fresh connection (throws OutputException when the server is unreachable);
     *                every connection takes frames in the same form
     * @throws OutputException when no connection could be made in time
     */
    public ReconnectingSink(String name, Supplier<FrameSink> connect, double startTimeoutSeconds) {
        this.name = name;
        this.connect = connect;
        this.connection = connectAtStart(System.nanoTime() + (long) (startTimeoutSeconds * 1e9));
    }

    private FrameSink connectAtStart(long deadlineNanos) {
        while (true) {
            try {
                FrameSink first = connect.get();
                backoff.reset();
                return first;
            } catch (RuntimeException e) {
                long waitMillis = backoff.nextMillis();
                if (System.nanoTime() + waitMillis * 1_000_000 > deadlineNanos) {
                    throw new OutputException("cannot reach stream server " + name + " (gave up at --stream-timeout): "
                            + e.getMessage(), e);
                }
                LOG.warn("stream {} unreachable ({}); retrying in {} ms", name, e.getMessage(), waitMillis);
                try {
                    Thread.sleep(waitMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new OutputException("interrupted while connecting to " + name, interrupted);
                }
            }
        }
    }

    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        send(out -> out.writeVideo(frame, timestampMicros), true);
    }

    /** As its connections do; asked before frames flow, while the first connection is open. */
    @Override
    public boolean takesYuv420(int width, int height) {
        return connection != null && connection.takesYuv420(width, height);
    }

    @Override
    public void writeYuv420(Yuv420Image image, long timestampMicros) {
        send(out -> out.writeYuv420(image, timestampMicros), true);
    }

    @Override
    public void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
        send(out -> out.writeAudio(samples, sampleRate, channels), false);
    }

    /** Frames discarded because the server was away or the connection broke while sending them. */
    public long lost() {
        return lost;
    }

    public long reconnects() {
        return reconnects;
    }

    private void send(Consumer<FrameSink> write, boolean isFrame) {
        FrameSink out = connected();
        if (out == null) {
            lost += isFrame ? 1 : 0;
            return;
        }
        try {
            write.accept(out);
        } catch (RuntimeException e) {
            LOG.warn("stream {} lost ({}); reconnecting", name, e.getMessage());
            lost += isFrame ? 1 : 0;
            closeQuietly(out);
            connection = null;
            retryAtNanos = System.nanoTime() + backoff.nextMillis() * 1_000_000;
        }
    }

    /** The open connection, after trying to reconnect when the backoff allows; null while there is none. */
    private FrameSink connected() {
        if (connection == null && System.nanoTime() >= retryAtNanos) {
            try {
                connection = connect.get();
                reconnects++;
                backoff.reset();
                LOG.info("stream {} reconnected", name);
            } catch (RuntimeException e) {
                long waitMillis = backoff.nextMillis();
                LOG.warn("stream {} unreachable ({}); retrying in {} ms", name, e.getMessage(), waitMillis);
                retryAtNanos = System.nanoTime() + waitMillis * 1_000_000;
            }
        }
        return connection;
    }

    private void closeQuietly(FrameSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a broken stream {}: {}", name, e.getMessage());
        }
    }

    /** Ends the stream; a connection that breaks while ending is not an error (the frames were sent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        retryAtNanos = Long.MAX_VALUE; // frames written after closing are discarded, not a reason to reconnect
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
        if (reconnects > 0 || lost > 0) {
            LOG.info("stream {}: {} reconnects, {} frames lost while away", name, reconnects, lost);
        }
    }
}
