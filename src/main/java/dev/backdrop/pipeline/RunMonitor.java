package dev.backdrop.pipeline;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.segment.SegmentationModel;

/**
 * A job's watch over one run: the counters the run's threads write (status, stage times,
 * latency), and what the job does at each step of the run. {@link PipelineAssembly} calls the
 * steps on the job's own thread, in order: opened, capturing, then poll until the outputs are finalised.
 */
public abstract class RunMonitor {

    private final PipelineStatus status;
    private final StageTimes times = new StageTimes();
    private final LatencyStats latency = new LatencyStats();
    private final long pollMillis;

    /** pollMillis: how often {@link #poll} is called while frames flow. */
    protected RunMonitor(PipelineStatus status, long pollMillis) {
        this.status = status;
        this.pollMillis = pollMillis;
    }

    public PipelineStatus status() {
        return status;
    }

    public StageTimes times() {
        return times;
    }

    public LatencyStats latency() {
        return latency;
    }

    long pollMillis() {
        return pollMillis;
    }

    /** The input and the model are open; no output exists yet. */
    protected void opened(VideoSource source, SegmentationModel model) {
    }

    /** Capture starts at this System.nanoTime(). */
    protected void capturing(long nanos) {
    }

    /** Called every poll interval while frames flow; source is the open input. */
    protected abstract void poll(VideoSource source, long nanos);
}
