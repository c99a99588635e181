package dev.backdrop.output;

import dev.backdrop.config.ConfigException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Opens the outputs a live run asks for, once the input's size and rate are known: what each kind
 * is written as, and which run on a thread of their own. The recording is written on the
 * pipeline's thread, so it never drops a frame; the others could stall it (a server, the program
 * reading a pipe, a virtual camera's reader) and are each wrapped in an {@link AsyncSink}, the
 * streams with a {@link ReconnectingSink} inside.
 */
public final class Outputs {

    /**
     * What was asked for; null where an output is not wanted.
     *
     * @param v4l2 a v4l2loopback device, or any other path for the same raw frames in a file
     * @param v4l2Format yuyv or i420
     * @param pipe "-" for standard output, or a file or FIFO
     * @param pipeFormat nut (raw YUV 4:2:0 in NUT) or rawvideo (bare BGR24 frames)
     * @param streamKbps the video bitrate of the RTMP and SRT streams
     * @param streamTimeoutSeconds how long a stream server may be unreachable at start
     */
    public record Request(Path record, String rtmp, String srt, String v4l2, String v4l2Format, String pipe,
                          String pipeFormat, int streamKbps, double streamTimeoutSeconds) {
        public Request {
            if (!List.of("yuyv", "i420").contains(v4l2Format) || !List.of("nut", "rawvideo").contains(pipeFormat)) {
                throw new ConfigException("--v4l2-format takes yuyv or i420, --pipe-format nut or rawvideo");
            }
        }
    }

    private Outputs() {
    }

    /** Every output in the request, in a fixed order; when one cannot be opened, those opened are closed. */
    public static List<FrameSink> open(Request request, VideoWriter.Format format) {
        List<FrameSink> sinks = new ArrayList<>();
        try {
            if (request.record() != null) {
                String file = request.record().toString();
                sinks.add(VideoWriter.open(file, format,
                        Encoding.crashSafeRecording(file, format.preset(), format.crf())));
            }
            if (request.rtmp() != null) {
                sinks.add(stream(request.rtmp(), "flv", request, format));
            }
            if (request.srt() != null) {
                sinks.add(stream(request.srt(), "mpegts", request, format));
            }
            if (request.v4l2() != null) {
                sinks.add(virtualCamera(request.v4l2(), request.v4l2Format(), format));
            }
            if (request.pipe() != null) {
                sinks.add(pipe(request.pipe(), request.pipeFormat(), format));
            }
            return sinks;
        } catch (RuntimeException e) {
            closeQuietly(sinks);
            throw e;
        }
    }

    private static FrameSink stream(String url, String container, Request request, VideoWriter.Format format) {
        Encoding encoding = Encoding.stream(container, "veryfast", request.streamKbps());
        String name = Redact.url(url);
        return new AsyncSink(name, new ReconnectingSink(name, () -> VideoWriter.open(url, format, encoding),
                request.streamTimeoutSeconds()), format.width(), format.height());
    }

    /** A v4l2loopback device by the v4l2 muxer; a path that is no device gets the same frames as a raw file. */
    private static FrameSink virtualCamera(String target, String pixelFormat, VideoWriter.Format format) {
        int avFormat = "i420".equals(pixelFormat) ? avutil.AV_PIX_FMT_YUV420P : avutil.AV_PIX_FMT_YUYV422;
        Path path = Path.of(target);
        boolean device = target.startsWith("/dev/") && Files.exists(path) && !Files.isRegularFile(path);
        return new AsyncSink(target, RawVideoWriter.open(target, format.width(), format.height(), avFormat, device),
                format.width(), format.height());
    }

    private static FrameSink pipe(String target, String container, VideoWriter.Format format) {
        boolean stdout = "-".equals(target);
        OutputStream out;
        try {
            out = stdout ? new FileOutputStream(FileDescriptor.out) : Files.newOutputStream(Path.of(target));
        } catch (IOException e) {
            throw new OutputException("cannot open --pipe " + target + ": " + e.getMessage(), e);
        }
        Encoding encoding = "rawvideo".equals(container)
                ? Encoding.raw("rawvideo", avutil.AV_PIX_FMT_BGR24)
                : Encoding.raw("nut", avutil.AV_PIX_FMT_YUV420P);
        String name = stdout ? "standard output" : target;
        return new AsyncSink(name, VideoWriter.open(out, name, format, encoding), format.width(), format.height());
    }

    /** Closes each sink, ignoring failures: for giving up, when the failure that got there matters more. */
    public static void closeQuietly(List<FrameSink> sinks) {
        for (FrameSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the caller reports the failure that got it here
            }
        }
    }
}
