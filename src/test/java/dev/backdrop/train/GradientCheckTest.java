package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.segment.SessionOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
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

            int checked = 0;
            int agreed = 0;
            StringBuilder disagreements = new StringBuilder();
            int k = 0;
            for (String name : params.keySet()) {
                float[] analytic = fetch(s, params, values, grads[k++]);
                float[] v = values.get(name);
                for (int trial = 0; trial < 4; trial++) {
                    int i = r.nextInt(v.length);
                    float keep = v[i];
                    float h = 2e-3f;
                    v[i] = keep + h;
                    double up = fetch(s, params, values, loss.asOutput())[0];
                    v[i] = keep - h;
                    double down = fetch(s, params, values, loss.asOutput())[0];
                    v[i] = keep;
                    double numeric = (up - down) / (2 * h);
                    double error = Math.abs(numeric - analytic[i]);
                    if (error <= 1e-3 + 0.02 * Math.abs(numeric)) {
                        agreed++;
                    } else {
                        disagreements.append(String.format("%n  %s[%d]: analytic %.6f, numeric %.6f", name, i,
                                analytic[i], numeric));
                    }
                    checked++;
                }
            }
            // ReLU and max-pooling have kinks: a step of h may cross one, where no derivative exists. Allow a
            // few such points; a wrong gradient would disagree almost everywhere in its layer.
            assertTrue(agreed >= checked * 0.95, agreed + " of " + checked + " agree; the others:" + disagreements);
        }
    }

    private static float[] fetch(Session s, Map<String, Placeholder<TFloat32>> params, Map<String, float[]> values,
            Output<?> what) {
        Session.Runner runner = s.runner();
        java.util.List<TFloat32> feeds = new java.util.ArrayList<>();
        try {
            for (UNetSpec.Param p : SPEC.params()) {
                TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(values.get(p.name())));
                feeds.add(t);
                runner.feed(params.get(p.name()), t);
            }
            try (Result r = runner.fetch(what).run()) {
                TFloat32 out = (TFloat32) r.get(0);
                float[] v = new float[(int) out.size()];
                out.asRawTensor().data().asFloats().read(v);
                return v;
            }
        } finally {
            feeds.forEach(TFloat32::close);
        }
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }
}
