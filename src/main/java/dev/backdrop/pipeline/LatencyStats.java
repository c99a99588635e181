package dev.backdrop.pipeline;

/**
 * Capture-to-output latency of every frame, in 0.1 ms buckets up to 2 s: percentiles without
 * storing samples or allocating per frame. One histogram for the whole run and one for the
 * current reporting interval. Written by the output thread; read by the reporter (a rare race
 * only blurs one report).
 */
public final class LatencyStats {

    private static final int BUCKETS = 20_000; // 0.1 ms each: 0 .. 2 s, the last also holds anything longer

    private final long[] total = new long[BUCKETS];
    private final long[] interval = new long[BUCKETS];
    private long totalCount;
    private long intervalCount;

    public void record(long nanos) {
        int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, nanos / 100_000));
        total[bucket]++;
        interval[bucket]++;
        totalCount++;
        intervalCount++;
    }

    /** Latency in milliseconds below which {@code fraction} of all frames so far fell. */
    public double totalPercentile(double fraction) {
        return percentile(total, totalCount, fraction);
    }

    public double intervalPercentile(double fraction) {
        return percentile(interval, intervalCount, fraction);
    }

    public long totalCount() {
        return totalCount;
    }

    public long intervalCount() {
        return intervalCount;
    }

    /** Starts a new reporting interval. */
    public void resetInterval() {
        java.util.Arrays.fill(interval, 0);
        intervalCount = 0;
    }

    private static double percentile(long[] histogram, long count, double fraction) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(fraction * count);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                return (i + 1) / 10.0; // upper edge of the bucket: never under-reports
            }
        }
        return histogram.length / 10.0;
    }
}
