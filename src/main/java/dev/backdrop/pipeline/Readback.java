package dev.backdrop.pipeline;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.compose.Compositor;
import dev.backdrop.output.FrameSink;
import java.util.List;

/**
 * What compositing reads back for the outputs: YUV 4:2:0 for the sinks whose output is YUV at the
 * frame's size (x264 files and streams, the virtual camera's YUYV), and BGR for every other sink
 * (the window, RGB and alpha outputs). Both when the outputs are mixed; BGR alone when there are
 * none, or the compositor cannot convert this size. In an I420 ring the frame is the YUV 4:2:0
 * picture, composited in place; on the GL it is converted there.
 *
 * <p>On a GL that rasterises on the CPU (llvmpipe) the conversion costs more than swscale's on the
 * output thread (BENCHMARKS.md, "Output colour conversion"), so there the compose stage falls back to
 * BGR ({@link #onGl}) unless the system property {@value #PROPERTY} is {@code on}.
 *
 * @param geometry the run's sizes; sinks and the GL convert at its frame size
 * @param bgr read back BGR into the slot's image
 * @param yuv420 read back I420 into the slot's {@link FrameSlot#yuv420}
 */
public record Readback(FrameGeometry geometry, boolean bgr, boolean yuv420) {

    /**
     * The system property that chooses: {@code auto} (the default: YUV 4:2:0 from a GPU, BGR from a
     * CPU rasteriser), {@code on} (YUV 4:2:0 from any GL) or {@code off} (BGR everywhere: each
     * encoder converts on the CPU with swscale).
     */
    public static final String PROPERTY = "backdrop.yuv420";

    /** BGR for every sink. */
    public static Readback bgrOnly(FrameGeometry geometry) {
        return new Readback(geometry, true, false);
    }

    public static Readback forSinks(List<FrameSink> sinks, FrameGeometry geometry) {
        int width = geometry.width();
        int height = geometry.height();
        boolean possible = (geometry.layout() == PixelLayout.I420 || Compositor.yuv420Supported(width, height))
                && !"off".equals(mode());
        boolean yuv = false;
        boolean bgr = false;
        for (FrameSink sink : sinks) {
            if (possible && sink.takesYuv420(width, height)) {
                yuv = true;
            } else {
                bgr = true;
            }
        }
        return new Readback(geometry, bgr || !yuv, yuv);
    }

    /**
     * What to read back on this GL: as planned, or BGR alone where the GL rasterises on the CPU
     * (unless {@value #PROPERTY} is {@code on}).
     */
    public Readback onGl(boolean rasterisesOnCpu) {
        return yuv420 && rasterisesOnCpu && !"on".equals(mode()) ? bgrOnly(geometry) : this;
    }

    /**
     * Whether this sink is given the I420 image rather than the BGR one, where the compose stage
     * reads it back (see {@link #onGl}).
     */
    public boolean yuv420For(FrameSink sink) {
        return yuv420 && sink.takesYuv420(geometry.width(), geometry.height());
    }

    private static String mode() {
        return System.getProperty(PROPERTY, "auto");
    }
}
