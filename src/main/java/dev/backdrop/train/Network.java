package dev.backdrop.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A network that {@code backdrop train} can optimise: our own U-Net, or any model Backdrop loads, imported with
 * its weights made trainable. Each adds itself to the training graph the same way and exports itself as a model
 * folder that segmentation loads.
 */
interface Network {

    /** Training input width; images are fed at this size. */
    int width();

    int height();

    /** One line: what the network is, its size and how many of its weights train. */
    String describe();

    /**
     * The network in graph: images [n, height, width, 3], RGB in [0, 1], in; person logits [n, height, width, 1]
     * out.
     *
     * @param initial the trainable weights to start from by name (resuming); null for the network's own start
     */
    Built build(Graph graph, Ops tf, Map<String, float[]> initial);

    /**
     * @param images  the placeholder the batch is fed to
     * @param weights the trainable weights by name, in the order gradients are taken
     * @param setup   ops to run once before the first step (imported weights' initial values)
     */
    record Built(Operand<TFloat32> images, Operand<TFloat32> logits, Map<String, Operand<TFloat32>> weights,
            List<Operation> setup) {
    }

    /** Writes the model folder: the trained weights (as named by build) with the frozen ones unchanged. */
    void export(Path dir, Map<String, float[]> trained, String notice) throws IOException;

    /** A checkpoint's weights file, and reading one back. */
    void writeWeights(Path file, Map<String, float[]> weights) throws IOException;

    Map<String, float[]> readWeights(Path file) throws IOException;

    /** Where the weights came from, for the NOTICE ("fine-tuned from selfie"), or null for a fresh network. */
    String origin();
}
