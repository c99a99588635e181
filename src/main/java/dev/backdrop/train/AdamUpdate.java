package dev.backdrop.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam written on TensorFlow's ApplyAdam op, with the learning rate as a graph input so the schedule (warm-up,
 * cosine decay) lives in Java. Gradients come from {@link Graph#addGradients}; each variable gets its first and
 * second moment slots, and the bias-correction powers advance after every update. The slots and powers are the
 * optimiser's state: a checkpoint keeps them, so a resumed run steps exactly as an uninterrupted one.
 *
 * @param step  the op that applies one step of Adam to every variable
 * @param state the optimiser's variables by name ("PARAM/m", "PARAM/v", "beta1_power", "beta2_power")
 */
record AdamUpdate(Op step, Map<String, Variable<TFloat32>> state) {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    /**
     * Adam minimising loss over the named variables, starting from a saved state (null: zero moments, as for a
     * fresh start or fine-tuning).
     */
    static AdamUpdate minimize(Graph graph, Ops tf, Operand<TFloat32> loss, Map<String, Operand<TFloat32>> variables,
            Operand<TFloat32> learningRate, Map<String, float[]> saved) {
        List<String> names = List.copyOf(variables.keySet());
        Output<?>[] xs = names.stream().map(n -> variables.get(n).asOutput()).toArray(Output<?>[]::new);
        Output<?>[] grads;
        try {
            grads = graph.addGradients(loss.asOutput(), xs);
        } catch (RuntimeException e) {
            throw noGradient(e);
        }
        Ops adam = tf.withSubScope("adam");
        // No variable may change before every gradient is computed: the variables are updated in place and the
        // backward pass reads them too (a layer's input gradient needs its filter), so an early update raced with
        // it and made steps differ from run to run.
        List<Op> gradientsDone = new ArrayList<>();
        for (Output<?> g : grads) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> gradient = (Operand<TFloat32>) g;
            gradientsDone.add(adam.identity(gradient));
        }
        Ops apply = adam.withControlDependencies(gradientsDone);
        Map<String, Variable<TFloat32>> state = new LinkedHashMap<>();
        Variable<TFloat32> beta1Power = slot(adam, state, "beta1_power", Shape.scalar(), saved, BETA1);
        Variable<TFloat32> beta2Power = slot(adam, state, "beta2_power", Shape.scalar(), saved, BETA2);
        Operand<TFloat32> beta1 = adam.constant(BETA1);
        Operand<TFloat32> beta2 = adam.constant(BETA2);
        Operand<TFloat32> epsilon = adam.constant(EPSILON);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Operand<TFloat32> v = variables.get(names.get(i));
            Shape shape = v.shape();
            Variable<TFloat32> m1 = slot(adam, state, names.get(i) + "/m", shape, saved, 0f);
            Variable<TFloat32> m2 = slot(adam, state, names.get(i) + "/v", shape, saved, 0f);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
            updates.add(apply.train.applyAdam(v, m1, m2, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, g));
        }
        Ops after = adam.withControlDependencies(updates);
        Op p1 = after.assign(beta1Power, after.math.mul(beta1Power, beta1));
        Op p2 = after.assign(beta2Power, after.math.mul(beta2Power, beta2));
        return new AdamUpdate(adam.withControlDependencies(List.of(p1, p2)).withName("step").noOp(), state);
    }

    /** TensorFlow's "No gradient defined for operation 'x' (op type: Y)" as one line saying what to do. */
    static RuntimeException noGradient(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        java.util.regex.Matcher op = java.util.regex.Pattern.compile("[Nn]o gradient defined for (?:op|operation)[^A-Za-z_]*"
                + "([A-Za-z0-9_/.]+)[^A-Za-z_]*(?:\\(op type: ([A-Za-z0-9_]+)\\))?").matcher(m);
        if (!op.find()) {
            return e;
        }
        String name = op.group(1).replaceAll("\\.+$", ""); // "No gradient defined for op: Merge. Please see ..."
        String what = op.group(2) != null ? op.group(2) + " (node " + name + ")" : name;
        return new IllegalArgumentException("cannot train through " + what + ": TensorFlow has no gradient for it;"
                + " freeze the layers up to it with --freeze, or train another model", e);
    }

    /** One state variable: the saved value, or fill everywhere. */
    private static Variable<TFloat32> slot(Ops adam, Map<String, Variable<TFloat32>> state, String name, Shape shape,
            Map<String, float[]> saved, float fill) {
        float[] value = saved != null ? saved.get(name) : null;
        if (saved != null && (value == null || value.length != shape.size())) {
            throw new IllegalArgumentException("the saved optimiser state has no " + name + " of " + shape.size()
                    + " values: it belongs to another model");
        }
        Operand<TFloat32> init = value != null ? adam.constant(shape, DataBuffers.of(value, true, false))
                : adam.fill(adam.constant(shape.asArray()), adam.constant(fill));
        Variable<TFloat32> v = adam.variable(init);
        state.put(name, v);
        return v;
    }
}
