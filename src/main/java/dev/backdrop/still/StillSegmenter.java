package dev.backdrop.still;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.compose.BackgroundFile;
import dev.backdrop.compose.Compositor;
import dev.backdrop.compose.HeadlessGl;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.segment.InferenceRate;
import dev.backdrop.segment.SegmentationModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Runs the model and the compositor on single photos: the person mask at full resolution, raw
 * (the model's output stretched bilinearly) and refined (the compositor's mask passes), and the
 * composited photo. Use it on one thread: it owns a GL context.
 */
public final class StillSegmenter implements AutoCloseable {

    /** Masks are one byte per pixel, rows packed; composite is BGR24 with {@link Compositor#frameStride} rows, or null. */
    public record Result(int width, int height, byte[] rawMask, byte[] refinedMask, ByteBuffer composite, boolean modelRan) {
    }

    private final SegmentationModel model;
    private final ComposeSettings compose;
    /** The background named by the settings, opened once for every compositor; or null. */
    private final BackgroundFile background;
    private final Path shaderDir;
    private HeadlessGl gl;
    private Compositor compositor;
    private int compositorWidth;
    private int compositorHeight;
    private int compositorMaskWidth;
    private int compositorMaskHeight;
    private boolean resetCompositor;
    private final InferenceRate rate;

    public StillSegmenter(SegmentationModel model, ComposeSettings compose, Path shaderDir) {
        this(model, compose, shaderDir, new InferenceRate(1));
    }

    /** rate: which frames of a sequence ({@link #segmentNext}) the model runs on. */
    public StillSegmenter(SegmentationModel model, ComposeSettings compose, Path shaderDir, InferenceRate rate) {
        this.rate = rate;
        this.model = model;
        this.compose = compose;
        this.background = BackgroundFile.of(compose.background());
        this.shaderDir = shaderDir;
    }

    /** One photo on its own: a recurrent model and the temporal smoothing start afresh. */
    public Result segment(StillImage image, boolean withComposite) {
        startSequence();
        // A recurrent model's first frame has no past; a second pass over the same photo lets the state
        // settle (ccp_01* at 720 rows, rvm: IoU +0.0014, boundary F +0.0040). A video's first frame gets none,
        // as in process.
        return run(image, withComposite, model.recurrent());
    }

    /** Forgets the past: the next {@link #segmentNext} is a first frame, as at the start of a clip. */
    public void startSequence() {
        model.resetState();
        rate.restart();
        resetCompositor = true;
    }

    /** The next frame of a sequence: state carries over from the previous call, as in a video. */
    public Result segmentNext(StillImage image) {
        return run(image, false, false);
    }

    private Result run(StillImage image, boolean withComposite, boolean settle) {
        int maskWidth = model.maskWidth(image.width, image.height);
        int maskHeight = model.maskHeight(image.width, image.height);
        FloatBuffer mask = ByteBuffer.allocateDirect(maskWidth * maskHeight * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (settle) {
            model.predict(image.bgr, image.width, image.height, image.stride, mask);
        }
        boolean ran = rate.next(mask, image.bgr, PixelLayout.BGR24, image.width, image.height, image.stride,
                m -> model.predict(image.bgr, image.width, image.height, image.stride, m));
        byte[] raw = stretch(mask, maskWidth, maskHeight, image.width, image.height);

        Compositor c = compositorFor(image.width, image.height, maskWidth, maskHeight);
        if (resetCompositor) {
            c.reset(); // no temporal smoothing across unrelated photos
            resetCompositor = false;
        }
        c.render(image.bgr, image.stride, mask);
        byte[] refined = readRefinedMask(c, image.width, image.height);
        ByteBuffer composite = null;
        if (withComposite) {
            composite = ByteBuffer.allocateDirect(image.stride * image.height);
            c.readBack(composite);
        }
        return new Result(image.width, image.height, raw, refined, composite, ran);
    }

    private static byte[] readRefinedMask(Compositor c, int width, int height) {
        int stride = dev.backdrop.compose.Compositor.maskStride(width);
        ByteBuffer grey = ByteBuffer.allocateDirect(stride * height);
        c.readBackMask(grey);
        byte[] packed = new byte[width * height];
        for (int y = 0; y < height; y++) {
            grey.get(y * stride, packed, y * width, width);
        }
        return packed;
    }

    /** The model's mask stretched over the whole photo by bilinear interpolation, as bytes. */
    public static byte[] stretch(FloatBuffer mask, int maskWidth, int maskHeight, int width, int height) {
        try (Mat small = new Mat(maskHeight, maskWidth, CV_32FC1, new FloatPointer(mask));
             Mat big = new Mat();
             Mat bytes = new Mat();
             Size size = new Size(width, height)) {
            resize(small, big, size, 0, 0, INTER_LINEAR);
            big.convertTo(bytes, CV_8U, 255, 0);
            byte[] out = new byte[width * height];
            ByteBuffer src = bytes.createBuffer();
            for (int y = 0; y < height; y++) {
                src.get((int) (y * bytes.step()), out, y * width, width);
            }
            return out;
        }
    }

    /** One compositor per photo size; a folder of same-sized photos reuses it. */
    private Compositor compositorFor(int width, int height, int maskWidth, int maskHeight) {
        if (gl == null) {
            gl = HeadlessGl.create();
        }
        if (compositor == null || width != compositorWidth || height != compositorHeight
                || maskWidth != compositorMaskWidth || maskHeight != compositorMaskHeight) {
            if (compositor != null) {
                compositor.close();
            }
            compositor = Compositor.builder(new FrameGeometry(width, height, maskWidth, maskHeight)).settings(compose).shaders(shaderDir)
                    .background(background).build();
            compositor.drawMask(true); // every photo's refined mask is read back
            compositorWidth = width;
            compositorHeight = height;
            compositorMaskWidth = maskWidth;
            compositorMaskHeight = maskHeight;
        }
        return compositor;
    }

    @Override
    public void close() {
        if (compositor != null) {
            compositor.close();
        }
        if (gl != null) {
            gl.close();
        }
    }
}
