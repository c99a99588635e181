package dev.backdrop.ffmpeg;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes FFmpeg's own log into ours and remembers its last error line ("moov atom not found",
 * "Invalid data found..."), because that line, not JavaCV's exception text, tells a user what is
 * wrong with their file.
 */
public final class FfmpegLog {

    private static final Logger LOG = LoggerFactory.getLogger("ffmpeg");
    private static final Callback CALLBACK = new Callback();
    private static volatile String lastError = "";
    /** Demuxers' "the file ends early" lines, by the address of the format context that logged them. */
    private static final java.util.Map<Long, String> TRUNCATED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.regex.Pattern CONTEXT = java.util.regex.Pattern.compile("^\\[[^]]* @ 0x([0-9a-f]+)\\] ");
    private static final java.util.regex.Pattern CUT_SHORT = java.util.regex.Pattern.compile(
            "partial file|File ended prematurely|truncated", java.util.regex.Pattern.CASE_INSENSITIVE);
    /** While not null, FFmpeg's informational lines are collected here (see {@link #captureInfo}). */
    private static volatile StringBuilder captured;
    private static boolean installed;

    private FfmpegLog() {
    }

    /** Installs the callback once per process; FFmpeg's log level stays at warnings and above. */
    public static synchronized void install() {
        if (!installed) {
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            avutil.setLogCallback(CALLBACK);
            installed = true;
        }
    }

    /**
     * Runs an FFmpeg call and returns the informational lines it logged, e.g. the formats a camera
     * lists with {@code list_formats}: FFmpeg prints such answers to its log, not to a struct.
     */
    public static synchronized String captureInfo(Runnable call) {
        install();
        StringBuilder lines = new StringBuilder();
        captured = lines;
        avutil.av_log_set_level(avutil.AV_LOG_INFO);
        try {
            call.run();
        } finally {
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            captured = null;
        }
        return lines.toString();
    }

    /** The last error FFmpeg logged, then forgets it; empty when there was none. */
    public static String takeLastError() {
        String e = lastError;
        lastError = "";
        return e;
    }

    /**
     * Whether the demuxer of this input said its file ends early (mov: "partial file", Matroska:
     * "File ended prematurely"): that line, then forgotten; null when it did not.
     */
    public static String takeTruncation(org.bytedeco.ffmpeg.avformat.AVFormatContext input) {
        return input == null ? null : TRUNCATED.remove(input.address());
    }

    /** A JavaCV exception message without its advice to call JavaCV methods, plus FFmpeg's own reason. */
    public static String describe(Exception e) {
        String message = String.valueOf(e.getMessage())
                .replace(" (Has setFormat() been called?)", "")
                .replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "")
                .replaceAll("\\.+$", "");
        String reason = takeLastError();
        return reason.isEmpty() ? message : reason + " (" + message + ")";
    }

    private static final class Callback extends LogCallback {
        @Override
        public void call(int level, BytePointer msg) {
            // drop the "[mov,mp4,... @ 0x55d0...] " context prefix: an address means nothing to a user
            String line = msg.getString();
            java.util.regex.Matcher context = CONTEXT.matcher(line);
            String text = context.replaceFirst("").strip();
            if (text.isEmpty()) {
                return;
            }
            if (level <= avutil.AV_LOG_WARNING && context.find(0) && CUT_SHORT.matcher(text).find()) {
                TRUNCATED.put(Long.parseUnsignedLong(context.group(1), 16), text);
            }
            StringBuilder sink = captured;
            if (sink != null && level <= avutil.AV_LOG_INFO) {
                sink.append(text).append('\n');
            }
            if (level <= avutil.AV_LOG_ERROR) {
                lastError = text;
                LOG.debug(text);
            } else if (level <= avutil.AV_LOG_WARNING) {
                LOG.debug(text);
            }
        }
    }
}
