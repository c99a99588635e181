package dev.backdrop.compose;

import dev.backdrop.capture.CaptureException;
import dev.backdrop.capture.VideoSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacv.Frame;

/**
 * A background video, looped, decoded by FFmpeg on its own thread and handed to the compose thread
 * through a mailbox of two preallocated BGR buffers (no allocation per frame; the newest frame wins).
 *
 * <p>Pacing: the compose thread says which time of the background it wants ({@link #advanceTo},
 * microseconds from the start of the background); the decoder publishes each frame once that time
 * has reached the frame's timestamp, and keeps exactly one decoded frame in hand ahead of it. With
 * {@code waitForFrames} the compose thread waits (bounded) until the published frame is the right one
 * for that time, so a file is processed the same way however fast the machine is; live, it never waits.
 */
public final class BackgroundVideo implements AutoCloseable {

    /** File extensions taken as video without trying to read them as an image first. */
    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "m4v", "mkv", "mov", "webm", "avi");
    /** The longest the compose thread waits for the decoder to catch up. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Path file;
    private final int width;
    private final int height;
    private final double frameRate;
    private volatile boolean waitForFrames;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Owned by the decoder: the frame decoded but not yet published. */
    private ByteBuffer back;
    /** The published frame; read by the compose thread under the lock. */
    private ByteBuffer ready;
    private long readyMicros = Long.MIN_VALUE;
    /** Whether {@link #ready} changed since the compose thread last took it. */
    private boolean fresh;
    /** The decoder's frame in hand (in {@link #back}), or MIN_VALUE while it decodes. */
    private long pendingMicros = Long.MIN_VALUE;
    private long targetMicros;
    private boolean rewind;
    private boolean closed;
    private volatile RuntimeException failure;

    private final Thread decoder;

    private BackgroundVideo(Path file, VideoSource first, boolean waitForFrames) {
        this.file = file;
        this.width = first.width();
        this.height = first.height();
        double rate = first.frameRate();
        this.frameRate = rate > 0 && rate < 1000 ? rate : 30;
        this.waitForFrames = waitForFrames;
        back = ByteBuffer.allocateDirect(width * height * 3);
        ready = ByteBuffer.allocateDirect(width * height * 3);
        decoder = new Thread(() -> decode(first), "background-video");
        decoder.setDaemon(true);
    }

    /**
     * Opens the video and starts its decoder thread; throws IllegalArgumentException naming the
     * file when it cannot be opened as video.
     */
    public static BackgroundVideo open(Path file, boolean waitForFrames) {
        VideoSource source = probe(file);
        BackgroundVideo video = new BackgroundVideo(file, source, waitForFrames);
        video.decoder.start();
        return video;
    }

    /** True for a file name with a video extension (mp4, m4v, mkv, mov, webm, avi). */
    public static boolean hasVideoExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Opens the file as video (and leaves it open), or throws IllegalArgumentException naming it. */
    private static VideoSource probe(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("background video " + file.toAbsolutePath() + " does not exist");
        }
        try {
            return VideoSource.open(file.toAbsolutePath().toString());
        } catch (CaptureException e) {
            throw new IllegalArgumentException("background video " + file.toAbsolutePath()
                    + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** Checks that the file opens as video, then closes it; throws IllegalArgumentException naming it. */
    public static void check(Path file) {
        probe(file).close();
    }

    /** Whether the compose thread waits for the decoder to reach the wanted time (files: yes; live: no). */
    void waitForFrames(boolean wait) {
        waitForFrames = wait;
    }

    public Path file() {
        return file;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    private void decode(VideoSource first) {
        VideoSource source = first;
        long loopOffset = 0;  // added to the file's timestamps: the length of the loops played so far
        long firstPts = Long.MIN_VALUE;
        long lastMicros = -1;
        long frameMicros = Math.round(1_000_000 / frameRate);
        try {
            while (true) {
                boolean restart;
                lock.lock();
                try {
                    restart = rewind;
                    rewind = false;
                    if (closed) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                Frame frame = restart ? null : source.grab();
                if (frame == null) { // the end (or a rewind): start over
                    source.close();
                    source = null;
                    source = VideoSource.open(file.toAbsolutePath().toString());
                    if (restart) {
                        loopOffset = 0;
                        lastMicros = -1;
                    } else {
                        if (lastMicros < 0) {
                            throw new IllegalArgumentException("background video " + file.toAbsolutePath()
                                    + " has no video frames");
                        }
                        loopOffset = lastMicros + frameMicros;
                    }
                    firstPts = Long.MIN_VALUE;
                    continue;
                }
                if (frame.image == null || frame.imageWidth != width || frame.imageHeight != height) {
                    continue; // audio, or a mid-stream size change we do not follow
                }
                if (firstPts == Long.MIN_VALUE) {
                    firstPts = frame.timestamp;
                }
                long micros = loopOffset + Math.max(0, frame.timestamp - firstPts);
                if (micros <= lastMicros) {
                    micros = lastMicros + 1; // keep the timeline increasing whatever the container says
                }
                lastMicros = micros;
                copyTight(frame, back);
                publishWhenDue(micros);
            }
        } catch (RuntimeException e) {
            failure = e instanceof IllegalArgumentException ? e : new IllegalStateException(
                    "background video " + file.toAbsolutePath() + " failed: " + e.getMessage(), e);
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } finally {
            if (source != null) {
                source.close();
            }
        }
    }

    /** Holds the frame in {@link #back} until the wanted time reaches it, then swaps it in. */
    private void publishWhenDue(long micros) {
        lock.lock();
        try {
            pendingMicros = micros;
            changed.signalAll();
            while (!closed && !rewind && targetMicros < micros) {
                changed.awaitUninterruptibly();
            }
            if (closed || rewind) {
                return;
            }
            ByteBuffer swap = ready;
            ready = back;
            back = swap;
            readyMicros = micros;
            pendingMicros = Long.MIN_VALUE;
            fresh = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void copyTight(Frame frame, ByteBuffer into) {
        ByteBuffer source = (ByteBuffer) frame.image[0];
        int rowBytes = width * 3;
        int stride = frame.imageStride; // bytes per row for 8-bit frames
        for (int y = 0; y < height; y++) {
            into.put(y * rowBytes, source, y * stride, rowBytes);
        }
    }

    /** Starts the background over from its first frame (the next wanted time should be near 0). */
    void rewind() {
        lock.lock();
        try {
            rewind = true;
            readyMicros = Long.MIN_VALUE;
            pendingMicros = Long.MIN_VALUE;
            targetMicros = 0;
            fresh = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The compose thread: wants the frame for this time, and, when a newer frame than the last one
     * taken is there, hands it to {@code upload} (tightly packed BGR, width x height, top row first)
     * while holding the mailbox. Returns whether it uploaded.
     */
    boolean advanceTo(long micros, java.util.function.Consumer<ByteBuffer> upload) {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        lock.lock();
        try {
            if (micros > targetMicros) {
                targetMicros = micros;
                changed.signalAll();
            }
            if (waitForFrames) {
                long deadline = System.nanoTime() + MAX_WAIT_NANOS;
                // Caught up when the decoder holds a frame that is due later than the wanted time.
                while (!closed && failure == null && !(pendingMicros != Long.MIN_VALUE && pendingMicros > targetMicros)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
            if (!fresh) {
                return false;
            }
            fresh = false;
            upload.accept(ready.duplicate().clear());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The timestamp of the frame last published, in microseconds of the looped timeline (tests). */
    long readyMicros() {
        lock.lock();
        try {
            return readyMicros;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            decoder.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
