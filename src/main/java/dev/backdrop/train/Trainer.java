package dev.backdrop.train;

import dev.backdrop.segment.SessionOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The training graph: a {@link Network} on variables, binary cross-entropy + Dice loss, and Adam (written on the
 * ApplyAdam op, gradients from Graph.addGradients through whatever ops the network has). One step = one batch
 * forward and backward; the batch's predictions come back for the IoU shown in the progress line.
 */
final class Trainer implements AutoCloseable {
    private final Network network;
    private final int batch;
    private final Graph graph = new Graph();
    private final Session session;
    private final Operand<TFloat32> images;
    private final Placeholder<TFloat32> masks;
    private final Placeholder<TFloat32> learningRate;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> probability;
    private final AdamUpdate adam;
    private final Map<String, Operand<TFloat32>> variables;
    private float rate;

    /**
     * @param initial   trainable weights to start from (resuming); null for the network's own start
     * @param optimiser Adam's state to go on from (resuming); null to start it afresh
     */
    Trainer(Network network, int batch, float learningRate, Map<String, float[]> initial,
            Map<String, float[]> optimiser, int threads) {
        this.network = network;
        this.batch = batch;
        this.rate = learningRate;
        try {
            Ops tf = Ops.create(graph);
            Network.Built built = network.build(graph, tf, initial);
            variables = built.weights();
            images = built.images();
            masks = tf.withName("target").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, network.height(), network.width(), 1)));
            this.learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            probability = tf.math.sigmoid(built.logits());
            loss = Loss.bceDice(tf, built.logits(), probability, masks);
            adam = AdamUpdate.minimize(graph, tf, loss, variables, this.learningRate, optimiser);
            session = new Session(graph, SessionOptions.builder(threads, threads > 0 ? 1 : 0).build());
            if (!built.setup().isEmpty()) {
                Session.Runner setup = session.runner();
                built.setup().forEach(setup::addTarget);
                setup.run();
            }
            session.initialize();
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** One optimisation step on a full batch; returns the loss and fills predictions (batch*h*w) if given. */
    float step(BatchMaker.Batch b, float[] predictions) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch, network.height(), network.width(), 3), DataBuffers.of(b.images, true, false));
             TFloat32 y = TFloat32.tensorOf(Shape.of(batch, network.height(), network.width(), 1), DataBuffers.of(b.masks, true, false));
             TFloat32 lr = TFloat32.scalarOf(rate);
             Result r = session.runner().feed(images, x).feed(masks, y).feed(learningRate, lr).addTarget(adam.step())
                     .fetch(loss).fetch(probability).run()) {
            if (predictions != null) {
                ((TFloat32) r.get(1)).asRawTensor().data().asFloats().read(predictions);
            }
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Predictions for n inputs ([n, h, w, 3] flat) without training. */
    void predict(float[] inputs, int n, float[] out) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, network.height(), network.width(), 3), DataBuffers.of(inputs, true, false));
             Result r = session.runner().feed(images, x).fetch(probability).run()) {
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, 0, n * network.width() * network.height());
        }
    }

    void setLearningRate(float value) {
        rate = value;
    }

    /** The current trainable weights by name, in the network's order. */
    Map<String, float[]> weights() {
        return values(variables);
    }

    /** Adam's current state (moments and bias-correction powers) by name: what a checkpoint keeps. */
    Map<String, float[]> optimiserState() {
        return values(adam.state());
    }

    private Map<String, float[]> values(Map<String, ? extends Operand<TFloat32>> named) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Session.Runner runner = session.runner();
        List<String> names = List.copyOf(named.keySet());
        names.forEach(n -> runner.fetch(named.get(n)));
        try (Result r = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
                TFloat32 t = (TFloat32) r.get(i);
                float[] v = new float[(int) t.size()];
                t.asRawTensor().data().asFloats().read(v);
                out.put(names.get(i), v);
            }
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
