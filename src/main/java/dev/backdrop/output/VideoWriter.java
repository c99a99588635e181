package dev.backdrop.output;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.ffmpeg.FfmpegLog;
import dev.backdrop.threads.NativeThreadNames;
import java.io.OutputStream;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes composited frames with FFmpeg into a file, a URL or a stream, keeping the input's
 * size, frame rate and timestamps. Closing always finalises the container, so the frames written
 * so far stay playable after an error.
 */
public final class VideoWriter implements FrameSink {

    /** The input's geometry and timing, and the encoder's quality settings for {@code process}. */
    public record Format(int width, int height, double frameRate, int audioChannels, int sampleRate,
                         int audioBitrate, String preset, int crf) {
    }

    private final String target;
    private final FFmpegFrameRecorder recorder;
    private final double frameRate;
    /** 8-bit YUV out: I420 of the recorder's size goes to the encoder as it is, or repacked by swscale. */
    private final boolean takesI420;
    /** The stream written into, when not a file or URL: it keeps the first write failure. */
    private final WriteFailure.Guarded stream;
    /** recordImage's varargs, kept: a new array per frame otherwise. */
    private final Buffer[] planes = new Buffer[1];
    private boolean closed;

    private VideoWriter(String target, FFmpegFrameRecorder recorder, double frameRate, boolean takesI420,
            WriteFailure.Guarded stream) {
        this.target = target;
        this.recorder = recorder;
        this.frameRate = frameRate;
        this.takesI420 = takesI420;
        this.stream = stream;
    }

    /** An H.264 file as {@code process} writes it. */
    public static VideoWriter open(Path file, Format format) {
        return open(file.toString(), format, Encoding.x264File(file.toString(), format.preset(), format.crf()));
    }

    /** A file (its folder must exist) or, with "://" in it, a URL. */
    public static VideoWriter open(String target, Format format, Encoding encoding) {
        requireFolder(target);
        FfmpegLog.install();
        int channels = encoding.audio() ? Math.max(0, format.audioChannels()) : 0;
        return start(target, new FFmpegFrameRecorder(target, format.width(), format.height(), channels), format, encoding,
                null);
    }

    /** A file target's folder must exist: FFmpeg would only say "No such file or directory". */
    static void requireFolder(String target) {
        if (!target.contains("://")) {
            Path parent = Path.of(target).toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new OutputException("cannot write " + target + ": folder " + parent + " does not exist", null);
            }
        }
    }

    /** Writes into a stream, e.g. standard output; {@code name} is for messages. */
    public static VideoWriter open(OutputStream out, String name, Format format, Encoding encoding) {
        FfmpegLog.install();
        int channels = encoding.audio() ? Math.max(0, format.audioChannels()) : 0;
        WriteFailure.Guarded guarded = new WriteFailure.Guarded(out);
        return start(name, new FFmpegFrameRecorder(guarded, format.width(), format.height(), channels), format,
                encoding, guarded);
    }

    private static VideoWriter start(String target, FFmpegFrameRecorder recorder, Format format, Encoding encoding,
                                     WriteFailure.Guarded stream) {
        if (encoding.container() != null) {
            recorder.setFormat(encoding.container());
        }
        recorder.setVideoCodecName(encoding.videoCodec());
        org.bytedeco.ffmpeg.avcodec.AVCodec codec = avcodec.avcodec_find_encoder_by_name(encoding.videoCodec());
        if (codec == null) {
            throw new OutputException("this FFmpeg has no " + encoding.videoCodec() + " encoder", null);
        }
        recorder.setVideoCodec(codec.id());
        recorder.setPixelFormat(encoding.pixelFormat());
        recorder.setFrameRate(format.frameRate());
        if (encoding.keyframeSeconds() > 0) {
            recorder.setGopSize((int) Math.max(1, Math.round(format.frameRate() * encoding.keyframeSeconds())));
        }
        encoding.videoOptions().forEach(recorder::setVideoOption);
        if (Encoding.isYuv(encoding.pixelFormat())) {
            // swscale (and the GL's YUV pass) convert with the BT.601 matrix in limited range; untagged, players
            // assume BT.709 for HD and shift the hues
            recorder.setVideoOption("colorspace", "smpte170m");
            recorder.setVideoOption("color_range", "tv");
        }
        encoding.muxerOptions().forEach(recorder::setOption);
        if (recorder.getAudioChannels() > 0) {
            recorder.setAudioCodec(encoding.audioCodec());
            // Opus only takes 48 kHz (and a few lower rates); the recorder resamples the input to it
            recorder.setSampleRate(encoding.audioCodec() == avcodec.AV_CODEC_ID_OPUS ? 48_000 : format.sampleRate());
            recorder.setAudioBitrate(format.audioBitrate() > 0 ? format.audioBitrate() : 128_000);
        }
        try {
            // startUnsafe: start() takes a lock that a listening grabber in the same process can hold
            NativeThreadNames.startingAs("encoder", () -> {
                recorder.startUnsafe();
                return null;
            });
        } catch (FrameRecorder.Exception e) {
            releaseQuietly(recorder);
            throw new OutputException("cannot start writing " + Redact.url(target) + ": "
                    + Redact.within(FfmpegLog.describe(e), target) + (target.contains("://")
                    ? ". Check that the server runs and the URL is right"
                    : ". Check that the file name ends in a video extension (.mp4, .mkv, .mov) and the folder is"
                    + " writable"), e);
        }
        return new VideoWriter(target, recorder, format.frameRate(), encoding.takesI420(), stream);
    }

    /**
     * Writes one frame at its input timestamp (microseconds): 8-bit grey, BGR24 or RGBA by its
     * channels (1, 3 or 4; see {@link PixelLayout}).
     */
    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        advanceTo(timestampMicros);
        try {
            int format = frame.imageChannels == 1 ? avutil.AV_PIX_FMT_GRAY8
                    : PixelLayout.ofChannels(frame.imageChannels).avPixelFormat;
            recorder.record(frame, format);
        } catch (FrameRecorder.Exception e) {
            throw failure("cannot encode a frame into ", e);
        }
        checkStream();
    }

    /**
     * A YUV output at exactly this size: then I420 needs no colour conversion (for YUV 4:2:0 none at
     * all; for YUYV, swscale repacks it).
     */
    @Override
    public boolean takesYuv420(int width, int height) {
        return takesI420 && width == recorder.getImageWidth() && height == recorder.getImageHeight();
    }

    /** Writes one I420 frame at its input timestamp: handed to the encoder as it is, or repacked. */
    @Override
    public void writeYuv420(Yuv420Image image, long timestampMicros) {
        if (!takesYuv420(image.width, image.height)) {
            throw new IllegalArgumentException("this output does not take " + image.width + "x" + image.height + " YUV 4:2:0");
        }
        advanceTo(timestampMicros);
        planes[0] = image.data;
        try {
            recorder.recordImage(image.width, image.height, Frame.DEPTH_UBYTE, 1, image.width,
                    avutil.AV_PIX_FMT_YUV420P, planes);
        } catch (FrameRecorder.Exception e) {
            throw failure("cannot encode a frame into ", e);
        }
        checkStream();
    }

    /**
     * Presentation index from the input's timestamp, never going backwards: the encoder needs
     * strictly increasing timestamps, and the output should keep the input's timing.
     */
    private void advanceTo(long timestampMicros) {
        long pts = Math.round(timestampMicros * frameRate / 1_000_000.0);
        recorder.setFrameNumber((int) Math.max(recorder.getFrameNumber(), pts));
    }

    @Override
    public void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
        if (recorder.getAudioChannels() == 0) {
            return;
        }
        try {
            recorder.recordSamples(sampleRate, channels, samples);
        } catch (FrameRecorder.Exception e) {
            throw failure("cannot encode audio into ", e);
        }
        checkStream();
    }

    /** Flushes the encoders and writes the container's index; safe to call more than once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw failure("cannot finish ", e);
        } finally {
            releaseQuietly(recorder);
        }
        checkStream();
    }

    /** A write into a stream failed (JavaCV let FFmpeg believe it worked): stop with the cause. */
    private void checkStream() {
        if (stream != null && stream.failure() != null) {
            throw new OutputException(WriteFailure.describe(Redact.url(target), null, stream.failure()),
                    stream.failure());
        }
    }

    /** A disk-full, size-limit or broken-pipe failure in its own words; anything else with FFmpeg's text. */
    private OutputException failure(String doing, FrameRecorder.Exception e) {
        String known = WriteFailure.describe(Redact.url(target), e.getMessage(),
                stream != null ? stream.failure() : null);
        return new OutputException(known != null ? known
                : doing + Redact.url(target) + ": " + Redact.within(FfmpegLog.describe(e), target), e);
    }

    private static void releaseQuietly(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception ignored) {
            // already stopped or never started: nothing left to free that FFmpeg would report
        }
    }
}
