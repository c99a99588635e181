package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.types.TFloat32;

/**
 * A person-segmentation (or matting) network, loaded, checked and ready; used by one thread at a time.
 * Any TF.js graph model, SavedModel or frozen GraphDef, described by its directory's model.yaml
 * (models/README.md). Recurrent models (RVM) keep their state between predict() calls.
 * A frame goes through its {@link FittedInput} into the graph's input, the {@link ModelRunner} runs the session
 * and decodes the output, and the {@link FrameFit} maps that back to a mask covering the frame.
 */
public final class SegmentationModel implements MaskPredictor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);

    private final String name;
    private final ModelOptions options;
    private final ModelDescriptor descriptor;
    private final ModelGraph graph;
    private final ModelTensors tensors;
    private final AspectMode aspect;
    private final ModelRunner runner;
    /** Null unless the options ask for test-time mirroring. */
    private final MirrorAverage mirror;
    /** The input side of the current frame size; null before the first frame. */
    private FittedInput in;
    private boolean closed;

    private SegmentationModel(String name, ModelDescriptor d, ModelOptions options, ModelGraph graph) {
        this.name = name;
        this.options = options;
        this.descriptor = d;
        this.graph = graph;
        this.tensors = ModelTensors.bind(graph, d);
        this.aspect = options.aspect() != null ? options.aspect()
                : d.aspect() != null ? d.aspect() : ModelOptions.DEFAULT_ASPECT;
        this.runner = new ModelRunner(graph.session, tensors, d, options);
        this.mirror = options.averaging() == Averaging.MIRROR
                ? new MirrorAverage(new ModelRunner(graph.session, tensors, d, options)) : null;
        try {
            warmUp();
        } catch (RuntimeException e) {
            releaseBuffers();
            throw e;
        }
    }

    /**
     * @param nameOrPath a bundled name ("selfie" -> modelsDir/selfie) or a path: a model directory (with
     *                   model.yaml, or model.json / saved_model.pb / one .pb), a model.json, or a frozen .pb
     */
    public static SegmentationModel load(String nameOrPath, Path modelsDir, ModelOptions options) {
        ModelOptions o = options != null ? options : ModelOptions.defaults();
        ModelLoader.Found found = ModelLoader.find(nameOrPath, modelsDir);
        ModelGraph graph = ModelLoader.open(found, o);
        try {
            SegmentationModel m = new SegmentationModel(found.name(), found.descriptor(), o, graph);
            LOG.debug("loaded {} from {} (input {}, output {})", m.description(), found.graph().file(),
                    m.tensors.input(), m.tensors.output());
            return m;
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * Starts loading TensorFlow's natives in the background, for a command that will load a model:
     * the first {@link #load} then waits only for what is left. Errors surface from that load.
     */
    public static void preloadNatives() {
        TensorFlowNatives.preload();
    }

    /**
     * Once a model is loaded and has run: drops TensorFlow's clean library pages from the resident
     * set (see {@link TensorFlowNatives#releaseCleanPages}); returns the kB dropped.
     */
    public static long releaseLoadTimePages() {
        return TensorFlowNatives.releaseCleanPages();
    }

    /** Where a model is: a bundled name resolved in modelsDir, or the path as given; a clear error when neither. */
    public static Path locate(String nameOrPath, Path modelsDir) {
        return ModelLoader.resolve(nameOrPath, modelsDir);
    }

    /** One run on a blank frame: checks the output, finds the device, pays TF's first-run cost now. */
    private void warmUp() {
        int w = tensors.fixedSize() ? tensors.inputWidth() : 256;
        int h = tensors.fixedSize() ? tensors.inputHeight() : 144;
        ByteBuffer blank = ByteBuffer.allocateDirect(w * h * 3);
        FloatBuffer mask = FloatBuffer.allocate(maskWidth(w, h) * maskHeight(w, h));
        try {
            predict(blank, PixelLayout.BGR24, w, h, w * 3, mask);
            resetState();
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ModelException.fromTensorFlow("TensorFlow cannot run the model in " + descriptor.source(), e);
        }
    }

    /** RVM's automatic downsample ratio for an input of this size and encoder size: 0.25 at 1280x720 and 320. */
    public static double autoDownsampleRatio(int width, int height, int encoderSide) {
        return DownsampleRatio.auto(width, height, encoderSide);
    }

    /** Width of the mask predict() writes for frames of this size. */
    public int maskWidth(int frameWidth, int frameHeight) {
        return fitTo(frameWidth, frameHeight, aspect).fit.maskW;
    }

    /** Height of the mask predict() writes for frames of this size. */
    public int maskHeight(int frameWidth, int frameHeight) {
        return fitTo(frameWidth, frameHeight, aspect).fit.maskH;
    }

    /** For the startup log line, e.g. "rvm (TF.js graph model, any size, downsample auto, CPU, 2 threads)". */
    /** The names --model takes: the models in modelsDir and in the user's models folder, sorted. */
    public static java.util.List<String> available(Path modelsDir) {
        return ModelLoader.available(modelsDir);
    }

    /** The names of the models in a models folder, sorted. */
    public static java.util.List<String> bundled(Path modelsDir) {
        return ModelLoader.bundled(modelsDir);
    }

    public String description() {
        StringBuilder sb = new StringBuilder(name).append(" (").append(graph.format).append(", ");
        int cap = options.maxInputSide();
        sb.append(tensors.fixedSize() ? inputSize() + ", " + aspect.lowerName()
                : cap > 0 ? "any size up to " + cap + " px" : "any size");
        sb.append(runner.describeFeeds()).append(mirror != null ? ", mirrored" : "");
        int t = options.intraOpThreads();
        String threads = t > 0 ? t + (t == 1 ? " thread" : " threads") : "default threads";
        return sb.append(", ").append(device()).append(", ").append(threads).append(')').toString();
    }

    /**
     * Where the graph runs, as TensorFlow reported it for the load-time run: "CPU", or "GPU:0 (device name)"
     * when any op was placed on a GPU.
     */
    public String device() {
        return runner.device();
    }

    /** Weights and FLOPs per frame of the loaded graph. */
    public GraphStats stats() {
        return GraphStats.of(graph.graph);
    }

    /** "256x256" for a fixed-size input, "any" for a model that runs at the frame's size. */
    public String inputSize() {
        return tensors.fixedSize() ? tensors.inputWidth() + "x" + tensors.inputHeight() : "any";
    }

    /** The aspect mode used for frames that do not fit a fixed-size input. */
    public AspectMode aspect() {
        return aspect;
    }

    /** Whether the model keeps state between frames. */
    public boolean recurrent() {
        return runner.recurrent();
    }

    /**
     * One BGR24 frame (rows top-first, {@code stride} bytes per row, from the buffer's position) -> person
     * probability or alpha in [0,1], maskWidth*maskHeight (for this frame size) floats, rows top-first,
     * covering the whole frame, written into {@code mask} from index 0 (neither buffer's position changes).
     */
    public void predict(ByteBuffer bgr, int width, int height, int stride, FloatBuffer mask) {
        predict(bgr, PixelLayout.BGR24, width, height, stride, mask);
    }

    /**
     * {@link #predict(ByteBuffer, int, int, int, FloatBuffer)} for a frame in this layout (BGR24, RGBA, or
     * I420 with stride the Y plane's).
     */
    @Override
    public void predict(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, FloatBuffer mask) {
        FittedInput input = fitTo(width, height, aspect);
        input.fit.requireMask(mask);
        input.fit.placeMask(run(input, input.fill(pixels, layout, stride)), mask);
    }

    /**
     * Runs a fixed-size model on a prepared input: inputWidth*inputHeight*3 floats from index 0, RGB
     * interleaved, in [0,1]; writes the inputWidth*inputHeight output (the stretch mapping).
     */
    public void predictRgb(FloatBuffer rgb, FloatBuffer mask) {
        checkOpen();
        if (!tensors.fixedSize()) {
            throw new IllegalStateException(name + " runs at any size; use predict()");
        }
        FittedInput input = fitTo(tensors.inputWidth(), tensors.inputHeight(), AspectMode.STRETCH);
        TFloat32 image = input.fill(rgb);
        input.fit.requireMask(mask);
        input.fit.placeMask(run(input, image), mask);
    }

    /** The mask at input size for the filled input, averaged with the mirrored run's when mirroring. */
    private float[] run(FittedInput input, TFloat32 image) {
        float[] mask = runner.run(image, input.fit);
        if (mirror != null) {
            mirror.average(mask, input);
        }
        return mask;
    }

    /** Recurrent models forget the past (first frame, scene cut, seek, new still); no-op otherwise. */
    public void resetState() {
        runner.resetState();
        if (mirror != null) {
            mirror.resetState();
        }
    }

    /** The input side for this frame size; a new one forgets the recurrent state, which belongs to one size. */
    private FittedInput fitTo(int frameW, int frameH, AspectMode mode) {
        checkOpen();
        if (in == null || !in.fit.sameAs(frameW, frameH, mode)) {
            FrameFit fit = new FrameFit(frameW, frameH, tensors.inputWidth(), tensors.inputHeight(),
                    options.maxInputSide(), mode);
            if (in != null) {
                in.close();
                in = null;
                resetState();
            }
            in = new FittedInput(fit, descriptor);
        }
        return in;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("segmentation model " + name + " is closed");
        }
    }

    private void releaseBuffers() {
        if (in != null) {
            in.close();
        }
        runner.close();
        if (mirror != null) {
            mirror.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseBuffers();
        graph.close();
    }
}
