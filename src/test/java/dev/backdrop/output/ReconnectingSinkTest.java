package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/** Giving up at start, reconnecting mid-stream, and the one backoff both use. */
class ReconnectingSinkTest {

    /** A connection that breaks on its {@code breakAt}-th frame (counting from 1), or never for 0. */
    private static final class Connection implements FrameSink {
        final int breakAt;
        final List<Long> frames = new ArrayList<>();
        boolean closed;

        Connection(int breakAt) {
            this.breakAt = breakAt;
        }

        @Override
        public void writeVideo(Frame frame, long timestampMicros) {
            if (frames.size() + 1 == breakAt) {
                throw new OutputException("connection reset", null);
            }
            frames.add(timestampMicros);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void backoffDoublesUpToOneCapAndStartsAgainAfterASuccess() {
        Backoff backoff = new Backoff();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(backoff.nextMillis());
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 5000L, 5000L), waits);
        backoff.reset();
        assertEquals(500, backoff.nextMillis());
    }

    @Test
    void anUnreachableServerIsGivenUpAtTheStartTimeout() {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        OutputException e = assertThrows(OutputException.class, () -> new ReconnectingSink("rtmp://***@host/app/***",
                () -> {
                    attempts.incrementAndGet();
                    throw new OutputException("Connection refused", null);
                }, 1));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("cannot reach stream server rtmp://***@host/app/***")
                && e.getMessage().contains("--stream-timeout") && e.getMessage().contains("Connection refused"),
                e.getMessage());
        // tries at 0 and 0.5 s; the next wait (1 s) would pass the timeout
        assertEquals(2, attempts.get());
        assertTrue(seconds < 1, "gave up after " + seconds + " s");
    }

    @Test
    void aBrokenConnectionIsMadeAgainAfterTheBackoff() throws Exception {
        List<Connection> made = new ArrayList<>();
        ReconnectingSink sink = new ReconnectingSink("test", () -> {
            Connection c = new Connection(made.isEmpty() ? 3 : 0);
            made.add(c);
            return c;
        }, 5);
        Frame frame = new Frame(4, 2, Frame.DEPTH_UBYTE, 3);
        for (long t = 1; t <= 4; t++) {
            sink.writeVideo(frame, t); // the third breaks the connection; the fourth comes before the retry
        }
        assertEquals(1, made.size());
        assertTrue(made.get(0).closed);
        Thread.sleep(Backoff.FIRST_MILLIS + 100);
        sink.writeVideo(frame, 5);
        sink.close();
        assertEquals(2, made.size());
        assertEquals(List.of(1L, 2L), made.get(0).frames);
        assertEquals(List.of(5L), made.get(1).frames);
        assertEquals(1, sink.reconnects());
        assertEquals(2, sink.lost());
        assertTrue(made.get(1).closed);
    }
}
