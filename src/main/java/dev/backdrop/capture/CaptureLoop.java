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
 */
public final class CaptureLoop implements Runnable {

    private final VideoSource source;
    private final FrameRing ring;
    private final PipelineStatus status;
    private final StageTimes times;
    private final DropPolicy policy;
    private final boolean paceToTimestamps;
    private long firstTimestamp = Long.MIN_VALUE;
    private long firstNanos;

    /** For files: every frame, as fast as the stages go. */
    public CaptureLoop(VideoSource source, FrameRing ring, PipelineStatus status, StageTimes times) {
        this(source, ring, status, times, DropPolicy.KEEP_ALL, false);
    }

    public CaptureLoop(VideoSource source, FrameRing ring, PipelineStatus status, StageTimes times,
                       DropPolicy policy, boolean paceToTimestamps) {
        this.source = source;
        this.ring = ring;
        this.status = status;
        this.times = times;
        this.policy = policy;
        this.paceToTimestamps = paceToTimestamps;
    }

    @Override
    public void run() {
        long videoIndex = 0;
        try {
            while (!status.isStopping()) {
                long start = System.nanoTime();
                Frame frame = source.grab();
                if (frame == null) {
                    break;
                }
                if (frame.image != null) {
                    times.decode.add(System.nanoTime() - start);
                    if (paceToTimestamps) {
                        waitUntilDue(frame.timestamp);
                    }
                    publishVideo(frame, videoIndex++);
                } else if (frame.samples != null) {
                    publishAudio(frame);
                }
            }
        } catch (CaptureException e) {
            status.inputFailed(e); // the frames read before are good: they are still finished and written
        } catch (RuntimeException | Error e) {
            status.fail(e);
        } finally {
            publishEnd();
        }
    }

    private void publishVideo(Frame frame, long index) {
        if (frame.imageChannels != FrameSlot.LAYOUT.channels) {
            throw new IllegalArgumentException("the ring takes " + FrameSlot.LAYOUT + " frames: open the source with that layout");
        }
        if (frame.imageWidth != source.width() || frame.imageHeight != source.height()) {
            // every slot, mask and texture is sized for the first frame
            throw new CaptureException("the video in " + source.input() + " changes size mid-stream (" + source.width()
                    + "x" + source.height() + " to " + frame.imageWidth + "x" + frame.imageHeight
                    + "); Backdrop needs one size throughout: re-encode it with a fixed size first");
        }
        long seq = claim();
        if (seq < 0) {
            status.frameDropped(); // every slot still in use: the stages are far behind
            return;
        }
        try {
            FrameSlot slot = ring.get(seq);
            slot.kind = FrameSlot.Kind.VIDEO;
            slot.index = index;
            slot.timestampMicros = frame.timestamp;
            slot.composited = false;
            slot.dropped = false;
            copyRows((ByteBuffer) frame.image[0], frame.imageStride, slot.pixels(), slot.stride(),
                    frame.imageWidth * frame.imageChannels, frame.imageHeight);
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
        long seq = claim();
        if (seq < 0) {
            return; // live and far behind: a lost audio packet is a click, a blocked camera is worse
        }
        try {
            FrameSlot slot = ring.get(seq);
            slot.kind = FrameSlot.Kind.AUDIO;
            slot.timestampMicros = frame.timestamp;
            slot.audioChannels = frame.audioChannels;
            slot.audioSampleRate = frame.sampleRate;
            copyInterleaved(frame.samples, frame.audioChannels, slot);
            slot.capturedNanos = System.nanoTime();
        } finally {
            ring.publish(seq);
        }
    }

    private void publishEnd() {
        long seq = ring.next();
        ring.get(seq).kind = FrameSlot.Kind.END;
        ring.publish(seq);
    }

    /** Copies {@code rows} rows of {@code rowBytes} between buffers whose row strides differ. */
    static void copyRows(ByteBuffer src, int srcStride, ByteBuffer dst, int dstStride, int rowBytes, int rows) {
        for (int y = 0; y < rows; y++) {
            dst.put(y * dstStride, src, y * srcStride, rowBytes);
        }
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
