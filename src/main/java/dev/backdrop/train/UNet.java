package dev.backdrop.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds the U-Net of a {@link UNetSpec} into a graph. The weights come in as operands, so one builder
 * serves training (variables) and export (variables restored from a trained checkpoint).
 */
final class UNet {
    private static final List<Long> UNIT = List.of(1L, 1L, 1L, 1L);
    private static final List<Long> HALF = List.of(1L, 2L, 2L, 1L);

    private final Ops tf;
    private final UNetSpec spec;
    private final Map<String, ? extends Operand<TFloat32>> params;

    private UNet(Ops tf, UNetSpec spec, Map<String, ? extends Operand<TFloat32>> params) {
        this.tf = tf;
        this.spec = spec;
        this.params = params;
    }

    /** input: [batch, height, width, 3] RGB in [0,1] -> person logits [batch, height, width, 1]. */
    static Operand<TFloat32> logits(Ops tf, UNetSpec spec, Map<String, ? extends Operand<TFloat32>> params,
            Operand<TFloat32> input) {
        return new UNet(tf, spec, params).build(input);
    }

    private Operand<TFloat32> build(Operand<TFloat32> input) {
        Operand<TFloat32> x = conv("stem", input, HALF);
        List<Operand<TFloat32>> skips = new ArrayList<>();
        int levels = spec.levels();
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                x = tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "SAME");
            }
            x = block("enc" + l, x);
            skips.add(x);
        }
        x = block("bottom", x);
        for (int l = levels - 2; l >= 0; l--) {
            int h = spec.height() >> (l + 1);
            int w = spec.width() >> (l + 1);
            Operand<TFloat32> up = tf.image.resizeBilinear(x, tf.constant(new int[] {h, w}));
            x = block("dec" + l, tf.concat(List.of(up, skips.get(l)), tf.constant(3)));
        }
        Operand<TFloat32> head = tf.nn.biasAdd(tf.nn.conv2d(x, param("head/w"), UNIT, "SAME"), param("head/b"));
        return tf.image.resizeBilinear(head, tf.constant(new int[] {spec.height(), spec.width()}));
    }

    /** Ops that name the next op "scope/name" (op names may not contain '/' themselves). */
    static Ops named(Ops tf, String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? tf.withName(path)
                : tf.withSubScope(path.substring(0, slash)).withName(path.substring(slash + 1));
    }

    private Operand<TFloat32> block(String name, Operand<TFloat32> x) {
        for (int i = 0; i < spec.convs(); i++) {
            x = conv(UNetSpec.blockConv(name, i), x, UNIT);
        }
        return x;
    }

    private Operand<TFloat32> conv(String name, Operand<TFloat32> x, List<Long> strides) {
        return tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, param(name + "/w"), strides, "SAME"), param(name + "/b")));
    }

    private Operand<TFloat32> param(String name) {
        Operand<TFloat32> p = params.get(name);
        if (p == null) {
            throw new IllegalStateException("no parameter " + name + " for " + spec);
        }
        return p;
    }
}
