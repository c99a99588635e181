package dev.backdrop.output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another sink on a thread of its own, so an output that is slow or stalls (a stream server, the
 * reader of a pipe, a virtual camera's consumer) never holds up the pipeline. Each frame is copied
 * into one of a few buffers that go round a pool; when all of them are still waiting to be sent
 * the frame is dropped and counted. Frames reach the target in the order they were written.
 *
 * <p>Each counter has one writer: the writing thread counts the drops, the sender the frames sent.
 * When the target fails, the sender stops sending and the next write (or {@code close}) throws
 * that failure on the writing thread, as the target would have thrown it there.
 */
public final class AsyncSink implements FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncSink.class);
    private static final int POOL = 4;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private enum Kind { VIDEO, YUV420, AUDIO, END }

    /** One queued write, reused round the pool; each buffer is allocated on first use and kept. */
    private static final class Item {
        Kind kind;
        Frame frame;
        Yuv420Image yuv420;
        FloatBuffer audio;
        long timestampMicros;
        int sampleRate;
        int channels;

        void copy(Frame from) {
            if (frame == null || frame.imageWidth != from.imageWidth || frame.imageHeight != from.imageHeight
                    || frame.imageChannels != from.imageChannels) {
                frame = new Frame(from.imageWidth, from.imageHeight, Frame.DEPTH_UBYTE, from.imageChannels);
            }
            ByteBuffer src = (ByteBuffer) from.image[0];
            ByteBuffer dst = (ByteBuffer) frame.image[0];
            int rowBytes = from.imageWidth * from.imageChannels;
            for (int y = 0; y < from.imageHeight; y++) {
                dst.put(y * frame.imageStride, src, y * from.imageStride, rowBytes);
            }
        }

        void copy(Yuv420Image from) {
            if (yuv420 == null || yuv420.width != from.width || yuv420.height != from.height) {
                yuv420 = new Yuv420Image(from.width, from.height);
            }
            yuv420.copyFrom(from);
        }

        void copy(FloatBuffer samples) {
            int n = samples.limit();
            if (audio == null || audio.capacity() < n) {
                audio = ByteBuffer.allocateDirect(Math.max(n, 8192) * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
            }
            audio.clear();
            audio.put(0, samples, 0, n);
            audio.limit(n);
        }

        void sendTo(FrameSink target) {
            switch (kind) {
                case VIDEO -> target.writeVideo(frame, timestampMicros);
                case YUV420 -> target.writeYuv420(yuv420, timestampMicros);
                case AUDIO -> target.writeAudio(audio, sampleRate, channels);
                case END -> throw new IllegalStateException("the end marker is not sent");
            }
        }
    }

    private final String name;
    private final FrameSink target;
    private final int width;
    private final int height;
    /** Whether the target takes I420 of the frame size: asked once, before the sender uses the target. */
    private final boolean takesYuv420;
    private final BlockingQueue<Item> free = new ArrayBlockingQueue<>(POOL);
    /** Room for the whole pool and the end marker, so adding never waits. */
    private final BlockingQueue<Item> ready = new ArrayBlockingQueue<>(POOL + 1);
    private final Thread sender;
    /** Written by the writing thread only. */
    private volatile long dropped;
    /** Written by the sender only. */
    private volatile long sent;
    /** The target's first failure, set by the sender. */
    private volatile RuntimeException failure;
    private volatile boolean closed;

    /**
     * Takes over {@code target}: from now on only the sender thread writes to and closes it.
     *
     * @param name the output, for messages and the thread's name
     * @param width the frame size, for {@link #takesYuv420}
     * @param height the frame size
     */
    public AsyncSink(String name, FrameSink target, int width, int height) {
        this.name = name;
        this.target = target;
        this.width = width;
        this.height = height;
        this.takesYuv420 = target.takesYuv420(width, height);
        for (int i = 0; i < POOL; i++) {
            free.add(new Item());
        }
        sender = new Thread(this::sendLoop, "output " + name);
        sender.setDaemon(true);
        sender.start();
    }

    /** Copies the frame (any layout: the target is given the same channels) and queues it. */
    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        Item item = spareForFrame();
        if (item != null) {
            item.copy(frame);
            queue(item, Kind.VIDEO, timestampMicros);
        }
    }

    @Override
    public boolean takesYuv420(int frameWidth, int frameHeight) {
        return takesYuv420 && frameWidth == width && frameHeight == height;
    }

    @Override
    public void writeYuv420(Yuv420Image image, long timestampMicros) {
        Item item = spareForFrame();
        if (item != null) {
            item.copy(image);
            queue(item, Kind.YUV420, timestampMicros);
        }
    }

    /** Queued like a frame; dropped without counting when the pool is empty (the count is of frames). */
    @Override
    public void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
        throwIfFailed();
        Item item = closed ? null : free.poll();
        if (item != null) {
            item.copy(samples);
            item.sampleRate = sampleRate;
            item.channels = channels;
            queue(item, Kind.AUDIO, 0);
        }
    }

    /** Frames dropped because the target was still busy with the earlier ones. */
    public long dropped() {
        return dropped;
    }

    /** Frames the target has taken. */
    public long sent() {
        return sent;
    }

    /** A spare item for a frame, or null (the frame counted as dropped) when the target is behind. */
    private Item spareForFrame() {
        throwIfFailed();
        if (closed) {
            return null;
        }
        Item item = free.poll();
        if (item == null) {
            dropped++;
        }
        return item;
    }

    private void queue(Item item, Kind kind, long timestampMicros) {
        item.kind = kind;
        item.timestampMicros = timestampMicros;
        ready.add(item);
    }

    private void throwIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void sendLoop() {
        try {
            for (Item item = ready.take(); item.kind != Kind.END; item = ready.take()) {
                try {
                    if (failure == null) {
                        item.sendTo(target);
                        sent += item.kind == Kind.AUDIO ? 0 : 1;
                    }
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    free.add(item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                target.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Sends what is queued, closes the target, and throws its failure if it had one. Waits up to
     * {@value #CLOSE_WAIT_SECONDS} s for a slow target, then leaves it to finish on its own thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Item end = new Item();
        end.kind = Kind.END;
        ready.add(end);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped > 0) {
            LOG.info("{}: {} frames sent, {} dropped while it was behind", name, sent, dropped);
        }
        throwIfFailed();
    }
}
