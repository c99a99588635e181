package dev.backdrop.segment;

import dev.backdrop.capture.PixelLayout;
import dev.backdrop.threads.NativeThreadNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * A person-segmentation (or matting) network, loaded, checked and ready; used by one thread at a time.
 * Any TF.js graph model, SavedModel or frozen GraphDef, described by its directory's model.yaml
 * (models/README.md). Recurrent models (RVM) keep their state between predict() calls.
 */
public final class SegmentationModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);

    private final String name;
    private final ModelDescriptor descriptor;
    private final ModelOptions options;
    private final ModelGraph model;
    private final Session session;
    private final String inputName;
    private final String outputName;
    private final String[] stateIn;
    private final String[] stateOut;
    private final String downsampleName;
    /** Model input size; 0 when the model runs at any size (then the frame's size). */
    private final int fixedWidth;
    private final int fixedHeight;
    private final AspectMode aspect;
    private final String device;
    private final TFloat32 zeroState;
    private boolean closed;

    // Per frame geometry, rebuilt when the frame size changes.
    private Geometry geo;
    // Recurrent state: the previous run's Result owns the state tensors fed into the next run.
    private Result previous;
    private final Tensor[] state;
    private TFloat32 ratioTensor;
    private float ratioValue = Float.NaN;
    private float[] outArray = new float[0];

    private SegmentationModel(String name, ModelDescriptor d, ModelOptions options, ModelGraph model) {
        this.name = name;
        this.descriptor = d;
        this.options = options;
        this.model = model;
        this.session = model.session;
        String src = d.source().toString();

        String in = d.inputName() != null ? model.inputTensor(d.inputName()) : model.defaultInput;
        if (in == null) {
            throw new ModelException(src + ": cannot tell which input is the image; name it with 'input.name' in"
                    + " model.yaml");
        }
        String out = d.outputName() != null ? model.outputTensor(d.outputName()) : model.defaultOutput;
        if (out == null) {
            throw new ModelException(src + ": cannot tell which output is the mask; name it with 'output.name' in"
                    + " model.yaml");
        }
        this.inputName = in;
        this.outputName = out;
        requireNode(in, d.inputName() != null ? "input.name" : "the signature's input", src);
        requireNode(out, d.outputName() != null ? "output.name" : "the signature's output", src);
        this.stateIn = new String[d.states().size()];
        this.stateOut = new String[d.states().size()];
        for (int i = 0; i < stateIn.length; i++) {
            stateIn[i] = model.inputTensor(d.states().get(i).input());
            stateOut[i] = model.outputTensor(d.states().get(i).output());
            requireNode(stateIn[i], "state[" + i + "].input", src);
            requireNode(stateOut[i], "state[" + i + "].output", src);
        }
        this.state = new Tensor[stateIn.length];
        this.downsampleName = d.downsampleInput() == null ? null : model.inputTensor(d.downsampleInput());
        if (downsampleName != null) {
            requireNode(downsampleName, "downsample_ratio", src);
        }

        int w = d.width();
        int h = d.height();
        if (w > 0) {
            checkDeclaredSize(model.placeholderShape(in), in, d, src);
        } else if (w < 0) {
            long[] shape = model.placeholderShape(in);
            if (shape != null && shape.length == 4) {
                long sh = d.nchw() ? shape[2] : shape[1];
                long sw = d.nchw() ? shape[3] : shape[2];
                long c = d.nchw() ? shape[1] : shape[3];
                if (c != 3 && c > 0) {
                    throw new ModelException(src + ": input '" + in + "' has shape " + Arrays.toString(shape)
                            + "; Backdrop needs a [1, height, width, 3] image input (or say layout: nchw)");
                }
                w = sw > 0 && sh > 0 ? (int) sw : 0;
                h = sw > 0 && sh > 0 ? (int) sh : 0;
            } else {
                w = 0;
                h = 0;
            }
        }
        this.fixedWidth = w;
        this.fixedHeight = h;
        this.aspect = options.aspect() != null ? options.aspect()
                : d.aspect() != null ? d.aspect() : ModelOptions.DEFAULT_ASPECT;
        this.zeroState = stateIn.length > 0 ? TFloat32.scalarOf(0f) : null;

        // One run on a blank frame: checks the output, finds the device, pays TF's first-run cost now.
        int fw = fixedWidth > 0 ? fixedWidth : 256;
        int fh = fixedHeight > 0 ? fixedHeight : 144;
        ByteBuffer blank = ByteBuffer.allocateDirect(fw * fh * 3);
        FloatBuffer mask = FloatBuffer.allocate(maskWidth(fw, fh) * maskHeight(fw, fh));
        String dev;
        try {
            dev = run(blank, PixelLayout.BGR24, fw, fh, fw * 3, mask, true);
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ModelException.fromTensorFlow("TensorFlow cannot run the model in " + src, e);
        }
        this.device = dev;
        resetState();
    }

    /** model.yaml's input.size against the size the graph's input declares, when it declares one. */
    private static void checkDeclaredSize(long[] shape, String in, ModelDescriptor d, String src) {
        if (shape == null || shape.length != 4) {
            return;
        }
        long sh = d.nchw() ? shape[2] : shape[1];
        long sw = d.nchw() ? shape[3] : shape[2];
        if ((sw > 0 && sw != d.width()) || (sh > 0 && sh != d.height())) {
            throw new ModelException(src + ": input.size is " + d.width() + "x" + d.height() + " but the graph's input '"
                    + in + "' has shape " + Arrays.toString(shape) + "; set input.size to " + sw + "x" + sh
                    + " or leave it out");
        }
    }

    private void requireNode(String tensor, String what, String src) {
        if (!model.has(tensor)) {
            throw new ModelException(src + ": the graph has no tensor '" + tensor + "' (" + what + ")"
                    + (model.signatureInputs.isEmpty() && model.signatureOutputs.isEmpty() ? ""
                    : "; signature names: inputs " + model.signatureInputs.keySet() + ", outputs "
                    + model.signatureOutputs.keySet()));
        }
    }

    /**
     * @param nameOrPath a bundled name ("selfie" -> modelsDir/selfie) or a path: a model directory (with
     *                   model.yaml, or model.json / saved_model.pb / one .pb), a model.json, or a frozen .pb
     */
    public static SegmentationModel load(String nameOrPath, Path modelsDir, ModelOptions options) {
        if (options == null) {
            options = ModelOptions.defaults();
        }
        TensorFlowNatives.load();
        Path target = resolve(nameOrPath, modelsDir);
        Path dir;
        ModelDescriptor d;
        ModelGraph.Located where;
        if (Files.isDirectory(target)) {
            dir = target;
            Path yaml = dir.resolve(ModelDescriptor.FILE_NAME);
            d = Files.isRegularFile(yaml) ? ModelDescriptor.read(yaml) : ModelDescriptor.inferred(dir);
            where = ModelGraph.locate(dir, d);
        } else {
            dir = target.toAbsolutePath().getParent();
            String file = target.getFileName().toString();
            Path yaml = dir.resolve(ModelDescriptor.FILE_NAME);
            if (file.equals(ModelDescriptor.FILE_NAME)) {
                d = ModelDescriptor.read(target);
                where = ModelGraph.locate(dir, d);
            } else {
                d = Files.isRegularFile(yaml) ? ModelDescriptor.read(yaml) : ModelDescriptor.inferred(dir);
                String fmt = file.endsWith(".json") ? "tfjs" : file.equals("saved_model.pb") ? "savedmodel" : "frozen";
                where = new ModelGraph.Located(fmt, target.toAbsolutePath());
            }
        }
        String name = dir.getFileName() != null ? dir.getFileName().toString() : nameOrPath;
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (options.intraOpThreads() > 0) {
            config.setIntraOpParallelismThreads(options.intraOpThreads());
        }
        if (options.interOpThreads() > 0) {
            config.setInterOpParallelismThreads(options.interOpThreads());
        }
        ConfigProto sessionConfig = config.build();
        ModelGraph.Located located = where;
        ModelDescriptor descriptor = d;
        ModelLimits limits = options.limits();
        // TensorFlow's pool threads, started with the session, are named "tensorflow"
        ModelGraph graph = NativeThreadNames.startingAs("tensorflow",
                () -> ModelGraph.open(located, descriptor, sessionConfig, limits));
        try {
            SegmentationModel m = new SegmentationModel(name, d, options, graph);
            LOG.debug("loaded {} from {} (input {}, output {})", m.description(), where.file(), m.inputName,
                    m.outputName);
            return m;
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    static Path resolve(String nameOrPath, Path modelsDir) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ModelException("no model given: name a bundled model (e.g. selfie) or a model directory");
        }
        boolean plainName = !nameOrPath.contains("/") && !nameOrPath.contains("\\") && !nameOrPath.contains(".");
        if (plainName && modelsDir != null && Files.isDirectory(modelsDir.resolve(nameOrPath))) {
            return modelsDir.resolve(nameOrPath);
        }
        Path p = Path.of(nameOrPath);
        if (Files.isDirectory(p) || Files.isRegularFile(p)) {
            return p;
        }
        StringBuilder msg = new StringBuilder("model '").append(nameOrPath).append("' not found: ");
        if (plainName && modelsDir != null) {
            msg.append("there is no ").append(modelsDir.resolve(nameOrPath)).append(" directory");
            String bundled = bundledNames(modelsDir);
            msg.append(bundled.isEmpty() ? "" : " (bundled models: " + bundled + ")");
            msg.append(", and no such path; ");
        } else {
            msg.append(p.toAbsolutePath()).append(" does not exist; ");
        }
        msg.append("give a bundled model name or a model directory");
        throw new ModelException(msg.toString());
    }

    private static String bundledNames(Path modelsDir) {
        if (!Files.isDirectory(modelsDir)) {
            return "";
        }
        try (Stream<Path> s = Files.list(modelsDir)) {
            return String.join(", ", s.filter(d -> Files.isRegularFile(d.resolve("model.json"))
                            || Files.isRegularFile(d.resolve(ModelDescriptor.FILE_NAME)))
                    .map(d -> d.getFileName().toString()).sorted().toList());
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** RVM's downsample ratio for a frame: 0.25 at 1280x720, 0.4 at 640x360, smaller for larger frames. */
    public static double autoDownsampleRatio(int width, int height) {
        int longSide = Math.max(width, height);
        double r = 0.25 * Math.pow(1280.0 / longSide, Math.log(1.6) / Math.log(2));
        return Math.round(Math.max(0.05, Math.min(1.0, r)) * 1000) / 1000.0;
    }

    /** Width of the mask predict() writes for frames of this size. */
    public int maskWidth(int frameWidth, int frameHeight) {
        return geometry(frameWidth, frameHeight).maskW;
    }

    /** Height of the mask predict() writes for frames of this size. */
    public int maskHeight(int frameWidth, int frameHeight) {
        return geometry(frameWidth, frameHeight).maskH;
    }

    /** For the startup log line, e.g. "rvm (TF.js graph model, any size, downsample auto, CPU, 2 threads)". */
    public String description() {
        StringBuilder sb = new StringBuilder(name).append(" (").append(model.format).append(", ");
        if (fixedWidth > 0) {
            sb.append(fixedWidth).append('x').append(fixedHeight).append(", ").append(aspect.lowerName());
        } else {
            sb.append("any size");
        }
        if (downsampleName != null) {
            sb.append(", downsample ").append(options.downsampleRatio() > 0 ? options.downsampleRatio() : "auto");
        }
        if (stateIn.length > 0) {
            sb.append(", recurrent");
        }
        int t = options.intraOpThreads();
        String threads = t > 0 ? t + (t == 1 ? " thread" : " threads") : "default threads";
        return sb.append(", ").append(device).append(", ").append(threads).append(')').toString();
    }

    /**
     * Where the graph runs, as TensorFlow reported it for the load-time run: "CPU", or "GPU:0 (device name)"
     * when any op was placed on a GPU.
     */
    public String device() {
        return device;
    }

    /** Weights and FLOPs per frame of the loaded graph. */
    public GraphStats stats() {
        return GraphStats.of(model.graph);
    }

    /** "256x256" for a fixed-size input, "any" for a model that runs at the frame's size. */
    public String inputSize() {
        return fixedWidth > 0 ? fixedWidth + "x" + fixedHeight : "any";
    }

    /** The aspect mode used for frames that do not fit a fixed-size input. */
    public AspectMode aspect() {
        return aspect;
    }

    /** Whether the model keeps state between frames. */
    public boolean recurrent() {
        return stateIn.length > 0;
    }

    /**
     * One BGR24 frame (rows top-first, {@code stride} bytes per row, from the buffer's position) -> person
     * probability or alpha in [0,1], maskWidth*maskHeight (for this frame size) floats, rows top-first,
     * covering the whole frame, written into {@code mask} from index 0 (neither buffer's position changes).
     */
    public void predict(ByteBuffer bgr, int width, int height, int stride, FloatBuffer mask) {
        predict(bgr, PixelLayout.BGR24, width, height, stride, mask);
    }

    /** {@link #predict(ByteBuffer, int, int, int, FloatBuffer)} for a frame in this layout (BGR24 or RGBA). */
    public void predict(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, FloatBuffer mask) {
        checkOpen();
        run(pixels, layout, width, height, stride, mask, false);
    }

    /**
     * Runs a fixed-size model on a prepared input: inputWidth*inputHeight*3 floats from index 0, RGB
     * interleaved, in [0,1]; writes the inputWidth*inputHeight output (the stretch mapping).
     */
    public void predictRgb(FloatBuffer rgb, FloatBuffer mask) {
        checkOpen();
        if (fixedWidth == 0) {
            throw new IllegalStateException(name + " runs at any size; use predict()");
        }
        Geometry g = geometryFor(fixedWidth, fixedHeight, AspectMode.STRETCH);
        if (rgb.capacity() < g.input.length) {
            throw new IllegalArgumentException("rgb holds " + rgb.capacity() + " floats, the model needs " + g.input.length);
        }
        if (mask.capacity() < g.maskW * g.maskH) {
            throw new IllegalArgumentException("mask holds " + mask.capacity() + " floats, the model writes "
                    + g.maskW * g.maskH);
        }
        rgb.get(0, g.input);
        transformInput(g);
        infer(g, mask, false);
    }

    /** Recurrent models forget the past (first frame, scene cut, seek, new still); no-op otherwise. */
    public void resetState() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
        Arrays.fill(state, null);
    }

    private String run(ByteBuffer pixels, PixelLayout layout, int width, int height, int stride, FloatBuffer mask,
                       boolean trace) {
        Geometry g = geometry(width, height);
        if (mask.capacity() < g.maskW * g.maskH) {
            throw new IllegalArgumentException("mask holds " + mask.capacity() + " floats, the model writes "
                    + g.maskW + "x" + g.maskH + " for " + width + "x" + height + " frames");
        }
        FloatBuffer rgb = g.preprocessor.process(pixels, layout, width, height, stride);
        // Model-input-sized RGB in [0,1]: the scaled frame placed per the aspect mode.
        if (g.mode == AspectMode.LETTERBOX && fixedWidth > 0) {
            for (int y = 0; y < g.scaledH; y++) {
                rgb.get(y * g.scaledW * 3, g.input, ((y + g.offY) * g.inW + g.offX) * 3, g.scaledW * 3);
            }
        } else if (g.mode == AspectMode.CROP && fixedWidth > 0) {
            for (int y = 0; y < g.inH; y++) {
                rgb.get(((y + g.offY) * g.scaledW + g.offX) * 3, g.input, y * g.inW * 3, g.inW * 3);
            }
        } else {
            rgb.get(0, g.input, 0, g.input.length);
        }
        transformInput(g);
        return infer(g, mask, trace);
    }

    /** [0,1] RGB NHWC -> the model's range, colour order and layout, in place. */
    private void transformInput(Geometry g) {
        float[] a = g.input;
        float lo = descriptor.rangeMin();
        float span = descriptor.rangeMax() - descriptor.rangeMin();
        if (lo != 0 || span != 1) {
            for (int i = 0; i < a.length; i++) {
                a[i] = lo + a[i] * span;
            }
        }
        if (descriptor.bgr()) {
            for (int i = 0; i < a.length; i += 3) {
                float r = a[i];
                a[i] = a[i + 2];
                a[i + 2] = r;
            }
        }
        if (descriptor.nchw()) {
            int plane = g.inW * g.inH;
            float[] t = g.scratch;
            for (int p = 0; p < plane; p++) {
                t[p] = a[p * 3];
                t[plane + p] = a[p * 3 + 1];
                t[2 * plane + p] = a[p * 3 + 2];
            }
            System.arraycopy(t, 0, a, 0, a.length);
        }
        g.inputData.write(a);
    }

    private String infer(Geometry g, FloatBuffer mask, boolean trace) {
        Session.Runner runner = session.runner().feed(inputName, g.tensor).fetch(outputName);
        for (int i = 0; i < stateIn.length; i++) {
            runner.feed(stateIn[i], state[i] != null ? state[i] : zeroState);
            runner.fetch(stateOut[i]);
        }
        if (downsampleName != null) {
            float ratio = (float) (options.downsampleRatio() > 0 ? options.downsampleRatio()
                    : autoDownsampleRatio(g.frameW, g.frameH));
            if (ratio != ratioValue) {
                if (ratioTensor != null) {
                    ratioTensor.close();
                }
                ratioTensor = TFloat32.scalarOf(ratio);
                ratioValue = ratio;
            }
            runner.feed(downsampleName, ratioTensor);
        }
        String dev = null;
        Result r;
        if (trace) {
            runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build());
            r = runner.runAndFetchMetadata();
            dev = deviceOf(r.getMetadata().orElse(null));
        } else {
            r = runner.run();
        }
        boolean keep = false;
        try {
            writeMask(g, r.get(0), mask);
            if (stateIn.length > 0) {
                // The new state replaces the old; the Result that held the old one is closed now.
                for (int i = 0; i < stateIn.length; i++) {
                    state[i] = r.get(1 + i);
                }
                if (previous != null) {
                    previous.close();
                }
                previous = r;
                keep = true;
            }
        } finally {
            if (!keep) {
                r.close();
            }
        }
        return dev;
    }

    private static String deviceOf(RunMetadata meta) {
        if (meta == null) {
            return "CPU";
        }
        for (DeviceStepStats d : meta.getStepStats().getDevStatsList()) {
            String dev = d.getDevice();
            int i = dev.indexOf("GPU:");
            if (i >= 0 && d.getNodeStatsCount() > 0) {
                return dev.substring(i) + " (" + dev + ", " + d.getNodeStatsCount() + " ops)";
            }
        }
        return "CPU";
    }

    /** Output tensor -> [0,1] per output pixel -> input resolution -> the frame-covering mask. */
    private void writeMask(Geometry g, Tensor out, FloatBuffer mask) {
        long[] s = out.shape().asArray();
        String src = descriptor.source().toString();
        if (!(out instanceof TFloat32) || s.length < 3 || s.length > 4 || s[0] != 1) {
            throw new ModelException(src + ": output '" + outputName + "' is " + out.dataType() + " "
                    + Arrays.toString(s) + "; Backdrop needs float [1, height, width, channels]");
        }
        boolean nchw = descriptor.nchw() && s.length == 4;
        int oh = (int) (nchw ? s[2] : s[1]);
        int ow = (int) (nchw ? s[3] : s[2]);
        int c = s.length == 3 ? 1 : (int) (nchw ? s[1] : s[3]);
        ModelDescriptor.OutputKind kind = descriptor.outputKind();
        int need = kind == ModelDescriptor.OutputKind.SOFTMAX ? 2 : 1;
        if (c != need) {
            throw new ModelException(src + ": output '" + outputName + "' has " + c + " channel(s) "
                    + Arrays.toString(s) + ", but output.kind " + kind.name().toLowerCase() + " needs " + need);
        }
        int n = ow * oh;
        if (outArray.length != n * c) {
            outArray = new float[n * c];
        }
        ((TFloat32) out).asRawTensor().data().asFloats().read(outArray);
        float[] prob = g.prob(ow, oh);
        if (kind == ModelDescriptor.OutputKind.SOFTMAX) {
            int pc = descriptor.personChannel();
            boolean probabilities = true;
            for (int i = 0; i < n && probabilities; i++) {
                float a = nchw ? outArray[i] : outArray[i * 2];
                float b = nchw ? outArray[n + i] : outArray[i * 2 + 1];
                probabilities = a >= -1e-4f && b >= -1e-4f && Math.abs(a + b - 1) < 1e-3f;
            }
            for (int i = 0; i < n; i++) {
                float p = nchw ? outArray[pc * n + i] : outArray[i * 2 + pc];
                float q = nchw ? outArray[(1 - pc) * n + i] : outArray[i * 2 + 1 - pc];
                prob[i] = probabilities ? p : (float) (1 / (1 + Math.exp(q - p)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                float v = outArray[i];
                prob[i] = v < 0 ? 0 : v > 1 ? 1 : v;
            }
        }
        float[] full = g.toInputSize(prob, ow, oh);
        int mw = g.maskW;
        if (fixedWidth == 0 || g.mode == AspectMode.STRETCH) {
            mask.put(0, full, 0, g.maskW * g.maskH);
        } else if (g.mode == AspectMode.LETTERBOX) {
            for (int y = 0; y < g.maskH; y++) {
                mask.put(y * mw, full, (y + g.offY) * g.inW + g.offX, mw);
            }
        } else {
            // CROP: the model saw the centre; the cut-off margins count as background.
            for (int y = 0; y < g.maskH; y++) {
                int row = y - g.offY;
                if (row < 0 || row >= g.inH) {
                    mask.put(y * mw, g.zeros, 0, mw);
                } else {
                    mask.put(y * mw, g.zeros, 0, g.offX);
                    mask.put(y * mw + g.offX, full, row * g.inW, g.inW);
                    mask.put(y * mw + g.offX + g.inW, g.zeros, 0, mw - g.offX - g.inW);
                }
            }
        }
    }

    private Geometry geometry(int frameW, int frameH) {
        if (frameW <= 0 || frameH <= 0) {
            throw new IllegalArgumentException("bad frame size " + frameW + "x" + frameH);
        }
        checkOpen();
        if (geo == null || geo.frameW != frameW || geo.frameH != frameH || geo.mode != modeFor()) {
            Geometry g = new Geometry(frameW, frameH, modeFor());
            if (geo != null) {
                geo.close();
                // A recurrent state belongs to one frame size.
                resetState();
            }
            geo = g;
        }
        return geo;
    }

    private AspectMode modeFor() {
        return aspect;
    }

    private Geometry geometryFor(int frameW, int frameH, AspectMode mode) {
        if (geo == null || geo.frameW != frameW || geo.frameH != frameH || geo.mode != mode) {
            if (geo != null) {
                geo.close();
            }
            geo = new Geometry(frameW, frameH, mode);
        }
        return geo;
    }

    /** Sizes, offsets and buffers for one frame size. */
    private final class Geometry implements AutoCloseable {
        final int frameW;
        final int frameH;
        final AspectMode mode;
        final int inW;
        final int inH;
        final int scaledW;
        final int scaledH;
        final int offX;
        final int offY;
        final int maskW;
        final int maskH;
        final FramePreprocessor preprocessor;
        final float[] input;
        final float[] scratch;
        final float[] zeros;
        final TFloat32 tensor;
        final FloatDataBuffer inputData;
        private float[] prob = new float[0];
        private FloatBuffer resizeSrc;
        private FloatBuffer resizeDst;
        private Mat srcMat;
        private Mat dstMat;
        private Size dstSize;
        private final float[] full;

        Geometry(int frameW, int frameH, AspectMode mode) {
            this.frameW = frameW;
            this.frameH = frameH;
            this.mode = mode;
            if (fixedWidth == 0) {
                inW = frameW;
                inH = frameH;
                scaledW = frameW;
                scaledH = frameH;
                offX = 0;
                offY = 0;
                maskW = frameW;
                maskH = frameH;
            } else {
                inW = fixedWidth;
                inH = fixedHeight;
                double sx = (double) inW / frameW;
                double sy = (double) inH / frameH;
                if (mode == AspectMode.LETTERBOX) {
                    double s = Math.min(sx, sy);
                    scaledW = clamp((int) Math.round(frameW * s), 1, inW);
                    scaledH = clamp((int) Math.round(frameH * s), 1, inH);
                    offX = (inW - scaledW) / 2;
                    offY = (inH - scaledH) / 2;
                    maskW = scaledW;
                    maskH = scaledH;
                } else if (mode == AspectMode.CROP) {
                    double s = Math.max(sx, sy);
                    scaledW = Math.max(inW, (int) Math.round(frameW * s));
                    scaledH = Math.max(inH, (int) Math.round(frameH * s));
                    offX = (scaledW - inW) / 2;
                    offY = (scaledH - inH) / 2;
                    maskW = scaledW;
                    maskH = scaledH;
                } else {
                    scaledW = inW;
                    scaledH = inH;
                    offX = 0;
                    offY = 0;
                    maskW = inW;
                    maskH = inH;
                }
            }
            input = new float[inW * inH * 3];
            scratch = descriptor.nchw() ? new float[input.length] : null;
            zeros = new float[Math.max(maskW, 1)];
            full = fixedWidth == 0 ? null : new float[inW * inH];
            preprocessor = new FramePreprocessor(scaledW, scaledH);
            tensor = descriptor.nchw() ? TFloat32.tensorOf(Shape.of(1, 3, inH, inW))
                    : TFloat32.tensorOf(Shape.of(1, inH, inW, 3));
            inputData = tensor.asRawTensor().data().asFloats();
        }

        float[] prob(int ow, int oh) {
            if (prob.length != ow * oh) {
                prob = new float[ow * oh];
            }
            return prob;
        }

        /** The probability map at the model's input resolution (bilinear when the output is smaller). */
        float[] toInputSize(float[] p, int ow, int oh) {
            if (ow == inW && oh == inH) {
                return p;
            }
            if (resizeSrc == null || resizeSrc.capacity() != ow * oh) {
                releaseResize();
                resizeSrc = ByteBuffer.allocateDirect(ow * oh * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                resizeDst = ByteBuffer.allocateDirect(inW * inH * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                srcMat = new Mat(oh, ow, opencv_core.CV_32FC1, new FloatPointer(resizeSrc));
                dstMat = new Mat(inH, inW, opencv_core.CV_32FC1, new FloatPointer(resizeDst));
                dstSize = new Size(inW, inH);
            }
            resizeSrc.put(0, p, 0, ow * oh);
            opencv_imgproc.resize(srcMat, dstMat, dstSize, 0, 0, opencv_imgproc.INTER_LINEAR);
            float[] out = full != null ? full : new float[inW * inH];
            resizeDst.get(0, out, 0, inW * inH);
            return out;
        }

        private void releaseResize() {
            if (srcMat != null) {
                srcMat.close();
                dstMat.close();
                dstSize.close();
                srcMat = null;
            }
        }

        @Override
        public void close() {
            releaseResize();
            preprocessor.close();
            tensor.close();
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("segmentation model " + name + " is closed");
        }
    }

    /** The tensor names in use, for tests and logs. */
    List<String> tensorNames() {
        List<String> l = new ArrayList<>(List.of(inputName, outputName));
        l.addAll(Arrays.asList(stateIn));
        l.addAll(Arrays.asList(stateOut));
        return l;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        resetState();
        closed = true;
        if (geo != null) {
            geo.close();
        }
        if (ratioTensor != null) {
            ratioTensor.close();
        }
        if (zeroState != null) {
            zeroState.close();
        }
        model.close();
    }
}
