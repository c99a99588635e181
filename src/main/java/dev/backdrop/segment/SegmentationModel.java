package dev.backdrop.segment;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** A person-segmentation network, loaded and ready; used by one thread at a time. */
public final class SegmentationModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);

    private final String name;
    private final String inputName;
    private final String outputName;
    private final int inputWidth;
    private final int inputHeight;
    private final int maskWidth;
    private final int maskHeight;
    private final int intraOpThreads;
    private final Graph graph;
    private final Session session;
    private final TFloat32 input;
    private final FloatDataBuffer inputData;
    private final float[] inputArray;
    private final float[] maskArray;
    private final FramePreprocessor preprocessor;
    private boolean closed;

    private SegmentationModel(String name, TfjsModelReader.TfjsModel model, int intraOpThreads, int interOpThreads) {
        this.name = name;
        this.inputName = model.inputName();
        this.outputName = model.outputName();
        this.intraOpThreads = intraOpThreads;
        long[] in = model.inputShape();
        if (in == null || in.length != 4 || in[3] != 3 || in[1] <= 0 || in[2] <= 0) {
            throw new ModelException(model.file() + ": input '" + inputName + "' has shape "
                    + (in == null ? "unknown" : Arrays.toString(in))
                    + "; Backdrop needs a fixed [1, height, width, 3] image input");
        }
        this.inputHeight = (int) in[1];
        this.inputWidth = (int) in[2];

        Graph g = new Graph();
        Session s = null;
        TFloat32 t = null;
        try {
            try {
                g.importGraphDef(model.graph());
            } catch (RuntimeException e) {
                throw new ModelException("TensorFlow rejects the graph in " + model.file() + ": " + e.getMessage(), e);
            }
            if (g.operation(inputName) == null || g.operation(outputName) == null) {
                throw new ModelException(model.file() + ": the graph has no node '"
                        + (g.operation(inputName) == null ? inputName : outputName) + "' named by its signature");
            }
            ConfigProto.Builder config = ConfigProto.newBuilder();
            if (intraOpThreads > 0) {
                config.setIntraOpParallelismThreads(intraOpThreads);
            }
            if (interOpThreads > 0) {
                config.setInterOpParallelismThreads(interOpThreads);
            }
            s = new Session(g, config.build());
            t = TFloat32.tensorOf(Shape.of(1, inputHeight, inputWidth, 3));
        } catch (RuntimeException e) {
            if (t != null) {
                t.close();
            }
            if (s != null) {
                s.close();
            }
            g.close();
            throw e;
        }
        this.graph = g;
        this.session = s;
        this.input = t;
        this.inputData = t.asRawTensor().data().asFloats();
        this.inputArray = new float[inputWidth * inputHeight * 3];

        // One run on a blank input: finds the mask size and pays TF's first-run cost at load time.
        int[] outHw = runOnce(model.file().toString());
        this.maskHeight = outHw[0];
        this.maskWidth = outHw[1];
        this.maskArray = new float[maskWidth * maskHeight];
        this.preprocessor = new FramePreprocessor(inputWidth, inputHeight);
    }

    /**
     * @param nameOrPath a bundled name ("selfie" -> modelsDir/selfie) or a path to a model directory
     *                   (containing model.json) or to a model.json file
     * @param intraOpThreads 0 = TensorFlow's default
     * @param interOpThreads 0 = TensorFlow's default
     */
    public static SegmentationModel load(String nameOrPath, Path modelsDir, int intraOpThreads, int interOpThreads) {
        Path modelJson = resolve(nameOrPath, modelsDir);
        Path dir = modelJson.toAbsolutePath().getParent();
        String name = dir.getFileName() != null ? dir.getFileName().toString() : nameOrPath;
        TfjsModelReader.TfjsModel model = TfjsModelReader.read(modelJson);
        SegmentationModel m = new SegmentationModel(name, model, intraOpThreads, interOpThreads);
        LOG.debug("loaded {} from {} (input {}, output {})", m.description(), modelJson, m.inputName, m.outputName);
        return m;
    }

    static Path resolve(String nameOrPath, Path modelsDir) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ModelException("no model given: name a bundled model (e.g. selfie) or a model directory");
        }
        boolean plainName = !nameOrPath.contains("/") && !nameOrPath.contains("\\") && !nameOrPath.endsWith(".json");
        if (plainName && modelsDir != null && Files.isDirectory(modelsDir.resolve(nameOrPath))) {
            return modelsDir.resolve(nameOrPath).resolve("model.json");
        }
        Path p = Path.of(nameOrPath);
        if (Files.isDirectory(p)) {
            return p.resolve("model.json");
        }
        if (Files.isRegularFile(p)) {
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
        msg.append("give a bundled model name or a directory holding model.json");
        throw new ModelException(msg.toString());
    }

    private static String bundledNames(Path modelsDir) {
        if (!Files.isDirectory(modelsDir)) {
            return "";
        }
        try (Stream<Path> s = Files.list(modelsDir)) {
            return String.join(", ", s.filter(d -> Files.isRegularFile(d.resolve("model.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList());
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private int[] runOnce(String file) {
        inputData.write(inputArray);
        try (Result r = session.runner().feed(inputName, input).fetch(outputName).run()) {
            Tensor out = r.get(0);
            long[] shape = out.shape().asArray();
            if (!(out instanceof TFloat32) || shape.length < 3 || shape[0] != 1
                    || (shape.length == 4 && shape[3] != 1)) {
                throw new ModelException(file + ": output '" + outputName + "' is " + out.dataType() + " "
                        + Arrays.toString(shape) + "; Backdrop needs float [1, height, width, 1]");
            }
            return new int[] {(int) shape[1], (int) shape[2]};
        } catch (ModelException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw new ModelException("TensorFlow cannot run the model in " + file + ": " + e.getMessage(), e);
        }
    }

    public int maskWidth() {
        return maskWidth;
    }

    public int maskHeight() {
        return maskHeight;
    }

    /** For the startup log line, e.g. "selfie (TF.js graph model, 256x256, CPU, 2 threads)". */
    public String description() {
        String threads = intraOpThreads > 0 ? intraOpThreads + (intraOpThreads == 1 ? " thread" : " threads")
                : "default threads";
        return name + " (TF.js graph model, " + inputWidth + "x" + inputHeight + ", CPU, " + threads + ")";
    }

    /**
     * One BGR24 frame (rows top-first, {@code stride} bytes per row, from the buffer's position) -> person
     * probability in [0,1], maskWidth*maskHeight floats, rows top-first, written into {@code mask} from index 0
     * (absolute puts: neither buffer's position changes). The frame is stretched to the model input.
     */
    public void predict(ByteBuffer bgr, int width, int height, int stride, FloatBuffer mask) {
        checkOpen();
        FloatBuffer rgb = preprocessor.process(bgr, width, height, stride);
        predictRgb(rgb, mask);
    }

    /** Runs on a prepared model input: maskHeight*maskWidth*3 floats from index 0, RGB interleaved, in [0,1]. */
    public void predictRgb(FloatBuffer rgb, FloatBuffer mask) {
        checkOpen();
        if (rgb.capacity() < inputArray.length) {
            throw new IllegalArgumentException("rgb holds " + rgb.capacity() + " floats, the model needs " + inputArray.length);
        }
        if (mask.capacity() < maskArray.length) {
            throw new IllegalArgumentException("mask holds " + mask.capacity() + " floats, the model writes " + maskArray.length);
        }
        rgb.get(0, inputArray);
        inputData.write(inputArray);
        try (Result r = session.runner().feed(inputName, input).fetch(outputName).run()) {
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(maskArray);
        }
        mask.put(0, maskArray);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("segmentation model " + name + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (preprocessor != null) {
            preprocessor.close();
        }
        input.close();
        session.close();
        graph.close();
    }
    /** Forgets earlier frames; the selfie model has no memory, so there is nothing to forget. */
    public void resetState() {
    }
}
