package dev.backdrop.train;

import dev.backdrop.segment.SessionOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The training graph: the U-Net on variables, binary cross-entropy + Dice loss, and Adam (from
 * written on the ApplyAdam op, gradients from Graph.addGradients). One step = one batch forward and
 * backward; the batch's predictions come back for the IoU shown in the progress line.
 */
final class Trainer implements AutoCloseable {
    private final UNetSpec spec;
    private final int batch;
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> images;
    private final Placeholder<TFloat32> masks;
    private final Placeholder<TFloat32> learningRate;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> probability;
    private final AdamUpdate adam;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private float rate;

    /**
     * @param initial   weights to start from (fine-tuning or resuming); null for a fresh He-initialised net
     * @param optimiser Adam's state to go on from (resuming); null to start it afresh
     */
    Trainer(UNetSpec spec, int batch, float learningRate, Map<String, float[]> initial, Map<String, float[]> optimiser,
            int threads, long seed) {
        this.spec = spec;
        this.batch = batch;
        this.rate = learningRate;
        try {
            Ops tf = Ops.create(graph);
            SplittableRandom random = new SplittableRandom(seed);
            for (UNetSpec.Param p : spec.params()) {
                float[] value = initial != null ? initial.get(p.name()) : heInit(p, random);
                if (value == null || value.length != p.size()) {
                    throw new IllegalArgumentException("the starting weights have no " + p.name() + " of "
                            + p.size() + " values: they come from a U-Net of another shape");
                }
                variables.put(p.name(), UNet.named(tf, p.name()).variable(
                        tf.constant(Shape.of(p.shape()), DataBuffers.of(value, true, false))));
            }
            images = tf.withName("image").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, spec.height(), spec.width(), 3)));
            masks = tf.withName("target").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, spec.height(), spec.width(), 1)));
            this.learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Operand<TFloat32> logits = UNet.logits(tf, spec, variables, images);
            probability = tf.math.sigmoid(logits);
            loss = Loss.bceDice(tf, logits, probability, masks);
            adam = AdamUpdate.minimize(graph, tf, loss, variables, this.learningRate, optimiser);
            session = new Session(graph, SessionOptions.builder(threads, threads > 0 ? 1 : 0).build());
            session.initialize();
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private static float[] heInit(UNetSpec.Param p, SplittableRandom random) {
        float[] v = new float[p.size()];
        long[] s = p.shape();
        if (s.length == 4) {
            double std = Math.sqrt(2.0 / (s[0] * s[1] * s[2]));
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (gaussian(random) * std);
            }
        }
        return v;
    }

    private static double gaussian(SplittableRandom r) {
        return StrictMath.sqrt(-2 * StrictMath.log(1 - r.nextDouble())) * StrictMath.cos(2 * Math.PI * r.nextDouble());
    }

    /** One optimisation step on a full batch; returns the loss and fills predictions (batch*h*w) if given. */
    float step(BatchMaker.Batch b, float[] predictions) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch, spec.height(), spec.width(), 3), DataBuffers.of(b.images, true, false));
             TFloat32 y = TFloat32.tensorOf(Shape.of(batch, spec.height(), spec.width(), 1), DataBuffers.of(b.masks, true, false));
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
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, spec.height(), spec.width(), 3), DataBuffers.of(inputs, true, false));
             Result r = session.runner().feed(images, x).fetch(probability).run()) {
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, 0, n * spec.width() * spec.height());
        }
    }

    void setLearningRate(float value) {
        rate = value;
    }

    /** The current weights by parameter name, in spec order. */
    Map<String, float[]> weights() {
        return values(variables);
    }

    /** Adam's current state (moments and bias-correction powers) by name: what a checkpoint keeps. */
    Map<String, float[]> optimiserState() {
        return values(adam.state());
    }

    private Map<String, float[]> values(Map<String, Variable<TFloat32>> named) {
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
