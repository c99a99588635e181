package dev.backdrop.output;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.ffmpeg.FfmpegLog;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * Uncompressed frames for a virtual camera: through FFmpeg's v4l2 muxer to a v4l2loopback device
 * (which sets the device's format), or bare into a file or FIFO. No encoder: an I420 frame goes to
 * the muxer as it is, and YUYV is repacked by swscale straight into the buffer written. FFmpeg's
 * rawvideo encoder, as {@link VideoWriter} would use it, copies every frame once more into a packet:
 * 1.70 against 1.43 ms a 720p YUYV frame into a FIFO (median of eight alternating rounds).
 */
public final class RawVideoWriter implements FrameSink {

    /** More I420 buffers than an {@link AsyncSink}'s pool: their pointers are dropped and made again. */
    private static final int MAX_BUFFERS = 16;

    private final String target;
    private final int width;
    private final int height;
    private final int pixelFormat;
    private final AVFormatContext context;
    private final AVPacket packet;
    /** The frame as written, when it is not an I420 image passed through. */
    private final BytePointer out;
    private final PointerPointer<BytePointer> outPlanes = new PointerPointer<>(4);
    private final IntPointer outStrides = new IntPointer(4);
    private final IntPointer i420Strides;
    /** Each I420 image's memory and planes, by its buffer: a sink is handed the same few buffers over and over. */
    private final Map<ByteBuffer, I420Pointers> i420 = new IdentityHashMap<>();
    private SwsContext repack;
    private long lastPts = -1;
    private boolean failed;
    private boolean closed;

    private RawVideoWriter(String target, int width, int height, int pixelFormat, AVFormatContext context) {
        this.target = target;
        this.width = width;
        this.height = height;
        this.pixelFormat = pixelFormat;
        this.context = context;
        this.packet = avcodec.av_packet_alloc();
        int bytes = avutil.av_image_get_buffer_size(pixelFormat, width, height, 1);
        this.out = new BytePointer(avutil.av_malloc(bytes)).capacity(bytes);
        avutil.av_image_fill_arrays(outPlanes, outStrides, out, pixelFormat, width, height, 1);
        this.i420Strides = new IntPointer(width, width / 2, width / 2, 0);
    }

    /**
     * Opens target for frames of this size in pixelFormat (YUYV 4:2:2 or I420): a v4l2loopback
     * device when device is true, otherwise a file (its folder must exist) or FIFO.
     */
    public static RawVideoWriter open(String target, int width, int height, int pixelFormat, boolean device) {
        VideoWriter.requireFolder(target);
        FfmpegLog.install();
        if (device) {
            avdevice.avdevice_register_all(); // the v4l2 muxer is a device's; JavaCV registers them only on first use
        }
        AVFormatContext context = new AVFormatContext(null);
        int ret = avformat.avformat_alloc_output_context2(context, null, device ? "v4l2" : "rawvideo", target);
        if (ret < 0) {
            throw new OutputException(reason("cannot write to " + target, ret)
                    + (device ? ". This FFmpeg may lack its v4l2 output" : ""), null);
        }
        try {
            AVStream stream = avformat.avformat_new_stream(context, null);
            AVCodecParameters parameters = stream.codecpar();
            parameters.codec_type(avutil.AVMEDIA_TYPE_VIDEO);
            parameters.codec_id(avcodec.AV_CODEC_ID_RAWVIDEO);
            parameters.format(pixelFormat);
            parameters.width(width);
            parameters.height(height);
            stream.time_base(avutil.av_make_q(1, 1_000_000));
            if ((context.oformat().flags() & avformat.AVFMT_NOFILE) == 0) {
                AVIOContext io = new AVIOContext(null);
                ret = avformat.avio_open2(io, target, avformat.AVIO_FLAG_WRITE, (AVIOInterruptCB) null,
                        (AVDictionary) null);
                if (ret < 0) {
                    throw new OutputException(reason("cannot open " + target, ret), null);
                }
                context.pb(io);
            }
            ret = avformat.avformat_write_header(context, (AVDictionary) null);
            if (ret < 0) {
                throw new OutputException(reason("cannot start writing " + target, ret) + (device
                        ? ". Check that the device is a v4l2loopback device and no other program writes to it"
                        : ""), null);
            }
        } catch (RuntimeException e) {
            release(context);
            throw e;
        }
        return new RawVideoWriter(target, width, height, pixelFormat, context);
    }

    @Override
    public boolean takesYuv420(int width, int height) {
        return width == this.width && height == this.height;
    }

    @Override
    public void writeYuv420(Yuv420Image image, long timestampMicros) {
        if (!takesYuv420(image.width, image.height)) {
            throw new IllegalArgumentException("this output does not take " + image.width + "x" + image.height
                    + " YUV 4:2:0");
        }
        if (i420.size() >= MAX_BUFFERS && !i420.containsKey(image.data)) { // a caller with ever new buffers
            i420.values().forEach(p -> p.planes().close());
            i420.clear();
        }
        I420Pointers pointers = i420.computeIfAbsent(image.data, this::pointersOf);
        if (pixelFormat == avutil.AV_PIX_FMT_YUV420P) {
            write(pointers.whole, image.data.capacity(), timestampMicros);
        } else {
            repack = swscale.sws_getCachedContext(repack, width, height, avutil.AV_PIX_FMT_YUV420P, width, height,
                    pixelFormat, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
            swscale.sws_scale(repack, pointers.planes, i420Strides, 0, height, outPlanes, outStrides);
            write(out, (int) out.capacity(), timestampMicros);
        }
    }

    /** BGR24, RGBA or grey at this size (what the GL reads back on a software rasteriser), converted. */
    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        if (frame.imageWidth != width || frame.imageHeight != height) {
            throw new IllegalArgumentException("this output takes " + width + "x" + height + " frames, not "
                    + frame.imageWidth + "x" + frame.imageHeight);
        }
        int format = frame.imageChannels == 1 ? avutil.AV_PIX_FMT_GRAY8
                : PixelLayout.ofChannels(frame.imageChannels).avPixelFormat;
        repack = swscale.sws_getCachedContext(repack, width, height, format, width, height, pixelFormat,
                swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        // the GL's pixels come through this path only where it is no CPU rasteriser's hot path
        try (BytePointer pixels = new BytePointer((ByteBuffer) frame.image[0]);
             PointerPointer<BytePointer> planes = new PointerPointer<>(pixels, null, null, null);
             IntPointer strides = new IntPointer(frame.imageStride, 0, 0, 0)) {
            swscale.sws_scale(repack, planes, strides, 0, height, outPlanes, outStrides);
        }
        write(out, (int) out.capacity(), timestampMicros);
    }

    /** An I420 buffer as FFmpeg takes it: its whole memory (a packet's data) and its planes (swscale's). */
    private record I420Pointers(BytePointer whole, PointerPointer<BytePointer> planes) {
    }

    private I420Pointers pointersOf(ByteBuffer image) {
        BytePointer whole = new BytePointer(image);
        int ySize = width * height;
        return new I420Pointers(whole, new PointerPointer<>(whole, whole.getPointer(ySize),
                whole.getPointer(ySize + ySize / 4), null));
    }

    private void write(BytePointer data, int size, long timestampMicros) {
        // strictly increasing, as the muxer checks; a raw stream keeps no timestamps anyway
        lastPts = Math.max(lastPts + 1, timestampMicros);
        packet.data(data).size(size).stream_index(0).pts(lastPts).dts(lastPts);
        int ret = avformat.av_write_frame(context, packet);
        packet.data(null).size(0);
        if (ret < 0) {
            failed = true;
            throw failure("cannot write a frame to " + target, ret);
        }
    }

    /** A disk-full, size-limit or broken-pipe failure in its own words; anything else with FFmpeg's. */
    private OutputException failure(String doing, int ret) {
        String known = WriteFailure.describe(target, "error " + ret, null);
        return new OutputException(known != null ? known : reason(doing, ret), null);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int ret = avformat.av_write_trailer(context);
        release(context);
        swscale.sws_freeContext(repack);
        avcodec.av_packet_free(packet);
        avutil.av_free(out);
        i420.values().forEach(p -> p.planes().close());
        outPlanes.close();
        outStrides.close();
        i420Strides.close();
        if (ret < 0 && !failed) { // after a failed write, that failure was the one to report
            throw failure("cannot finish " + target, ret);
        }
    }

    private static void release(AVFormatContext context) {
        if (context.pb() != null) {
            avformat.avio_closep(context.pb());
        }
        avformat.avformat_free_context(context);
    }

    /** doing, then FFmpeg's own words for it: the line it logged, or its text for the error code. */
    private static String reason(String doing, int ret) {
        String logged = FfmpegLog.takeLastError();
        if (!logged.isEmpty()) {
            return doing + ": " + logged;
        }
        byte[] text = new byte[256];
        avutil.av_strerror(ret, text, text.length);
        return doing + ": " + new String(text, 0, indexOfZero(text), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int indexOfZero(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == 0) {
                return i;
            }
        }
        return text.length;
    }
}
