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
 * (BENCHMARKS.md, "Live on 2 cores", camera codings). To I420 it has a direct one, so that is one
 * step, into a buffer of the three planes, tight. Every buffer is made once.
 */
final class YuyvConverter implements AutoCloseable {

    private final int height;
    /** YUYV to planar 4:2:2, or straight to the layout when that is I420. */
    private final SwsContext unpack;
    /** Planar 4:2:2 to the layout; null for I420. */
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
        boolean i420 = layout == PixelLayout.I420;
        int chromaWidth = (width + 1) / 2;
        int yStride = (width + 31) & ~31;
        int cStride = (chromaWidth + 31) & ~31;
        long planeRows = i420 ? 0 : height; // I420 needs no 4:2:2 step
        y = new BytePointer((long) yStride * planeRows);
        u = new BytePointer((long) cStride * planeRows);
        v = new BytePointer((long) cStride * planeRows);
        planePointers = new PointerPointer<>(y, u, v);
        planeStrides = new IntPointer(yStride, cStride, cStride);
        out = i420 ? i420Frame(width, height) : new Frame(width, height, Frame.DEPTH_UBYTE, layout.channels);
        BytePointer image = new BytePointer((ByteBuffer) out.image[0]);
        // Arrays, not single values: PointerPointer(Pointer) and IntPointer(long) mean something else.
        if (i420) {
            long uAt = (long) width * height;
            long vAt = uAt + (long) (width / 2) * (height / 2);
            outPointer = new PointerPointer<>(new BytePointer[] {image, image.getPointer(uAt), image.getPointer(vAt)});
            outStride = new IntPointer(new int[] {width, width / 2, width / 2});
        } else {
            outPointer = new PointerPointer<>(new BytePointer[] {image});
            outStride = new IntPointer(new int[] {out.imageStride});
        }
        unpack = sws_getContext(width, height, AV_PIX_FMT_YUYV422, width, height,
                i420 ? layout.avPixelFormat : AV_PIX_FMT_YUV422P, SWS_BILINEAR, null, null, (DoublePointer) null);
        toLayout = i420 ? null : sws_getContext(width, height, AV_PIX_FMT_YUV422P, width, height, layout.avPixelFormat,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        if (unpack == null || toLayout == null && !i420) {
            close();
            throw new CaptureException("swscale cannot convert YUYV " + width + "x" + height + " frames");
        }
    }

    /** An I420 frame as the ring takes it: one buffer of Y, U and V, tight; its channels and stride the Y plane's. */
    private static Frame i420Frame(int width, int height) {
        Frame f = new Frame(width, PixelLayout.I420.frameBytes(width, height) / width, Frame.DEPTH_UBYTE, 1, width);
        f.imageHeight = height;
        return f;
    }

    /** The decoder's YUYV frame (a RAW-mode grab, its AVFrame in opaque) converted; the result is reused by the next call. */
    Frame convert(Frame yuyv) {
        AVFrame picture = (AVFrame) yuyv.opaque;
        if (picture != source) { // the grabber reuses one AVFrame: views of its data[] and linesize[] are made once
            source = picture;
            sourceData = new PointerPointer<>(picture); // data[] is the AVFrame's first field
            sourceStrides = picture.linesize();
        }
        if (toLayout == null) {
            sws_scale(unpack, sourceData, sourceStrides, 0, height, outPointer, outStride);
        } else {
            sws_scale(unpack, sourceData, sourceStrides, 0, height, planePointers, planeStrides);
            sws_scale(toLayout, planePointers, planeStrides, 0, height, outPointer, outStride);
        }
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
