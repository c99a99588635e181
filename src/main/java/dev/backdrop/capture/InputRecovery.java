package dev.backdrop.capture;

import dev.backdrop.output.Backoff;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopens a live input that went away (a camera unplugged, a stream whose sender stopped) on a thread
 * of its own, with {@link Backoff}, and says so: one line when it is lost, one when it is back, one
 * when it has been gone too long. Its own thread because opening a network input can block for
 * seconds, while the capture thread keeps the outputs fed with the last picture meanwhile (see
 * {@link CaptureLoop}).
 */
public final class InputRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(InputRecovery.class);

    private final Supplier<VideoSource> open;
    private final double timeoutSeconds;

    /**
     * @param open opens the input again, as it was opened at the start
     * @param timeoutSeconds give up when it has been gone this long; 0 = never
     */
    public InputRecovery(Supplier<VideoSource> open, double timeoutSeconds) {
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("the input timeout must be 0 (retry for ever) or more, not "
                    + timeoutSeconds);
        }
        this.open = open;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The input is gone (the caller has closed it): prints why and starts reopening it. */
    Outage lost(String input, String reason) {
        LOG.warn("input lost: {}; the outputs show the last frame; retrying{}", reason,
                timeoutSeconds > 0 ? " for up to " + format(timeoutSeconds) + " s (--input-timeout)"
                        : " until it is back");
        return new Outage(input, reason);
    }

    /** One spell without the input: the thread reopening it, and what the capture thread asks of it. */
    final class Outage implements AutoCloseable {

        private final String input;
        private final String reason;
        private final long startNanos = System.nanoTime();
        private final Thread thread;
        /** The reopened input, until the capture thread takes it (or close() closes it). */
        private final AtomicReference<VideoSource> reopened = new AtomicReference<>();
        private volatile RuntimeException broken;
        private volatile boolean over;

        private Outage(String input, String reason) {
            this.input = input;
            this.reason = reason;
            thread = new Thread(this::reopen, "input reopen");
            thread.setDaemon(true); // an open blocked in FFmpeg must not keep the JVM alive after the run
            thread.start();
        }

        private void reopen() {
            Backoff backoff = new Backoff();
            while (!over) {
                try {
                    VideoSource source = open.get();
                    reopened.set(source);
                    if (over) { // given up meanwhile: whoever takes it back out closes it
                        closeUnclaimed();
                    }
                    return;
                } catch (CaptureException e) {
                    // not there yet: the usual case, not worth a line each time
                    LOG.debug("reopening {}: {}", input, e.getMessage());
                } catch (RuntimeException e) {
                    broken = e; // not the input's absence: a bug, which retrying would only hide
                    return;
                }
                try {
                    Thread.sleep(backoff.nextMillis());
                } catch (InterruptedException e) {
                    return; // closed
                }
            }
        }

        /** The input, once it is open again (then the caller owns it); null while it is not. */
        VideoSource reopened() {
            if (broken != null) {
                throw broken;
            }
            return reopened.getAndSet(null);
        }

        /** Throws once the input has been gone for the timeout: the line that ends the run. */
        void checkTimeout(long nowNanos) {
            double gone = (nowNanos - startNanos) / 1e9;
            if (timeoutSeconds > 0 && gone >= timeoutSeconds) {
                throw new CaptureException("input " + input + " has been gone for " + format(timeoutSeconds)
                        + " s (" + reason + ") and could not be opened again: check that the camera is plugged in or"
                        + " the sender is running, then start again; --input-timeout S waits longer (0 = for ever)");
            }
        }

        /** The reopened input is taken: the line that says so. */
        void back(long framesFilled) {
            LOG.info("input back after {} s; {} frames filled", String.format("%.1f", seconds()), framesFilled);
        }

        /** Seconds since the loss was noticed. */
        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /** Stops reopening; an input opened but not taken is closed. The thread is not waited for. */
        @Override
        public void close() {
            over = true;
            thread.interrupt(); // ends a backoff wait; an open blocked in FFmpeg ends at its own timeout
            closeUnclaimed();
        }

        private void closeUnclaimed() {
            VideoSource left = reopened.getAndSet(null);
            if (left != null) {
                left.close();
            }
        }
    }

    private static String format(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }
}
