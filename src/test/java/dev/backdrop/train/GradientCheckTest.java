package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.segment.SessionOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The gradients training follows (Graph.addGradients through conv, pooling, resize, concat and the
 * BCE + Dice loss) agree with finite differences of the loss itself, on a small U-Net.
 */
class GradientCheckTest {
    private static final UNetSpec SPEC = new UNetSpec(16, 8, new int[] {3, 4});

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        Random r = new Random(11);
        try (Graph g = new Graph(); Session s = SessionOptions.session(g)) {
            Ops tf = Ops.create(g);
            Map<String, Placeholder<TFloat32>> params = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (UNetSpec.Param p : SPEC.params()) {
                params.put(p.name(), tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(p.shape()))));
                float[] v = new float[p.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.5);
                }
                values.put(p.name(), v);
            }
            float[] image = random(r, SPEC.width() * SPEC.height() * 3);
            float[] target = new float[SPEC.width() * SPEC.height()];
            for (int i = 0; i < target.length; i++) {
                target[i] = i % SPEC.width() < SPEC.width() / 2 ? 1 : 0;
            }
            Operand<TFloat32> x = tf.constant(Shape.of(1, SPEC.height(), SPEC.width(), 3), DataBuffers.of(image));
            Operand<TFloat32> y = tf.constant(Shape.of(1, SPEC.height(), SPEC.width(), 1), DataBuffers.of(target));
            Operand<TFloat32> logits = UNet.logits(tf, SPEC, params, x);
            Operand<TFloat32> loss = Loss.bceDice(tf, logits, tf.math.sigmoid(logits), y);
            Output<?>[] grads = g.addGradients(loss.asOutput(),
                    params.values().stream().map(Operand::asOutput).toArray(Output<?>[]::new));

            List<String> names = List.copyOf(params.keySet());
            FiniteDifferences.Agreement a = FiniteDifferences.check(names, values,
                    name -> fetch(s, params, values, grads[names.indexOf(name)]),
                    () -> (double) fetch(s, params, values, loss.asOutput())[0], r, 4);
            // ReLU and max-pooling have kinks: a step of h may cross one, where no derivative exists. Allow a
            // few such points; a wrong gradient would disagree almost everywhere in its layer.
            assertTrue(a.agreed() >= a.checked() * 0.95, a.agreed() + " of " + a.checked() + " agree; the others:"
                    + a.disagreements());
        }
    }

    private static float[] fetch(Session s, Map<String, Placeholder<TFloat32>> params, Map<String, float[]> values,
            Output<?> what) {
        Session.Runner runner = s.runner();
        java.util.List<TFloat32> feeds = new java.util.ArrayList<>();
        for (UNetSpec.Param p : SPEC.params()) {
            TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(values.get(p.name())));
            feeds.add(t);
            runner.feed(params.get(p.name()), t);
        }
        return FiniteDifferences.run(runner, what, feeds);
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }
}
