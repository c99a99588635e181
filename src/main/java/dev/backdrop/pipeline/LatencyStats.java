package dev.backdrop.pipeline;

/**
 * Capture-to-output latency of every frame: one histogram for the whole run and one for the
 * current reporting interval. Written by the output thread, read by the reporter.
 */
public final class LatencyStats {

    private final Histogram total = new Histogram();
    private final Histogram interval = new Histogram();

    public void record(long nanos) {
        total.record(nanos);
        interval.record(nanos);
    }

    /** Latency in milliseconds below which {@code fraction} of all frames so far fell. */
    public double totalPercentile(double fraction) {
        return total.percentileMillis(fraction);
    }

    public double intervalPercentile(double fraction) {
        return interval.percentileMillis(fraction);
    }

    public long totalCount() {
        return total.count();
    }

    /** Starts a new reporting interval. */
    public void resetInterval() {
        interval.reset();
    }
}
