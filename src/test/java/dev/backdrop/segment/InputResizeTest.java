package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.capture.VideoSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** MediaPipe's selfie (global pools, bilinear upsampling, a transposed convolution) made to take 256x144. */
class InputResizeTest {
    private static final FrozenModel SELFIE = FrozenModel.load("selfie", Path.of("models"));

    @Test
    void selfieTakesA16By9InputAndFindsThePersonItFoundBefore() {
        FrozenModel wide = SELFIE.resized(256, 144);
        assertEquals(256, wide.width());
        assertEquals(144, wide.height());
        assertEquals(SELFIE.graph().getNodeCount(), wide.graph().getNodeCount(), "the same graph, sizes changed");
        // The bundled sample's first frame (640x360): at 256x144 as it is, and stretched to 256x256 for the original
        try (VideoSource clip = VideoSource.open("samples/astronaut.mp4", PixelLayout.BGR24)) {
            Frame f = clip.grab();
            while (f.image == null) {
                f = clip.grab();
            }
            float[] now = run(wide, rgb(f, 256, 144), 256, 144);
            float[] before = run(SELFIE, rgb(f, 256, 256), 256, 256);
            float[] beforeAt16By9 = new float[256 * 144];
            try (Mat in = new Mat(256, 256, CV_32FC1, new FloatPointer(before));
                 Mat out = new Mat(144, 256, CV_32FC1, new FloatPointer(beforeAt16By9))) {
                resize(in, out, out.size(), 0, 0, INTER_AREA);
                ((java.nio.FloatBuffer) out.createBuffer()).get(beforeAt16By9);
            }
            int both = 0;
            int either = 0;
            for (int i = 0; i < now.length; i++) {
                boolean a = now[i] > 0.5f;
                boolean b = beforeAt16By9[i] > 0.5f;
                both += a && b ? 1 : 0;
                either += a || b ? 1 : 0;
            }
            assertTrue(either > now.length / 10, "a person found: " + either + " of " + now.length);
            // Not fine-tuned at 16:9, it agrees with the original at IoU 0.73 here (BENCHMARKS.md: fine-tuning
            // there is what makes it as good); pools or upsampling gone wrong would find noise or nothing.
            assertTrue(both > 0.6 * either, "IoU with the original's mask " + (double) both / either);
        }
    }

    @Test
    void itsOwnSizeIsTheModelItself() {
        assertSame(SELFIE, SELFIE.resized(256, 256));
    }

    @Test
    void aSizeThatWouldNotScaleToWholePixelsIsRefusedWithWhatWould() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SELFIE.resized(250, 144));
        assertTrue(e.getMessage().startsWith("selfie cannot be resized to 250x144: "), e.getMessage());
        assertTrue(e.getMessage().contains("multiples of"), e.getMessage());
    }

    /** The frame's RGB in [0,1], area-resized to w x h. */
    private static float[] rgb(Frame f, int w, int h) {
        float[] rgb = new float[w * h * 3];
        try (Mat bgr = new Mat(f.imageHeight, f.imageWidth, CV_8UC3, new BytePointer((ByteBuffer) f.image[0]),
                f.imageStride); Mat small = new Mat(); Mat floats = new Mat(h, w, CV_32FC3, new FloatPointer(rgb))) {
            resize(bgr, small, new Size(w, h), 0, 0, INTER_AREA);
            cvtColor(small, small, COLOR_BGR2RGB);
            small.convertTo(floats, CV_32FC3, 1 / 255.0, 0);
            ((java.nio.FloatBuffer) floats.createBuffer()).get(rgb);
        }
        return rgb;
    }

    /** The model's mask for rgb (h x w x 3). */
    private static float[] run(FrozenModel model, float[] rgb, int w, int h) {
        try (Graph g = new Graph(); Session s = new Session(g);
             TFloat32 in = TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(rgb))) {
            g.importGraphDef(model.graph());
            try (Result r = s.runner().feed(model.input(), in).fetch(model.output()).run()) {
                TFloat32 out = (TFloat32) r.get(0);
                assertArrayEquals(new long[] {1, h, w, 1}, out.shape().asArray());
                float[] mask = new float[w * h];
                out.asRawTensor().data().asFloats().read(mask);
                return mask;
            }
        }
    }
}
