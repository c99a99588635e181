package dev.backdrop.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why writing an output failed, in words a user can act on: FFmpeg reports a full disk, a file
 * size limit or a reader that went away only as a negative errno inside JavaCV's message
 * ("av_interleaved_write_frame() error -28 ..."), and a stream output (standard output) only as
 * an IOException that JavaCV prints and drops; {@link Guarded} keeps that one.
 */
final class WriteFailure {

    private static final Pattern ERRNO = Pattern.compile("error (-\\d+)");
    /** Linux errno values, as FFmpeg's AVERROR(errno) = -errno. */
    private static final int EIO = 5;
    private static final int EFBIG = 27;
    private static final int ENOSPC = 28;
    private static final int EPIPE = 32;
    private static final int EDQUOT = 122;

    private WriteFailure() {
    }

    /**
     * One line for a failed write to {@code target}, or null when the cause is nothing this class
     * knows (the caller then reports FFmpeg's own text).
     */
    static String describe(String target, String ffmpegMessage, IOException streamFailure) {
        if (streamFailure != null) {
            String m = String.valueOf(streamFailure.getMessage());
            return m.toLowerCase(java.util.Locale.ROOT).contains("broken pipe") ? brokenPipe(target)
                    : "cannot write " + target + ": " + m;
        }
        Matcher errno = ERRNO.matcher(String.valueOf(ffmpegMessage));
        int code = errno.find() ? -Integer.parseInt(errno.group(1)) : 0;
        return switch (code) {
            case EFBIG, ENOSPC, EDQUOT -> "cannot write " + target + ": disk full / file too large ("
                    + (code == EFBIG ? "the file size limit, ulimit -f, is reached" : code == ENOSPC
                    ? "no space left on the device" : "the disk quota is used up")
                    + "); free some space, raise the limit or write to another disk. The frames written so far"
                    + " are kept and playable";
            case EPIPE -> brokenPipe(target);
            case EIO -> "cannot write " + target + ": input/output error on the device; check the disk";
            default -> null;
        };
    }

    private static String brokenPipe(String target) {
        return "cannot write " + target + ": the program reading it has closed it (broken pipe); keep the reader"
                + " running until backdrop ends, or write to a file";
    }

    /**
     * A stream FFmpeg writes into through JavaCV: the first IOException is kept (JavaCV would print
     * it and hand FFmpeg a bare -1) and later writes are dropped, so the writer can name the cause.
     */
    static final class Guarded extends FilterOutputStream {
        private volatile IOException failure;

        Guarded(OutputStream out) {
            super(out);
        }

        IOException failure() {
            return failure;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) {
                return;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void flush() {
            if (failure != null) {
                return;
            }
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
