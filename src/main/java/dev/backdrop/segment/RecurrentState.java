package dev.backdrop.segment;

import java.util.Arrays;
import java.util.List;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * A recurrent model's state between runs: each state output of one run is fed as the matching state input of
 * the next, a scalar zero on the first run. The state tensors belong to the previous run's {@link Result},
 * which is kept open until the next run replaces it; nothing is copied. Empty for models without state.
 */
final class RecurrentState implements AutoCloseable {
    private final List<String> inputs;
    private final List<String> outputs;
    private final Tensor[] current;
    private final TFloat32 zero;
    private Result holder;

    RecurrentState(List<String> inputs, List<String> outputs) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.current = new Tensor[inputs.size()];
        this.zero = inputs.isEmpty() ? null : TFloat32.scalarOf(0f);
    }

    boolean present() {
        return current.length > 0;
    }

    /** Feeds the state inputs and fetches the state outputs, after whatever the runner fetched already. */
    void feed(Session.Runner runner) {
        for (int i = 0; i < current.length; i++) {
            runner.feed(inputs.get(i), current[i] != null ? current[i] : zero);
            runner.fetch(outputs.get(i));
        }
    }

    /**
     * Takes the new state from a run's result, whose fetches {@code first}.. are the state outputs; the result
     * is then owned here (the previous one is closed), or closed at once when the model has no state.
     */
    void advance(Result run, int first) {
        if (!present()) {
            run.close();
            return;
        }
        for (int i = 0; i < current.length; i++) {
            current[i] = run.get(first + i);
        }
        if (holder != null) {
            holder.close();
        }
        holder = run;
    }

    /** Back to the first-frame state. */
    void reset() {
        if (holder != null) {
            holder.close();
            holder = null;
        }
        Arrays.fill(current, null);
    }

    @Override
    public void close() {
        reset();
        if (zero != null) {
            zero.close();
        }
    }
}
