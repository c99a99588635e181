package dev.backdrop.capture;

import dev.backdrop.pipeline.DropPolicy;
import dev.backdrop.pipeline.FrameRing;
import dev.backdrop.pipeline.FrameSlot;
import dev.backdrop.pipeline.PipelineStatus;
import dev.backdrop.pipeline.StageTimes;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.javacv.Frame;

/**
 * The capture thread: decodes the input and publishes each frame into the next ring slot, in
 * order, then one END slot. For files it waits for a free slot, so no frame is ever dropped.
 * Live, it never waits: with every slot in use the new frame is dropped (and counted), and an
 * input that is not a camera can be paced to its own timestamps, as if it were one.
 *
 * <p>With an {@link InputRecovery} (live cameras and streams), an input that fails or ends does not
 * end the run: its last picture is published again at the frame rate, as ordinary frames with
 * timestamps running on, while the recovery reopens it on another thread; the reopened input's
 * timestamps are shifted to carry on from there.
 */
public final class CaptureLoop implements Runnable {

    private final VideoSource first;
    /** The input read now: {@link #first}, or the one reopened after it was lost. */
    private VideoSource source;
    private final FrameRing ring;
    private final PipelineStatus status;
    private final StageTimes times;
    private final DropPolicy policy;
    private final boolean paceToTimestamps;
    /** Null: the input's end or failure ends the run. */
    private final InputRecovery recovery;
    /** Every slot, mask and texture is sized for the first frame. */
    private final int width;
    private final int height;
    /** The ring's layout, which the source decodes into. */
    private final PixelLayout layout;
    private final long frameMicros;
    private long firstTimestamp = Long.MIN_VALUE;
    private long firstNanos;
    private long videoIndex;
    /** The last video timestamp published, and what is added to the source's to make it. */
    private long lastTimestamp = Long.MIN_VALUE;
    private long timestampOffset;
    /** The source was just reopened: its first frame's timestamp is shifted to follow the last one published. */
    private boolean rebase;
    /** How many more frames that come out without waiting are skipped (see {@link #next}); 0: none. */
    private long backlog;
    /** The last picture the source gave, in the source's own buffer (valid until it is closed); null when none. */
    private ByteBuffer lastPixels;
    private int lastStride;
    /** The picture shown while the input is lost, in the ring's stride; allocated at the first loss, then reused. */
    private ByteBuffer lostPicture;
    /** The input's sound, once it has given some: what the silence during an outage is made of. */
    private int audioRate;
    private int audioChannels;

    /** For files: every frame, as fast as the stages go. */
    public CaptureLoop(VideoSource source, FrameRing ring, PipelineStatus status, StageTimes times) {
        this(source, ring, status, times, DropPolicy.KEEP_ALL, false, null);
    }

    /** recovery: reopens a live input that fails or ends; null to end the run there (files). */
    public CaptureLoop(VideoSource source, FrameRing ring, PipelineStatus status, StageTimes times,
                       DropPolicy policy, boolean paceToTimestamps, InputRecovery recovery) {
        this.first = source;
        this.source = source;
        this.ring = ring;
        this.status = status;
        this.times = times;
        this.policy = policy;
        this.paceToTimestamps = paceToTimestamps;
        this.recovery = recovery;
        this.width = source.width();
        this.height = source.height();
        this.layout = source.layout();
        double fps = source.frameRate();
        // a stream that announces no usable rate still gets filler frames at a camera's usual one
        this.frameMicros = Math.round(1e6 / (fps > 0 && fps <= 240 ? fps : 30));
        this.backlog = recovery != null ? maxBacklog() : 0;
    }

    /** Frames skipped at most as a live input's backlog: the safety net for a source that never makes us wait. */
    private long maxBacklog() {
        return 5_000_000 / frameMicros;
    }

    @Override
    public void run() {
        try {
            while (!status.isStopping()) {
                Frame frame = next();
                if (frame == null) {
                    break;
                }
                if (frame.image != null) {
                    if (paceToTimestamps) {
                        waitUntilDue(frame.timestamp);
                    }
                    publishVideo(frame);
                } else if (frame.samples != null) {
                    publishAudio(frame);
                }
            }
        } catch (CaptureException e) {
            status.inputFailed(e); // the frames read before are good: they are still finished and written
        } catch (RuntimeException | Error e) {
            status.fail(e);
        } finally {
            if (source != first) {
                source.close(); // a reopened input is ours; the first is its opener's
            }
            publishEnd();
        }
    }

    /**
     * The next frame from the input; null at its end, or when the run stops while the input is lost.
     * A live input that fails or ends is waited for (see {@link #fillUntilBack}), then read from again.
     */
    private Frame next() {
        while (true) {
            String lost;
            try {
                long start = System.nanoTime();
                Frame frame = source.grab();
                long took = System.nanoTime() - start;
                if (frame != null && frame.image != null) {
                    times.decode.add(took);
                }
                if (frame != null && backlog > 0) {
                    // A live input just opened hands over at once what it buffered (a stream: what FFmpeg read
                    // while probing it, and while the stages warmed up at the start; a camera: its driver's
                    // queue), seconds behind. Live stages would skip most of it anyway, leaving a hole that long
                    // in the outputs' timestamps; skipped here, the picture starts at the first frame waited for.
                    if (took < frameMicros * 250) { // under a quarter of a frame's time
                        backlog--;
                        continue;
                    }
                    backlog = frame.image != null ? 0 : backlog;
                }
                if (frame != null || recovery == null) {
                    return frame;
                }
                lost = source.input() + " stopped sending video";
            } catch (CaptureException e) {
                if (recovery == null) {
                    throw e;
                }
                lost = e.getMessage();
            }
            if (!fillUntilBack(lost)) {
                return null;
            }
        }
    }

    /**
     * The input is lost: publishes its last picture at the frame rate while the recovery reopens it,
     * until it is back (true) or the run stops (false); throws CaptureException once it has been gone
     * for the recovery's timeout.
     */
    private boolean fillUntilBack(String reason) {
        keepLastPicture();
        source.close(); // now: a camera or a UDP port can be opened again only once it is let go
        long filled = 0;
        try (InputRecovery.Outage outage = recovery.lost(source.input(), reason)) {
            long due = System.nanoTime();
            while (!status.isStopping()) {
                VideoSource back = outage.reopened();
                if (back != null) {
                    requireFirstSize(back);
                    source = back;
                    rebase = true;
                    backlog = maxBacklog();
                    outage.back(filled);
                    return true;
                }
                outage.checkTimeout(System.nanoTime());
                due += frameMicros * 1000;
                for (long wait = due - System.nanoTime(); wait > 0 && !status.isStopping(); wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                due = Math.max(due, System.nanoTime() - frameMicros * 1000); // behind: no burst to catch up
                publish(lostPicture, layout.stride(width), lastTimestamp + frameMicros);
                publishSilence(filled);
                filled++;
            }
            return false;
        }
    }

    /**
     * Copies the input's last picture to show while it is lost (black if it gave none). Copied once, at
     * the loss, not on every frame: the source's frame buffer keeps the picture until the source is
     * closed (a failed read writes nothing into it), so a run whose input never fails copies nothing.
     */
    private void keepLastPicture() {
        if (lostPicture == null) {
            lostPicture = ByteBuffer.allocateDirect(layout.frameBytes(width, height));
            if (layout == PixelLayout.I420) {
                // black in limited range: Y 16, no colour (zeroed memory would be below black and green)
                fill(lostPicture, 0, width * height, (byte) 16);
                fill(lostPicture, width * height, lostPicture.capacity(), (byte) 128);
            }
        }
        if (lastPixels != null) {
            copyFrame(lastPixels, lastStride, lostPicture, layout.stride(width));
            lastPixels = null; // it goes with the source; lost again before a new frame, the kept one shows
        }
    }

    private void requireFirstSize(VideoSource back) {
        if (back.width() != width || back.height() != height) {
            back.close();
            // every slot, mask and texture is sized for the first frame: scaling would hide a changed camera mode
            throw new CaptureException("input " + back.input() + " came back at " + back.width() + "x"
                    + back.height() + ", not the " + width + "x" + height + " it started at; Backdrop keeps one size"
                    + " for a run: set the camera or sender to " + width + "x" + height + " again, or start again");
        }
    }

    private void publishVideo(Frame frame) {
        if (frame.imageChannels != layout.channels) {
            throw new IllegalArgumentException("the ring takes " + layout + " frames: open the source with that layout");
        }
        if (frame.imageWidth != width || frame.imageHeight != height) {
            // every slot, mask and texture is sized for the first frame
            throw new CaptureException("the video in " + source.input() + " changes size mid-stream (" + width
                    + "x" + height + " to " + frame.imageWidth + "x" + frame.imageHeight
                    + "); Backdrop needs one size throughout: re-encode it with a fixed size first");
        }
        lastPixels = (ByteBuffer) frame.image[0];
        lastPixels.limit(lastPixels.capacity()); // JavaCV limits an I420 buffer to its Y plane
        lastStride = frame.imageStride;
        publish(lastPixels, lastStride, timestamp(frame.timestamp));
    }

    /**
     * The timestamp to publish for a source's: its own, plus an offset set when the input was reopened (a
     * restarted stream counts from 0 again, a camera from its own clock) so that it follows the last one
     * published, as it does when a live source's clock goes backwards: the outputs' must only increase.
     */
    private long timestamp(long sourceMicros) {
        long t = sourceMicros + timestampOffset;
        if (recovery != null && lastTimestamp != Long.MIN_VALUE && (rebase || t <= lastTimestamp)) {
            timestampOffset = lastTimestamp + frameMicros - sourceMicros;
            t = lastTimestamp + frameMicros;
        }
        rebase = false;
        return t;
    }

    /** Publishes one picture of the ring's layout and size, rows {@code stride} bytes apart. */
    private void publish(ByteBuffer pixels, int stride, long timestampMicros) {
        lastTimestamp = timestampMicros; // also when dropped: the next frame still comes after it
        long index = videoIndex++;
        long seq = claim();
        if (seq < 0) {
            status.frameDropped(); // every slot still in use: the stages are far behind
            return;
        }
        try {
            FrameSlot slot = ring.get(seq);
            slot.kind = FrameSlot.Kind.VIDEO;
            slot.index = index;
            slot.timestampMicros = timestampMicros;
            slot.composited = false;
            slot.dropped = false;
            copyFrame(pixels, stride, slot.pixels(), slot.stride());
            slot.capturedNanos = System.nanoTime();
        } finally {
            ring.publish(seq);
        }
    }

    /** The next slot; live, -1 instead of waiting when there is none free. */
    private long claim() {
        return policy == DropPolicy.KEEP_ALL ? ring.next() : ring.tryNext();
    }

    /** Sleeps until a frame's timestamp, measured from the first frame, has come on the wall clock. */
    private void waitUntilDue(long timestampMicros) {
        if (firstTimestamp == Long.MIN_VALUE) {
            firstTimestamp = timestampMicros;
            firstNanos = System.nanoTime();
            return;
        }
        long due = firstNanos + (timestampMicros - firstTimestamp) * 1000;
        for (long wait = due - System.nanoTime(); wait > 0 && !status.isStopping(); wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    private void publishAudio(Frame frame) {
        audioChannels = frame.audioChannels;
        audioRate = frame.sampleRate;
        publishAudio(frame.timestamp + timestampOffset, frame.audioChannels, frame.sampleRate, frame.samples, 0);
    }

    /** One audio slot: these samples, or (samples null) this many samples per channel of silence. */
    private void publishAudio(long timestampMicros, int channels, int sampleRate, Buffer[] samples, int silence) {
        long seq = claim();
        if (seq < 0) {
            return; // live and far behind: a lost audio packet is a click, a blocked camera is worse
        }
        try {
            FrameSlot slot = ring.get(seq);
            slot.kind = FrameSlot.Kind.AUDIO;
            slot.timestampMicros = timestampMicros;
            slot.audioChannels = channels;
            slot.audioSampleRate = sampleRate;
            if (samples != null) {
                copyInterleaved(samples, channels, slot);
            } else {
                silence(silence * channels, slot);
            }
            slot.capturedNanos = System.nanoTime();
        } finally {
            ring.publish(seq);
        }
    }

    /**
     * While the input is lost, a filler frame's length of silence, when the input had sound: the
     * recording takes audio as a sequence of samples, so without it the sound after the return would
     * run ahead of the picture by the outage's length.
     */
    private void publishSilence(long fillerIndex) {
        if (audioRate <= 0 || audioChannels <= 0) {
            return;
        }
        // whole samples per frame, carried so that the sum stays exact over any number of frames
        long samples = Math.round((fillerIndex + 1) * frameMicros * audioRate / 1e6)
                - Math.round(fillerIndex * frameMicros * audioRate / 1e6);
        publishAudio(lastTimestamp, audioChannels, audioRate, null, (int) samples);
    }

    private void publishEnd() {
        long seq = ring.next();
        ring.get(seq).kind = FrameSlot.Kind.END;
        ring.publish(seq);
    }

    /**
     * One picture of the ring's layout and size into another buffer: its rows (and in I420, the U
     * and V planes' rows, half as long, after the Y plane's), from rows srcStride apart to dstStride.
     */
    private void copyFrame(ByteBuffer src, int srcStride, ByteBuffer dst, int dstStride) {
        copyRows(src, 0, srcStride, dst, 0, dstStride, width * layout.channels, height);
        if (layout == PixelLayout.I420) {
            int fromPlane = srcStride / 2 * (height / 2);
            int toPlane = dstStride / 2 * (height / 2);
            for (int plane = 0; plane < 2; plane++) {
                copyRows(src, srcStride * height + plane * fromPlane, srcStride / 2,
                        dst, dstStride * height + plane * toPlane, dstStride / 2, width / 2, height / 2);
            }
        }
    }

    private static void fill(ByteBuffer buffer, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            buffer.put(i, value);
        }
    }

    /** Copies {@code rows} rows of {@code rowBytes} between buffers whose row strides differ. */
    static void copyRows(ByteBuffer src, int srcStride, ByteBuffer dst, int dstStride, int rowBytes, int rows) {
        copyRows(src, 0, srcStride, dst, 0, dstStride, rowBytes, rows);
    }

    private static void copyRows(ByteBuffer src, int srcAt, int srcStride, ByteBuffer dst, int dstAt, int dstStride,
                                 int rowBytes, int rows) {
        for (int y = 0; y < rows; y++) {
            dst.put(dstAt + y * dstStride, src, srcAt + y * srcStride, rowBytes);
        }
    }

    private static void silence(int total, FrameSlot slot) {
        if (slot.audio.capacity() < total) {
            slot.audio = ByteBuffer.allocateDirect(total * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        slot.audio.clear(); // absolute puts stop at the limit the last packet left
        for (int i = 0; i < total; i++) {
            slot.audio.put(i, 0f);
        }
        slot.audio.limit(total);
    }

    /** Audio arrives packed (one buffer) or planar (one per channel); the slot keeps it packed. */
    private static void copyInterleaved(Buffer[] samples, int channels, FrameSlot slot) {
        FloatBuffer first = (FloatBuffer) samples[0];
        int perPlane = first.limit() - first.position();
        int total = samples.length == 1 ? perPlane : perPlane * samples.length;
        if (slot.audio.capacity() < total) {
            slot.audio = ByteBuffer.allocateDirect(total * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        slot.audio.clear();
        if (samples.length == 1) {
            slot.audio.put(0, first, first.position(), total);
        } else {
            for (int c = 0; c < samples.length; c++) {
                FloatBuffer plane = (FloatBuffer) samples[c];
                for (int i = 0; i < perPlane; i++) {
                    slot.audio.put(i * samples.length + c, plane.get(plane.position() + i));
                }
            }
        }
        slot.audio.limit(total);
    }
}
