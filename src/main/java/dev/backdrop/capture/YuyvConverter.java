package dev.backdrop.capture;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUYV422;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * YUYV frames (what a camera sends uncompressed) to the pipeline's layout in two steps that swscale
 * has fast paths for: YUYV to planar 4:2:2, then 4:2:2 to RGBA or BGR. swscale has none from YUYV to
 * RGB, and its general path took 3.1 ms a frame at 720p against 1.1 ms for the two steps
 * (BENCHMARKS.md, "Live on 2 cores", camera codings). Every buffer is made once.
 */
final class YuyvConverter implements AutoCloseable {

    private final int height;
    private final SwsContext unpack;
    private final SwsContext toLayout;
    private final BytePointer y;
    private final BytePointer u;
    private final BytePointer v;
    private final PointerPointer<BytePointer> planePointers;
    private final IntPointer planeStrides;
    private final Frame out;
    private final PointerPointer<BytePointer> outPointer;
    private final IntPointer outStride;
    private AVFrame source;
    private PointerPointer<BytePointer> sourceData;
    private IntPointer sourceStrides;

    YuyvConverter(int width, int height, PixelLayout layout) {
        this.height = height;
        int chromaWidth = (width + 1) / 2;
        int yStride = (width + 31) & ~31;
        int cStride = (chromaWidth + 31) & ~31;
        y = new BytePointer((long) yStride * height);
        u = new BytePointer((long) cStride * height);
        v = new BytePointer((long) cStride * height);
        planePointers = new PointerPointer<>(y, u, v);
        planeStrides = new IntPointer(yStride, cStride, cStride);
        out = new Frame(width, height, Frame.DEPTH_UBYTE, layout.channels);
        // Arrays, not single values: PointerPointer(Pointer) and IntPointer(long) mean something else.
        outPointer = new PointerPointer<>(new BytePointer[] {new BytePointer((ByteBuffer) out.image[0])});
        outStride = new IntPointer(new int[] {out.imageStride});
        unpack = sws_getContext(width, height, AV_PIX_FMT_YUYV422, width, height, AV_PIX_FMT_YUV422P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        toLayout = sws_getContext(width, height, AV_PIX_FMT_YUV422P, width, height, layout.avPixelFormat, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (unpack == null || toLayout == null) {
            close();
            throw new CaptureException("swscale cannot convert YUYV " + width + "x" + height + " frames");
        }
    }

    /** The decoder's YUYV frame (a RAW-mode grab, its AVFrame in opaque) converted; the result is reused by the next call. */
    Frame convert(Frame yuyv) {
        AVFrame picture = (AVFrame) yuyv.opaque;
        if (picture != source) { // the grabber reuses one AVFrame: views of its data[] and linesize[] are made once
            source = picture;
            sourceData = new PointerPointer<>(picture); // data[] is the AVFrame's first field
            sourceStrides = picture.linesize();
        }
        sws_scale(unpack, sourceData, sourceStrides, 0, height, planePointers, planeStrides);
        sws_scale(toLayout, planePointers, planeStrides, 0, height, outPointer, outStride);
        out.timestamp = yuyv.timestamp;
        out.keyFrame = yuyv.keyFrame;
        return out;
    }

    @Override
    public void close() {
        if (unpack != null) {
            sws_freeContext(unpack);
        }
        if (toLayout != null) {
            sws_freeContext(toLayout);
        }
        y.close();
        u.close();
        v.close();
        planePointers.close();
        planeStrides.close();
        outPointer.close();
        outStride.close();
        out.close();
    }
}
