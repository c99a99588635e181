package dev.backdrop.output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network stream (RTMP, SRT) on its own thread, so a slow or vanished server never stalls the
 * pipeline. Frames are copied into a small pool of preallocated buffers; when the pool is empty
 * (the network is behind) or the server is away, frames are dropped and counted. The first
 * connection is made before any frame flows (retrying with backoff until the start timeout, then
 * failing with a clear message); when the connection breaks later it reconnects with backoff.
 */
public final class StreamSink implements FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSink.class);
    private static final int POOL = 4;

    /**
     * One queued item: a video frame or an audio packet, reused round the pool. The frame is BGR,
     * or I420 when the stream takes that; each buffer is allocated on its first use.
     */
    private static final class Item {
        Frame image;
        Yuv420Image yuv420;
        boolean isYuv420;
        FloatBuffer audio = ByteBuffer.allocateDirect(8192 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        boolean isAudio;
        long timestampMicros;
        int sampleRate;
        int channels;

        Frame bgr(int width, int height) {
            if (image == null) {
                image = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            }
            return image;
        }

        Yuv420Image i420(int width, int height) {
            if (yuv420 == null) {
                yuv420 = new Yuv420Image(width, height);
            }
            return yuv420;
        }
    }

    private final String name;
    private final Supplier<FrameSink> connect;
    private final long startDeadlineNanos;
    private final int width;
    private final int height;
    /** Whether the connections take I420 of the frame size (decided by the first one; every one is alike). */
    private final boolean takesYuv420;
    private final BlockingQueue<Item> free = new ArrayBlockingQueue<>(POOL);
    private final BlockingQueue<Item> ready = new ArrayBlockingQueue<>(POOL + 1);
    private final Item endMarker;
    private final Thread sender;
    private volatile long dropped;
    private volatile long sent;
    private volatile long reconnects;
    private boolean closed;

    /**
     * @param name the URL with credentials already hidden, for messages
     * @param connect opens a fresh connection (throws OutputException when the server is unreachable)
     * @param startTimeoutSeconds how long to keep trying before the first connection counts as failed
     */
    public StreamSink(String name, Supplier<FrameSink> connect, int width, int height, double startTimeoutSeconds) {
        this.name = name;
        this.connect = connect;
        this.startDeadlineNanos = System.nanoTime() + (long) (startTimeoutSeconds * 1e9);
        this.width = width;
        this.height = height;
        FrameSink first = connectAtStart();
        takesYuv420 = first.takesYuv420(width, height);
        for (int i = 0; i < POOL; i++) {
            free.add(new Item());
        }
        endMarker = new Item();
        sender = new Thread(() -> sendLoop(first), "stream " + name);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void writeVideo(Frame image, long timestampMicros) {
        Item item = freeVideoItem();
        if (item == null) {
            return;
        }
        Frame copy = item.bgr(width, height);
        ByteBuffer src = (ByteBuffer) image.image[0];
        ByteBuffer dst = (ByteBuffer) copy.image[0];
        for (int y = 0; y < image.imageHeight; y++) {
            dst.put(y * copy.imageStride, src, y * image.imageStride, image.imageWidth * 3);
        }
        queueVideo(item, false, timestampMicros);
    }

    @Override
    public boolean takesYuv420(int frameWidth, int frameHeight) {
        return takesYuv420 && frameWidth == width && frameHeight == height;
    }

    @Override
    public void writeYuv420(Yuv420Image image, long timestampMicros) {
        Item item = freeVideoItem();
        if (item == null) {
            return;
        }
        item.i420(width, height).copyFrom(image);
        queueVideo(item, true, timestampMicros);
    }

    /** A spare item for a video frame, or null (counted as dropped) when the network is behind. */
    private Item freeVideoItem() {
        Item item = free.poll();
        if (item == null) {
            dropped++;
        }
        return item;
    }

    private void queueVideo(Item item, boolean isYuv420, long timestampMicros) {
        item.isAudio = false;
        item.isYuv420 = isYuv420;
        item.timestampMicros = timestampMicros;
        ready.add(item);
    }

    @Override
    public void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
        Item item = free.poll();
        if (item == null) {
            return;
        }
        int n = samples.limit();
        if (item.audio.capacity() < n) {
            item.audio = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        item.audio.clear();
        item.audio.put(0, samples, 0, n);
        item.audio.limit(n);
        item.isAudio = true;
        item.sampleRate = sampleRate;
        item.channels = channels;
        ready.add(item);
    }

    public long dropped() {
        return dropped;
    }

    public long sent() {
        return sent;
    }

    public long reconnects() {
        return reconnects;
    }

    /** Connects before the run starts, so no frame is lost to the handshake; gives up after the start timeout. */
    private FrameSink connectAtStart() {
        long backoffMillis = 500;
        while (true) {
            try {
                return connect.get();
            } catch (RuntimeException e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > startDeadlineNanos) {
                    throw new OutputException("cannot reach stream server " + name + " (gave up at --stream-timeout): "
                            + e.getMessage(), e);
                }
                LOG.warn("stream {} unreachable ({}); retrying in {} ms", name, e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new OutputException("interrupted while connecting to " + name, interrupted);
                }
                backoffMillis = Math.min(5_000, backoffMillis * 2);
            }
        }
    }

    private void sendLoop(FrameSink connected) {
        FrameSink out = connected;
        long nextAttempt = 0;
        long backoffMillis = 500;
        try {
            while (true) {
                Item item = ready.take();
                if (item == endMarker) {
                    break;
                }
                try {
                    if (out == null && System.nanoTime() >= nextAttempt) {
                        try {
                            out = connect.get();
                            reconnects++;
                            LOG.info("stream {} reconnected", name);
                            backoffMillis = 500;
                        } catch (RuntimeException e) {
                            LOG.warn("stream {} unreachable ({}); retrying in {} ms", name, e.getMessage(), backoffMillis);
                            nextAttempt = System.nanoTime() + backoffMillis * 1_000_000;
                            backoffMillis = Math.min(10_000, backoffMillis * 2);
                        }
                    }
                    if (out == null) {
                        dropped += item.isAudio ? 0 : 1;
                    } else if (item.isAudio) {
                        out.writeAudio(item.audio, item.sampleRate, item.channels);
                    } else {
                        if (item.isYuv420) {
                            out.writeYuv420(item.yuv420, item.timestampMicros);
                        } else {
                            out.writeVideo(item.image, item.timestampMicros);
                        }
                        sent++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stream {} lost ({}); reconnecting", name, e.getMessage());
                    closeQuietly(out);
                    out = null;
                    nextAttempt = System.nanoTime() + backoffMillis * 1_000_000;
                } finally {
                    free.add(item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(out);
        }
    }

    private static void closeQuietly(FrameSink sink) {
        if (sink == null) {
            return;
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a broken stream: {}", e.getMessage());
        }
    }

    /** Sends what is queued, then ends the stream (waits up to 5 s for a slow server). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready.add(endMarker);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped > 0 || reconnects > 0) {
            LOG.info("stream {}: {} frames sent, {} dropped, {} reconnects", name, sent, dropped, reconnects);
        }
    }
}
