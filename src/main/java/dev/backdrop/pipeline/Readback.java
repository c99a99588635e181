package dev.backdrop.pipeline;

import dev.backdrop.compose.Compositor;
import dev.backdrop.output.FrameSink;
import java.util.List;

/**
 * What compositing reads back for the outputs: YUV 4:2:0, converted on the GL, for the sinks
 * that encode it at the frame's size (x264 files and streams), and BGR for every other sink (the
 * window, raw and v4l2 outputs, alpha outputs). Both when the outputs are mixed; BGR alone when
 * there are none, or the compositor cannot convert this size.
 *
 * @param width the frame size
 * @param height the frame size
 * @param bgr read back BGR into the slot's image
 * @param yuv420 read back I420 into the slot's {@link FrameSlot#yuv420}
 */
public record Readback(int width, int height, boolean bgr, boolean yuv420) {

    /**
     * The system property that, set to {@code off}, gives every sink BGR (its encoder then converts
     * on the CPU, as before the GL conversion): for comparisons.
     */
    public static final String PROPERTY = "backdrop.yuv420";

    /** BGR for every sink. */
    public static Readback bgrOnly(int width, int height) {
        return new Readback(width, height, true, false);
    }

    public static Readback forSinks(List<FrameSink> sinks, int width, int height) {
        boolean possible = Compositor.yuv420Supported(width, height) && !"off".equals(System.getProperty(PROPERTY));
        boolean yuv = false;
        boolean bgr = false;
        for (FrameSink sink : sinks) {
            if (possible && sink.takesYuv420(width, height)) {
                yuv = true;
            } else {
                bgr = true;
            }
        }
        return new Readback(width, height, bgr || !yuv, yuv);
    }

    /** Whether this sink is given the I420 image rather than the BGR one. */
    public boolean yuv420For(FrameSink sink) {
        return yuv420 && sink.takesYuv420(width, height);
    }
}
