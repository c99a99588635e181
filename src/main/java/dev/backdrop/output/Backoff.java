package dev.backdrop.output;

/**
 * How long to wait before the next attempt to reach a server, or to reopen a lost input: half a
 * second, doubling after each failure up to {@value #CAP_MILLIS} ms, and back to the start after a
 * success. One policy for the first connection and for reconnecting: a stream back within 5 s of its
 * server is worth more than the handshakes the shorter waits cost.
 */
public final class Backoff {

    static final long FIRST_MILLIS = 500;
    static final long CAP_MILLIS = 5_000;

    private long nextMillis = FIRST_MILLIS;

    /** The wait before the next attempt; each call doubles the one after it, up to the cap. */
    public long nextMillis() {
        long wait = nextMillis;
        nextMillis = Math.min(CAP_MILLIS, wait * 2);
        return wait;
    }

    /** An attempt succeeded: the next failure waits the shortest time again. */
    public void reset() {
        nextMillis = FIRST_MILLIS;
    }
}
