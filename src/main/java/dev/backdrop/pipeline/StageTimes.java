package dev.backdrop.pipeline;

/** Time spent in each stage, summed over a run; each stage writes only its own entry. */
public final class StageTimes {

    /** Accumulated nanoseconds and count for one stage; written by one thread. */
    public static final class Entry {
        private volatile long totalNanos;
        private volatile long count;

        public void add(long nanos) {
            totalNanos += nanos;
            count++;
        }

        public double meanMillis() {
            long n = count;
            return n == 0 ? 0 : totalNanos / 1e6 / n;
        }

        public long count() {
            return count;
        }
    }

    public final Entry decode = new Entry();
    public final Entry inference = new Entry();
    public final Entry compose = new Entry();
    public final Entry readback = new Entry();
    public final Entry encode = new Entry();

    @Override
    public String toString() {
        return String.format("decode %.2f ms, inference %.2f ms, compose %.2f ms, readback %.2f ms, encode %.2f ms per frame",
                decode.meanMillis(), inference.meanMillis(), compose.meanMillis(), readback.meanMillis(), encode.meanMillis());
    }
}
