package dev.backdrop.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.backdrop.ffmpeg.FfmpegLog;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A video input decoded by FFmpeg: a file, a URL, or a {@code lavfi:} filter graph (e.g.
 * {@code lavfi:testsrc2=size=640x360:rate=30:duration=5}). Frames come out as BGR24 or as asked
 * (see {@link PixelLayout}), audio as interleaved float.
 */
public final class VideoSource implements AutoCloseable {

    /**
     * How long a network input may send nothing before a read gives up (as the end of the stream): without
     * it a read from a sender that died blocks for ever (UDP has no "closed"), and live never notices the loss.
     */
    private static final int READ_TIMEOUT_SECONDS = 3;

    private final String input;
    private final FFmpegFrameGrabber grabber;
    /** For YUYV video (uncompressed cameras): the frames converted here instead of by the grabber; else null. */
    private final YuyvConverter yuyv;
    /** A camera or a network stream: a read failure is the input going away, not a damaged file. */
    private final boolean live;
    private final PixelLayout layout;
    private boolean closed;

    private VideoSource(String input, FFmpegFrameGrabber grabber, YuyvConverter yuyv, boolean live, PixelLayout layout) {
        this.input = input;
        this.grabber = grabber;
        this.yuyv = yuyv;
        this.live = live;
        this.layout = layout;
    }

    /** Opens and probes the input; throws {@link CaptureException} saying what is wrong with it. Frames come as BGR24. */
    public static VideoSource open(String input) {
        return open(input, PixelLayout.BGR24);
    }

    /** {@link #open(String)} with frames in this layout. */
    public static VideoSource open(String input, PixelLayout layout) {
        FfmpegLog.install();
        return start(input, grabberFor(input), layout, isLive(input));
    }

    /**
     * Opens a camera through the platform's capture API (V4L2 on Linux, DirectShow on Windows,
     * AVFoundation on macOS) at the asked size and rate, where the camera offers them; 0 = its default.
     */
    public static VideoSource openCamera(String device, int width, int height, double fps, PixelLayout layout) {
        FfmpegLog.install();
        CameraDevices.requireExists(device);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(CameraDevices.ffmpegName(device));
        grabber.setFormat(CameraDevices.ffmpegFormat());
        if (width > 0 && height > 0) {
            grabber.setImageWidth(width);
            grabber.setImageHeight(height);
        }
        if (fps > 0) {
            grabber.setFrameRate(fps);
        }
        return start(device, grabber, layout, true);
    }

    /** True for inputs that pace themselves (cameras, live network streams): no need to slow them down. */
    public static boolean isLive(String input) {
        return input.startsWith("/dev/") || isNetworkStream(input);
    }

    private static boolean isNetworkStream(String input) {
        return input.matches("^(rtmp|rtsp|srt|udp|rtp|tcp)s?://.*");
    }

    /**
     * Makes a read from a network stream give up after {@link #READ_TIMEOUT_SECONDS} without data. FFmpeg
     * has no one option for it: {@code rw_timeout} is every protocol's, but udp overwrites it with its own
     * {@code timeout} and the rtsp demuxer reads no protocol options; for rtmp {@code timeout} means how
     * long to wait as a listening server, so it is not set there.
     */
    private static void setReadTimeout(FFmpegFrameGrabber grabber, String input) {
        String micros = String.valueOf(READ_TIMEOUT_SECONDS * 1_000_000L);
        grabber.setOption("rw_timeout", micros);
        if (input.matches("^(rtsp|srt|udp|rtp|tcp)s?://.*")) {
            grabber.setOption("timeout", micros);
        }
    }

    private static FFmpegFrameGrabber grabberFor(String input) {
        FFmpegFrameGrabber grabber;
        if (input.startsWith("lavfi:")) {
            grabber = new FFmpegFrameGrabber(input.substring("lavfi:".length()));
            grabber.setFormat("lavfi");
        } else {
            if (!input.contains("://") && !Files.exists(Path.of(input))) {
                throw new CaptureException("input file " + input + " does not exist; check the path");
            }
            if (!input.contains("://") && isEmptyFile(Path.of(input))) {
                throw new CaptureException("input file " + input + " is empty (0 bytes); copy or record it again");
            }
            grabber = new FFmpegFrameGrabber(input);
            if (isNetworkStream(input)) {
                setReadTimeout(grabber, input);
            }
        }
        return grabber;
    }

    private static VideoSource start(String input, FFmpegFrameGrabber grabber, PixelLayout layout, boolean live) {
        grabber.setPixelFormat(layout.avPixelFormat);
        grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
        try {
            // startUnsafe: start() takes a lock shared with recorders, which can deadlock against a
            // listening (RTMP server mode) input in the same process
            grabber.startUnsafe();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            throw new CaptureException(openFailure(input, FfmpegLog.describe(e)), e);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new CaptureException("input " + input + " has no video stream; Backdrop needs video");
        }
        return new VideoSource(input, grabber, yuyvConverter(grabber, layout), live, layout);
    }

    /**
     * For YUYV video, the grabber hands over its decoded frames as they are (RAW mode reports the
     * decoder's format) and a {@link YuyvConverter} converts them; null for any other video.
     */
    private static YuyvConverter yuyvConverter(FFmpegFrameGrabber grabber, PixelLayout layout) {
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        if (grabber.getPixelFormat() != avutil.AV_PIX_FMT_YUYV422) {
            grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
            return null;
        }
        try {
            return new YuyvConverter(grabber.getImageWidth(), grabber.getImageHeight(), layout);
        } catch (RuntimeException e) {
            closeQuietly(grabber);
            throw e;
        }
    }

    /**
     * The next video or audio frame, or null at the end. The returned Frame is reused by the next call.
     * A file that ends early (cut off while copying or recording) throws at its end, once every frame
     * before the cut has come out.
     */
    public Frame grab() {
        Frame frame;
        try {
            frame = grabber.grabFrame(true, true, true, false);
            if (yuyv != null && frame != null && frame.image != null) {
                frame = yuyv.convert(frame);
            }
        } catch (FrameGrabber.Exception e) {
            if (live) {
                throw new CaptureException("cannot read " + input + ": " + FfmpegLog.describe(e), e);
            }
            throw new CaptureException("cannot decode " + input + ": " + FfmpegLog.describe(e)
                    + ". The file may be damaged; frames before this point were kept", e);
        }
        if (frame == null) {
            String cut = FfmpegLog.takeTruncation(grabber.getFormatContext());
            if (cut != null) {
                throw new CaptureException("input " + input + " is cut short (" + cut + "): the frames before the"
                        + " cut were processed and written; the rest of the file is missing, copy it again");
            }
        }
        return frame;
    }

    /** The line for an input FFmpeg cannot open, from FFmpeg's reason. */
    static String openFailure(String input, String reason) {
        if (reason.contains("Did not find a video or audio stream")) {
            return "input " + input + " has no video stream FFmpeg can decode (none, or one in a codec this FFmpeg"
                    + " does not know); convert it first, e.g. to H.264 in MP4";
        }
        if (reason.contains("Device or resource busy")) {
            return "camera " + input + " is busy: another program (a video call, another backdrop) is using it;"
                    + " close that program and try again";
        }
        return "cannot open input " + input + " as video: " + reason + ". Check that it is a video file or a URL"
                + " FFmpeg can read";
    }

    private static boolean isEmptyFile(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The layout of the frames {@link #grab} returns, as asked for at opening. An I420 frame's buffer
     * holds its three planes one after another: Y rows imageStride bytes apart, then U and V with
     * rows half that apart.
     */
    public PixelLayout layout() {
        return layout;
    }

    public String input() {
        return input;
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    public double frameRate() {
        return grabber.getFrameRate();
    }

    /** Number of video frames the container announces; 0 or negative when unknown. */
    public int lengthInFrames() {
        return grabber.getLengthInVideoFrames();
    }

    public boolean hasAudio() {
        return grabber.getAudioChannels() > 0;
    }

    public int audioChannels() {
        return grabber.getAudioChannels();
    }

    public int sampleRate() {
        return grabber.getSampleRate();
    }

    public int audioBitrate() {
        return grabber.getAudioBitrate();
    }

    /** Safe to call more than once: a lost live input is closed where it failed, and again by its opener. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(grabber);
        if (yuyv != null) {
            yuyv.close();
        }
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception ignored) {
            // nothing more can be done with an input that fails to close
        }
    }
}
