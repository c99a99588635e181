package dev.backdrop.pipeline;

import java.util.Arrays;

/**
 * Durations in 0.1 ms buckets up to 2 s (the last bucket also holds anything longer): mean and
 * percentiles without keeping samples or allocating per record. Written by one thread; a reader
 * on another thread may see a record half-counted, which only blurs that one report.
 */
public final class Histogram {

    private static final int BUCKETS = 20_000;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long totalNanos;

    public void record(long nanos) {
        counts[(int) Math.min(BUCKETS - 1, Math.max(0, nanos / 100_000))]++;
        count++;
        totalNanos += nanos;
    }

    public long count() {
        return count;
    }

    public double meanMillis() {
        return count == 0 ? 0 : totalNanos / 1e6 / count;
    }

    /** The duration in milliseconds that {@code fraction} of the records did not exceed (bucket upper edge). */
    public double percentileMillis(double fraction) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (i + 1) / 10.0;
            }
        }
        return BUCKETS / 10.0;
    }

    public void reset() {
        Arrays.fill(counts, 0);
        count = 0;
        totalNanos = 0;
    }
}
