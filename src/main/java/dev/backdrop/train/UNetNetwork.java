package dev.backdrop.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Backdrop's own U-Net: fresh (He-initialised from the seed) or from the weights of one trained before. */
final class UNetNetwork implements Network {
    private final UNetSpec spec;
    private final Map<String, float[]> start;
    private final String origin;
    private final int freeze;
    private final long seed;

    /**
     * @param start  weights to begin from (a model made by train, for --init), or null for a fresh network
     * @param freeze how many convolutions from the input keep their starting weights
     */
    UNetNetwork(UNetSpec spec, Map<String, float[]> start, String origin, int freeze, long seed) {
        this.spec = spec;
        this.start = start;
        this.origin = origin;
        this.freeze = freeze;
        this.seed = seed;
        if (start != null) {
            for (UNetSpec.Param p : spec.params()) {
                float[] v = start.get(p.name());
                if (v == null || v.length != p.size()) {
                    throw new IllegalArgumentException("the starting weights have no " + p.name() + " of " + p.size()
                            + " values: they come from a U-Net of another shape");
                }
            }
        }
    }

    UNetSpec spec() {
        return spec;
    }

    @Override
    public int width() {
        return spec.width();
    }

    @Override
    public int height() {
        return spec.height();
    }

    @Override
    public String describe() {
        return "U-Net " + spec + " (" + spec.parameterCount() + " parameters, "
                + String.format("%.1f", spec.flopsPerFrame() / 1e6) + " MFLOPs per frame"
                + (freeze > 0 ? ", first " + freeze + " convolutions frozen" : "") + ")";
    }

    @Override
    public Built build(Graph graph, Ops tf, Map<String, float[]> initial) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
        Map<String, Operand<TFloat32>> trainable = new LinkedHashMap<>();
        for (UNetSpec.Param p : spec.params()) {
            float[] value = initial != null && initial.containsKey(p.name()) ? initial.get(p.name())
                    : start != null ? start.get(p.name()) : heInit(p, random);
            Operand<TFloat32> v = tf.constant(Shape.of(p.shape()), DataBuffers.of(value, true, false));
            if (convIndex(p.name()) >= freeze) {
                v = UNet.named(tf, p.name()).variable(v);
                trainable.put(p.name(), v);
            }
            params.put(p.name(), v);
        }
        Operand<TFloat32> images = tf.withName("image").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, spec.height(), spec.width(), 3)));
        return new Built(images, UNet.logits(tf, spec, params, images), trainable, List.of());
    }

    /** The position of a parameter's convolution from the input (stem = 0). */
    private int convIndex(String param) {
        String conv = param.substring(0, param.lastIndexOf('/'));
        int i = 0;
        String last = null;
        for (UNetSpec.Param p : spec.params()) {
            String c = p.name().substring(0, p.name().lastIndexOf('/'));
            if (!c.equals(last)) {
                if (last != null) {
                    i++;
                }
                last = c;
            }
            if (c.equals(conv)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no parameter " + param + " in " + spec);
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

    @Override
    public void export(Path dir, Map<String, float[]> trained, String notice) throws IOException {
        ModelExport.write(dir, new WeightsFile(spec, all(trained)), notice);
    }

    /** The trained weights with the frozen ones filled in, in spec order. */
    private Map<String, float[]> all(Map<String, float[]> trained) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (UNetSpec.Param p : spec.params()) {
            out.put(p.name(), trained.containsKey(p.name()) ? trained.get(p.name()) : start.get(p.name()));
        }
        return out;
    }

    @Override
    public void writeWeights(Path file, Map<String, float[]> weights) throws IOException {
        new WeightsFile(spec, all(weights)).write(file);
    }

    @Override
    public Map<String, float[]> readWeights(Path file) {
        WeightsFile w = WeightsFile.read(file);
        if (!w.spec().equals(spec)) {
            throw new IllegalArgumentException(file + " holds a U-Net " + w.spec() + ", not " + spec);
        }
        return w.weights();
    }

    @Override
    public String origin() {
        return origin;
    }
}
