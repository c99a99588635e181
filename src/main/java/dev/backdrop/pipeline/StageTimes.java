package dev.backdrop.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Time spent in each stage over a run: a histogram of wall time per frame, and the thread that
 * ran the stage, so a benchmark can read the stage's CPU time too. Each stage writes only its own entry.
 */
public final class StageTimes {

    /** One stage: per-frame durations and its thread. */
    public static final class Entry {
        private final Histogram histogram = new Histogram();
        private volatile Thread thread;
        private volatile long cpuNanosAtEnd = -1;

        public void add(long nanos) {
            if (thread == null) {
                thread = Thread.currentThread();
            }
            histogram.record(nanos);
        }

        public double meanMillis() {
            return histogram.meanMillis();
        }

        public double percentileMillis(double fraction) {
            return histogram.percentileMillis(fraction);
        }

        public long count() {
            return histogram.count();
        }

        /** CPU time of the stage's thread at the end of the run, in nanoseconds; -1 when unknown. */
        public long cpuNanos() {
            return cpuNanosAtEnd;
        }

        void snapshotCpu() {
            Thread t = thread;
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (t != null && mx.isThreadCpuTimeSupported()) {
                cpuNanosAtEnd = mx.getThreadCpuTime(t.getId());
            }
        }
    }

    public final Entry decode = new Entry();
    public final Entry inference = new Entry();
    public final Entry compose = new Entry();
    public final Entry readback = new Entry();
    public final Entry encode = new Entry();

    /** Reads each stage thread's CPU time; call before the stage threads stop. */
    void snapshotCpu() {
        for (Entry e : new Entry[] {decode, inference, compose, readback, encode}) {
            e.snapshotCpu();
        }
    }

    @Override
    public String toString() {
        return String.format("decode %.2f ms, inference %.2f ms, compose %.2f ms, readback %.2f ms, encode %.2f ms per frame",
                decode.meanMillis(), inference.meanMillis(), compose.meanMillis(), readback.meanMillis(), encode.meanMillis());
    }
}
