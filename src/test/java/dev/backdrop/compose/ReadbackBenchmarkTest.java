package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.Blur;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lwjgl.opengl.GL30.*;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Timing, not correctness: run with {@code -Dbackdrop.bench=true}. Per frame, render plus: the BGR
 * readback and swscale's BGR to YUV 4:2:0 (what the encoder's input costs without the GL
 * conversion); the GL's YUV 4:2:0 conversion and readback through one pixel buffer (what the
 * pipeline does); and the same double-buffered, each frame's buffer mapped one frame later (a
 * frame of latency), to see whether the second buffer removes a stall on this GL. The variants
 * take turns batch by batch, so a noisy machine disturbs them alike.
 */
class ReadbackBenchmarkTest {
    private static final int WARM_UP = 10;
    private static final int FRAMES = 20;
    private static final int BATCHES = 8;
    private static final String[] VARIANTS = {"bgr + swscale", "yuv420", "yuv420 double-buffered"};

    @Test
    void readbackVariants() {
        assumeTrue(Boolean.getBoolean("backdrop.bench"), "benchmark runs only with -Dbackdrop.bench=true");
        try (HeadlessGl gl = HeadlessGl.create()) {
            System.out.println("renderer: " + gl.renderer());
            for (String size : System.getProperty("backdrop.bench.sizes", "1280x720,640x360").split(",")) {
                String[] wh = size.split("x");
                measure(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** BGR24 to YUV420P the way FFmpegFrameRecorder converts (SWS_BILINEAR, same size), into a scratch picture. */
    private static final class Swscale implements AutoCloseable {
        private final org.bytedeco.ffmpeg.swscale.SwsContext context;
        private final org.bytedeco.javacpp.BytePointer picture;
        private final org.bytedeco.javacpp.PointerPointer<?> planes;
        private final org.bytedeco.javacpp.IntPointer planeStrides;
        private final org.bytedeco.javacpp.IntPointer sourceStride = new org.bytedeco.javacpp.IntPointer(4);
        private final org.bytedeco.javacpp.PointerPointer<?> source = new org.bytedeco.javacpp.PointerPointer<>(4);
        private final int height;

        Swscale(int width, int height) {
            this.height = height;
            context = org.bytedeco.ffmpeg.global.swscale.sws_getContext(width, height,
                    org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24, width, height,
                    org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P,
                    org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR, null, null, (double[]) null);
            picture = new org.bytedeco.javacpp.BytePointer(Compositor.yuv420Bytes(width, height));
            planes = new org.bytedeco.javacpp.PointerPointer<>(picture, picture.getPointer((long) width * height),
                    picture.getPointer((long) width * height * 5 / 4), null);
            planeStrides = new org.bytedeco.javacpp.IntPointer(width, width / 2, width / 2, 0);
        }

        void convert(ByteBuffer bgr, int stride) {
            source.put(0, new org.bytedeco.javacpp.BytePointer(bgr));
            sourceStride.put(0, stride);
            org.bytedeco.ffmpeg.global.swscale.sws_scale(context, source, sourceStride, 0, height, planes, planeStrides);
        }

        @Override
        public void close() {
            org.bytedeco.ffmpeg.global.swscale.sws_freeContext(context);
            picture.close();
        }
    }

    private static void measure(int width, int height) {
        Frame in = Frame.noise(width, height, 7);
        Frame out = new Frame(width, height);
        ByteBuffer i420 = ByteBuffer.allocateDirect(Compositor.yuv420Bytes(width, height));
        FloatBuffer mask = Frame.mask(256, 256, (x, y) -> x < 128 ? 1f : 0f);
        try (Swscale swscale = new Swscale(width, height);
             GlCompositor c = new GlCompositor(new FrameGeometry(width, height, 256, 256), ComposeSettings.DEFAULT.with(new Blur(12f, 0.25f)), Path.of("shaders"));
             Yuv420Pass pass = new Yuv420Pass(Path.of("shaders"), width, height);
             PixelReader first = new PixelReader(width / 4, height * 3 / 2);
             PixelReader second = new PixelReader(width / 4, height * 3 / 2)) {
            PixelReader[] readers = {first, second};
            double[] wall = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] cpu = wall.clone();
            double[] readback = wall.clone();
            long[] frame = {0};
            for (int batch = -1; batch < BATCHES; batch++) {
                for (int v = 0; v < VARIANTS.length; v++) {
                    int frames = batch < 0 ? WARM_UP : FRAMES;
                    long start = System.nanoTime();
                    long startCpu = processCpuNanos();
                    long reading = 0;
                    for (int i = 0; i < frames; i++) {
                        c.render(in.data, in.stride, mask);
                        long t = System.nanoTime();
                        switch (v) {
                            case 0 -> {
                                c.readBack(out.data);
                                swscale.convert(out.data, out.stride);
                            }
                            case 1 -> c.readBackYuv420(i420);
                            default -> {
                                pass.run(c.outputTexture(), c.triangleForBenchmarks());
                                readers[(int) (frame[0] & 1)].start(GL_RGBA, 4);
                                if (frame[0] > 0) {
                                    readers[(int) ((frame[0] - 1) & 1)].finish(width, i420); // the previous frame
                                }
                                glBindFramebuffer(GL_FRAMEBUFFER, 0);
                                frame[0]++;
                            }
                        }
                        reading += System.nanoTime() - t;
                    }
                    if (batch >= 0) {
                        wall[v] = Math.min(wall[v], (System.nanoTime() - start) / 1e6 / frames);
                        cpu[v] = Math.min(cpu[v], (processCpuNanos() - startCpu) / 1e6 / frames);
                        readback[v] = Math.min(readback[v], reading / 1e6 / frames);
                    }
                }
            }
            for (int v = 0; v < VARIANTS.length; v++) {
                System.out.printf("%dx%d %-23s render+readback %.2f ms/frame (readback(+swscale) %.2f), process CPU %.2f ms/frame"
                        + " (best of %d batches of %d)%n", width, height, VARIANTS[v], wall[v], readback[v], cpu[v],
                        BATCHES, FRAMES);
            }
        }
    }
}
