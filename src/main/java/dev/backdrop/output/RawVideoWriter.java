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

    /** More source buffers than an {@link AsyncSink}'s pool: their pointers are dropped and made again. */
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
    /** Each source buffer's memory, planes and strides: a sink is handed the same few buffers over and over. */
    private final Map<ByteBuffer, Source> sources = new IdentityHashMap<>();
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
        Source source = source(image.data, avutil.AV_PIX_FMT_YUV420P, width);
        if (pixelFormat == avutil.AV_PIX_FMT_YUV420P) {
            write(source.whole(), image.data.capacity(), timestampMicros);
        } else {
            convert(source, timestampMicros);
        }
    }

    /** BGR24, RGBA or grey at this size (the GL's readback, or frames of a size I420 cannot take), converted. */
    @Override
    public void writeVideo(Frame frame, long timestampMicros) {
        if (frame.imageWidth != width || frame.imageHeight != height) {
            throw new IllegalArgumentException("this output takes " + width + "x" + height + " frames, not "
                    + frame.imageWidth + "x" + frame.imageHeight);
        }
        int format = frame.imageChannels == 1 ? avutil.AV_PIX_FMT_GRAY8
                : PixelLayout.ofChannels(frame.imageChannels).avPixelFormat;
        convert(source((ByteBuffer) frame.image[0], format, frame.imageStride), timestampMicros);
    }

    /**
     * A source buffer as FFmpeg takes it: its whole memory (a packet's data), its planes and their
     * strides (swscale's), in pixel format format.
     */
    private record Source(int format, BytePointer whole, PointerPointer<BytePointer> planes, IntPointer strides) {
        void close() {
            planes.close();
            strides.close();
        }
    }

    /** The pointers for buffer (I420 of this size, or one packed plane of rows stride bytes apart), made once. */
    private Source source(ByteBuffer buffer, int format, int stride) {
        Source known = sources.get(buffer);
        if (known != null && known.format() == format && known.strides().get(0) == stride) {
            return known;
        }
        if (known != null || sources.size() >= MAX_BUFFERS) { // a buffer reused otherwise, or a caller with new ones
            sources.values().forEach(Source::close);
            sources.clear();
        }
        BytePointer whole = new BytePointer(buffer);
        Source made;
        if (format == avutil.AV_PIX_FMT_YUV420P) {
            int ySize = width * height;
            made = new Source(format, whole, new PointerPointer<>(whole, whole.getPointer(ySize),
                    whole.getPointer(ySize + ySize / 4), null), new IntPointer(width, width / 2, width / 2, 0));
        } else {
            made = new Source(format, whole, new PointerPointer<>(whole, null, null, null),
                    new IntPointer(stride, 0, 0, 0));
        }
        sources.put(buffer, made);
        return made;
    }

    /** The source converted by swscale into the buffer written (YUYV, or I420 from packed pixels), and written. */
    private void convert(Source source, long timestampMicros) {
        repack = swscale.sws_getCachedContext(repack, width, height, source.format(), width, height, pixelFormat,
                swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        swscale.sws_scale(repack, source.planes(), source.strides(), 0, height, outPlanes, outStrides);
        write(out, (int) out.capacity(), timestampMicros);
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
        sources.values().forEach(Source::close);
        outPlanes.close();
        outStrides.close();
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
