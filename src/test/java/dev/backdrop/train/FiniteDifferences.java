package dev.backdrop.train;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Compares analytic gradients with central differences of the loss at random entries of each parameter:
 * a parameter's values are nudged in place (by 2e-3 either way) and the loss recomputed.
 */
final class FiniteDifferences {
    /** How many entries agreed, of how many checked, and the ones that did not. */
    record Agreement(int agreed, int checked, String disagreements) {
    }

    private FiniteDifferences() {
    }

    /** Runs the runner for one float output, then closes the tensors it was fed. */
    static float[] run(Session.Runner runner, Output<?> what, List<TFloat32> feeds) {
        try (Result r = runner.fetch(what).run()) {
            TFloat32 out = (TFloat32) r.get(0);
            float[] v = new float[(int) out.size()];
            out.asRawTensor().data().asFloats().read(v);
            return v;
        } finally {
            feeds.forEach(TFloat32::close);
        }
    }

    /**
     * @param values   each parameter's current values, read by loss on every call
     * @param analytic each parameter's gradient
     * @param loss     the loss at the current values
     */
    static Agreement check(List<String> names, Map<String, float[]> values, Function<String, float[]> analytic,
            Supplier<Double> loss, Random r, int trials) {
        int checked = 0;
        int agreed = 0;
        StringBuilder disagreements = new StringBuilder();
        for (String name : names) {
            float[] gradient = analytic.apply(name);
            float[] v = values.get(name);
            for (int trial = 0; trial < trials; trial++) {
                int i = r.nextInt(v.length);
                float keep = v[i];
                float h = 2e-3f;
                v[i] = keep + h;
                double up = loss.get();
                v[i] = keep - h;
                double down = loss.get();
                v[i] = keep;
                double numeric = (up - down) / (2 * h);
                if (Math.abs(numeric - gradient[i]) <= 1e-3 + 0.02 * Math.abs(numeric)) {
                    agreed++;
                } else {
                    disagreements.append(String.format("%n  %s[%d]: analytic %.6f, numeric %.6f", name, i,
                            gradient[i], numeric));
                }
                checked++;
            }
        }
        return new Agreement(agreed, checked, disagreements.toString());
    }
}
