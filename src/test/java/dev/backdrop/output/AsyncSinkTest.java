package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/** The sink's own thread: copies, order, drops when the target is behind, failures handed back, counters. */
class AsyncSinkTest {

    /** Records the first byte and timestamp of each frame it is given; the first write waits for {@code go}. */
    private static final class Recorder implements FrameSink {
        final List<long[]> frames = new ArrayList<>();
        final CountDownLatch go;
        boolean closed;

        Recorder(CountDownLatch go) {
            this.go = go;
        }

        @Override
        public void writeVideo(Frame frame, long timestampMicros) {
            try {
                go.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            frames.add(new long[] {((ByteBuffer) frame.image[0]).get(0), timestampMicros, frame.imageChannels});
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A sink whose every frame runs {@code onWrite}, taking I420 at any size or none. */
    private static FrameSink stub(Runnable onWrite, boolean takesYuv420) {
        return new FrameSink() {
            @Override
            public void writeVideo(Frame frame, long timestampMicros) {
                onWrite.run();
            }

            @Override
            public boolean takesYuv420(int width, int height) {
                return takesYuv420;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Frame frame(int channels, int value) {
        Frame f = new Frame(4, 2, Frame.DEPTH_UBYTE, channels);
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int i = 0; i < f.imageStride * f.imageHeight; i++) {
            b.put(i, (byte) value);
        }
        return f;
    }

    @Test
    void framesAreCopiedSentInOrderAndDroppedWhileTheTargetIsBehind() {
        CountDownLatch go = new CountDownLatch(1);
        Recorder target = new Recorder(go);
        AsyncSink sink = new AsyncSink("test", target, 4, 2);
        Frame reused = frame(3, 0);
        for (int i = 1; i <= 6; i++) {
            ByteBuffer b = (ByteBuffer) reused.image[0];
            b.put(0, (byte) i); // the writer reuses its frame: the sink must have copied the earlier ones
            sink.writeVideo(reused, i * 1000L);
        }
        // the target is stuck on the first frame: the pool's four buffers hold frames 1-4, 5 and 6 are dropped
        assertEquals(2, sink.dropped());
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.sent() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        sink.writeVideo(frame(4, 7), 7000); // RGBA passes through as RGBA
        sink.close();
        assertTrue(target.closed);
        assertEquals(5, sink.sent());
        assertEquals(2, sink.dropped());
        List<String> got = target.frames.stream().map(f -> f[0] + "@" + f[1] + "x" + f[2]).toList();
        assertEquals(List.of("1@1000x3", "2@2000x3", "3@3000x3", "4@4000x3", "7@7000x4"), got);
    }

    @Test
    void theTargetsFailureIsThrownOnTheWritingThread() {
        OutputException broken = new OutputException("cannot write standard output: broken pipe", null);
        AsyncSink sink = new AsyncSink("test", stub(() -> {
            throw broken;
        }, false), 4, 2);
        Frame f = frame(3, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        OutputException thrown = null;
        while (thrown == null && System.nanoTime() < deadline) {
            try {
                sink.writeVideo(f, 0);
                Thread.sleep(1);
            } catch (OutputException e) {
                thrown = e;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertSame(broken, thrown);
        assertSame(broken, assertThrows(OutputException.class, sink::close));
        assertEquals(0, sink.sent());
    }

    @Test
    void takesYuv420AsTheTargetDoesAtTheFrameSize() {
        AsyncSink sink = new AsyncSink("test", stub(() -> { }, true), 64, 48);
        assertTrue(sink.takesYuv420(64, 48));
        assertFalse(sink.takesYuv420(32, 24));
        sink.close();
        AsyncSink bgr = new AsyncSink("test", new Recorder(new CountDownLatch(0)), 64, 48);
        assertFalse(bgr.takesYuv420(64, 48));
        bgr.close();
    }

    /**
     * The writing thread drops frames while the sender, behind a connection that went away,
     * discards them: both at full speed at once. Every frame must be counted exactly once, which
     * a counter incremented from both threads would not manage (its increments get lost).
     */
    @Test
    void everyFrameIsCountedOnceWhenBothThreadsDropAtOnce() {
        int[] connections = {0};
        ReconnectingSink stream = new ReconnectingSink("test", () -> {
            if (connections[0]++ > 0) {
                throw new OutputException("server away", null);
            }
            return stub(() -> {
                throw new OutputException("connection reset", null);
            }, false);
        }, 5);
        AsyncSink sink = new AsyncSink("test", stream, 4, 2);
        Frame f = frame(3, 1);
        int written = 300_000;
        for (int i = 0; i < written; i++) {
            sink.writeVideo(f, i);
        }
        sink.close();
        System.out.println("dropped behind " + sink.dropped() + ", lost while away " + stream.lost()
                + ", handed over " + sink.sent());
        assertTrue(sink.dropped() > 0 && stream.lost() > 0, "both threads dropped frames");
        assertEquals(written, sink.dropped() + sink.sent(), "each frame dropped on writing or handed to the stream");
        assertEquals(sink.sent(), stream.lost(), "each frame handed over was lost: the server never came back");
    }
}
