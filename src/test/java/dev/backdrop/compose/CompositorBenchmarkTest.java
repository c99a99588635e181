package dev.backdrop.compose;

import dev.backdrop.capture.FrameGeometry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Timing, not correctness: run with {@code -Dbackdrop.bench=true}; prints mean ms per composite(). */
class CompositorBenchmarkTest {
    private static final int WARM_UP = 20;
    private static final int FRAMES = 20;
    private static final int BATCHES = 8;

    @Test
    void meanCompositeTime() {
        assumeTrue(Boolean.getBoolean("backdrop.bench"), "benchmark runs only with -Dbackdrop.bench=true");
        try (HeadlessGl gl = HeadlessGl.create()) {
            System.out.println("renderer: " + gl.renderer());
            // -Dbackdrop.bench.sizes=1280x720 to time fewer sizes (default 1280x720,640x360).
            String[] sizes = System.getProperty("backdrop.bench.sizes", "1280x720,640x360").split(",");
            BackgroundImage image = new BackgroundImage(1920, 1080, java.nio.ByteBuffer.allocateDirect(1920 * 1080 * 3));
            for (PixelLayout layout : PixelLayout.values()) {
                for (BackgroundImage background : new BackgroundImage[] {null, image}) {
                    for (String size : sizes) {
                        String[] wh = size.split("x");
                        for (Compositor.Engine engine : Compositor.Engine.values()) {
                            if (layout == PixelLayout.I420 && engine == Compositor.Engine.GL) {
                                continue; // the GL takes packed frames only
                            }
                            measure(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), background, layout, engine);
                        }
                    }
                }
            }
        }
    }

    /**
     * The CPU engine on a real clip's I420 frames (the live path on a machine without a GPU):
     * {@code -Dbackdrop.bench=true -Dbackdrop.bench.clip=PATH}, at the first of the sizes, with the
     * head-and-shoulders mask. {@code -Dbackdrop.bench.still=N} marks frames as the motion gate does
     * on a talking head (still since every Nth), so the blurred background is made on one frame in N.
     */
    @Test
    void clipOnTheCpuEngine() throws Exception {
        assumeTrue(Boolean.getBoolean("backdrop.bench"), "benchmark runs only with -Dbackdrop.bench=true");
        String clip = System.getProperty("backdrop.bench.clip", "");
        assumeTrue(!clip.isEmpty(), "runs only with -Dbackdrop.bench.clip=PATH");
        String[] wh = System.getProperty("backdrop.bench.sizes", "1280x720").split(",")[0].split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);
        int still = Integer.getInteger("backdrop.bench.still", 1);
        java.util.List<ByteBuffer> frames = Frame.i420Frames(clip, width, height, 100);
        FloatBuffer mask = Frame.personMask(256, 256);
        FrameGeometry geometry = new FrameGeometry(width, height, 256, 256, PixelLayout.I420);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Compositor c = Compositor.builder(geometry).layout(PixelLayout.I420).engine(Compositor.Engine.CPU).build()) {
            ByteBuffer work = ByteBuffer.allocateDirect(frames.get(0).capacity());
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 12; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < frames.size(); i++) {
                    work.put(0, frames.get(i), 0, work.capacity());
                    c.stillSince(i - i % still);
                    c.render(work, width, mask, i * 33_333L);
                }
                if (round >= 4) { // after the JIT's warm-up
                    best = Math.min(best, (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / frames.size());
                }
            }
            System.out.printf("composite CPU I420 %dx%d %s, blurred on 1 frame in %d: CPU %.2f ms/frame (best of 8"
                    + " rounds of %d frames)%n", width, height, clip, still, best, frames.size());
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void measure(int width, int height, BackgroundImage image, PixelLayout layout, Compositor.Engine engine) {
        int stride = layout.stride(width);
        ByteBuffer in = ByteBuffer.allocateDirect(layout.frameBytes(width, height));
        ByteBuffer out = ByteBuffer.allocateDirect(layout.frameBytes(width, height));
        Random random = new Random(7);
        for (int i = 0; i < in.capacity(); i++) {
            in.put(i, (byte) (layout == PixelLayout.RGBA && i % 4 == 3 ? 255 : random.nextInt(256)));
        }
        // The mask size of the model in use: -Dbackdrop.bench.mask=256x256 for the bundled selfie model.
        String[] maskSize = System.getProperty("backdrop.bench.mask", "256x144").split("x");
        int maskWidth = Integer.parseInt(maskSize[0]);
        int maskHeight = Integer.parseInt(maskSize[1]);
        FloatBuffer mask = Frame.personMask(maskWidth, maskHeight);
        try (Compositor c = Compositor.builder(new FrameGeometry(width, height, maskWidth, maskHeight)).shaders(Path.of("shaders"))
                .layout(layout).background(image == null ? null : new BackgroundFile.Image(image)).engine(engine).build()) {
            for (int i = 0; i < WARM_UP; i++) {
                c.composite(in, stride, mask, out);
            }
            // Best of several batches: the machine may be shared, and the least disturbed batch is the cost.
            // CPU time of the whole process (llvmpipe's threads included) is steadier than wall time on a
            // shared machine: it is what the compositor costs, wherever it runs.
            double ms = Double.MAX_VALUE;
            double cpuMs = Double.MAX_VALUE;
            for (int batch = 0; batch < BATCHES; batch++) {
                long start = System.nanoTime();
                long cpu = processCpuNanos();
                for (int i = 0; i < FRAMES; i++) {
                    c.composite(in, stride, mask, out);
                }
                ms = Math.min(ms, (System.nanoTime() - start) / 1e6 / FRAMES);
                cpuMs = Math.min(cpuMs, (processCpuNanos() - cpu) / 1e6 / FRAMES);
            }
            System.out.printf("composite %s %s %dx%d %s: %.2f ms/frame, CPU %.2f ms/frame (best of %d batches of %d)%n", engine,
                    layout, width, height, image == null ? "blur sigma 12 scale 0.25" : "replacement image", ms, cpuMs, BATCHES, FRAMES);
            if (!(c instanceof GlCompositor gl)) {
                return;
            }
            // Per pass: the GL is waited for after each, which costs a little overlap, so these sum to a bit more.
            gl.timePasses = true;
            double[] best = new double[GlCompositor.PASS_NAMES.length + 1];
            java.util.Arrays.fill(best, Double.MAX_VALUE);
            for (int batch = 0; batch < BATCHES; batch++) {
                java.util.Arrays.fill(gl.passNanos, 0);
                long readback = 0;
                for (int i = 0; i < FRAMES; i++) {
                    c.render(in, stride, mask);
                    long t = System.nanoTime();
                    c.readBack(out);
                    readback += System.nanoTime() - t;
                }
                for (int p = 0; p < GlCompositor.PASS_NAMES.length; p++) {
                    best[p] = Math.min(best[p], gl.passNanos[p] / 1e6 / FRAMES);
                }
                best[best.length - 1] = Math.min(best[best.length - 1], readback / 1e6 / FRAMES);
            }
            StringBuilder line = new StringBuilder("  per pass (ms, best batch each):");
            for (int p = 0; p < GlCompositor.PASS_NAMES.length; p++) {
                line.append(String.format(" %s %.2f", GlCompositor.PASS_NAMES[p], best[p]));
            }
            System.out.println(line.append(String.format(" readback %.2f", best[best.length - 1])));
        }
    }
}
