package dev.backdrop.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam written on TensorFlow's ApplyAdam op, with the learning rate as a graph input so the schedule (warm-up,
 * cosine decay) lives in Java. Gradients come from {@link Graph#addGradients}; each variable gets its first and
 * second moment slots, and the bias-correction powers advance after every update.
 */
final class AdamUpdate {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    private AdamUpdate() {
    }

    /** The op that applies one step of Adam to every variable, minimising loss. */
    static Op minimize(Graph graph, Ops tf, Operand<TFloat32> loss, Collection<Variable<TFloat32>> variables,
            Operand<TFloat32> learningRate) {
        List<Variable<TFloat32>> vars = List.copyOf(variables);
        Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
        Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
        Ops adam = tf.withSubScope("adam");
        Variable<TFloat32> beta1Power = adam.withName("beta1_power").variable(adam.constant(BETA1));
        Variable<TFloat32> beta2Power = adam.withName("beta2_power").variable(adam.constant(BETA2));
        Operand<TFloat32> beta1 = adam.constant(BETA1);
        Operand<TFloat32> beta2 = adam.constant(BETA2);
        Operand<TFloat32> epsilon = adam.constant(EPSILON);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            Variable<TFloat32> m1 = adam.variable(adam.zerosLike(v));
            Variable<TFloat32> m2 = adam.variable(adam.zerosLike(v));
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
            updates.add(adam.train.applyAdam(v, m1, m2, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, g));
        }
        Ops after = adam.withControlDependencies(updates);
        Op p1 = after.assign(beta1Power, after.math.mul(beta1Power, beta1));
        Op p2 = after.assign(beta2Power, after.math.mul(beta2Power, beta2));
        return adam.withControlDependencies(List.of(p1, p2)).withName("step").noOp();
    }
}
