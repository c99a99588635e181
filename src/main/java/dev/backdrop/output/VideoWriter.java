package dev.backdrop.output;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.backdrop.ffmpeg.FfmpegLog;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes composited frames to a file with libx264 (and AAC when the input had audio), keeping
 * the input's size, frame rate and timestamps. Closing always finalises the container, so the
 * frames written so far stay playable after an error.
 */
public final class VideoWriter implements AutoCloseable {

    /** What to write: the input's geometry and timing plus the encoder's quality settings. */
    public record Format(int width, int height, double frameRate, int audioChannels, int sampleRate,
                         int audioBitrate, String preset, int crf) {
    }

    private final Path file;
    private final FFmpegFrameRecorder recorder;
    private final double frameRate;
    private boolean closed;

    private VideoWriter(Path file, FFmpegFrameRecorder recorder, double frameRate) {
        this.file = file;
        this.recorder = recorder;
        this.frameRate = frameRate;
    }

    public static VideoWriter open(Path file, Format format) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new OutputException("cannot write " + file + ": folder " + parent + " does not exist", null);
        }
        FfmpegLog.install();
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toString(), format.width(), format.height(),
                Math.max(0, format.audioChannels()));
        recorder.setVideoCodecName("libx264");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(format.frameRate());
        recorder.setVideoOption("preset", format.preset());
        recorder.setVideoOption("crf", Integer.toString(format.crf()));
        if (format.audioChannels() > 0) {
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(format.sampleRate());
            recorder.setAudioBitrate(format.audioBitrate() > 0 ? format.audioBitrate() : 128_000);
        }
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            releaseQuietly(recorder);
            throw new OutputException("cannot start writing " + file + ": " + FfmpegLog.describe(e)
                    + ". Check that the file name ends in a video extension (.mp4, .mkv, .mov) and the folder is writable", e);
        }
        return new VideoWriter(file, recorder, format.frameRate());
    }

    /** Writes one BGR24 (or, with one channel, 8-bit grey) frame at its input timestamp (microseconds). */
    public void writeVideo(Frame image, long timestampMicros) {
        // Presentation index from the input's timestamp, never going backwards: the encoder needs
        // strictly increasing timestamps, and the output should keep the input's timing.
        long pts = Math.round(timestampMicros * frameRate / 1_000_000.0);
        recorder.setFrameNumber((int) Math.max(recorder.getFrameNumber(), pts));
        try {
            recorder.record(image, image.imageChannels == 1 ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_BGR24);
        } catch (FrameRecorder.Exception e) {
            throw new OutputException("cannot encode a frame into " + file + ": " + FfmpegLog.describe(e), e);
        }
    }

    /** Writes interleaved float samples. */
    public void writeAudio(FloatBuffer samples, int sampleRate, int channels) {
        try {
            recorder.recordSamples(sampleRate, channels, samples);
        } catch (FrameRecorder.Exception e) {
            throw new OutputException("cannot encode audio into " + file + ": " + FfmpegLog.describe(e), e);
        }
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
            throw new OutputException("cannot finish " + file + ": " + FfmpegLog.describe(e), e);
        } finally {
            releaseQuietly(recorder);
        }
    }

    private static void releaseQuietly(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception ignored) {
            // already stopped or never started: nothing left to free that FFmpeg would report
        }
    }
}
