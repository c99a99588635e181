package dev.backdrop.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The training loss: binary cross-entropy (per pixel) plus Dice (the overlap of the whole batch). */
final class Loss {
    private Loss() {
    }

    /**
     * BCE on logits in the numerically stable form max(z,0) - z*y + log(1 + exp(-|z|)); Dice as
     * 1 - (2 sum(p*y) + 1) / (sum(p) + sum(y) + 1). BCE teaches every pixel; Dice keeps a small person
     * from being outvoted by a large background.
     */
    static Operand<TFloat32> bceDice(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> probability,
            Operand<TFloat32> target) {
        Operand<TInt32> all = tf.constant(new int[] {0, 1, 2, 3});
        Operand<TFloat32> bce = tf.math.mean(tf.math.add(
                tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, target)),
                tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits))))), all);
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> overlap = tf.math.add(tf.math.mul(tf.constant(2f), tf.reduceSum(tf.math.mul(probability, target), all)), one);
        Operand<TFloat32> total = tf.math.add(tf.math.add(tf.reduceSum(probability, all), tf.reduceSum(target, all)), one);
        Operand<TFloat32> dice = tf.math.sub(one, tf.math.div(overlap, total));
        return tf.withName("loss").math.add(bce, dice);
    }
}
