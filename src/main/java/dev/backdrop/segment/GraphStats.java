package dev.backdrop.segment;

import java.util.Iterator;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * How big a model is: weights (float constants and variables) and the multiply-adds x2 of its convolutions
 * and matrix products per frame, from the shapes TensorFlow inferred when the graph was loaded. A model
 * that runs at any size has no fixed shapes, so no FLOP count.
 *
 * @param flops -1 when some shape is only known at run time
 */
public record GraphStats(long parameters, long flops) {

    static GraphStats of(Graph graph) {
        long params = 0;
        long flops = 0;
        boolean known = true;
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            switch (op.type()) {
                case "VariableV2", "VarHandleOp" -> params += Math.max(0, elements(op.attributes().getAttrShape("shape")));
                case "Const" -> {
                    // a variable's initial value is a Const too: count the variable, not both
                    boolean initialValue = op.consumers().stream().allMatch(c -> c.type().equals("Assign"))
                            && op.numConsumers() > 0;
                    DataType t = op.output(0).dataType();
                    if (!initialValue && (t == DataType.DT_FLOAT || t == DataType.DT_HALF)) {
                        params += Math.max(0, elements(op.output(0).shape()));
                    }
                }
                case "Conv2D", "DepthwiseConv2dNative", "MatMul" -> {
                    long f = flops(op);
                    known &= f >= 0;
                    flops += Math.max(0, f);
                }
                default -> {
                }
            }
        }
        return new GraphStats(params, known ? flops : -1);
    }

    /** 2 x output elements x (the filter's or matrix's reduction size). */
    private static long flops(GraphOperation op) {
        long out = elements(op.output(0).shape());
        Shape w = op.input(1).shape();
        if (out < 0 || w.isUnknown() || elements(w) < 0) {
            return -1;
        }
        return switch (op.type()) {
            case "Conv2D" -> 2 * out * w.get(0) * w.get(1) * w.get(2);
            case "DepthwiseConv2dNative" -> 2 * out * w.get(0) * w.get(1);
            default -> 2 * out * w.get(0);
        };
    }

    /** Elements of a shape, a leading unknown batch counted as 1; -1 when any other size is unknown. */
    private static long elements(Shape s) {
        if (s == null || s.isUnknown()) {
            return -1;
        }
        long n = 1;
        for (int i = 0; i < s.numDimensions(); i++) {
            long d = s.get(i);
            if (d < 0 && i > 0) {
                return -1;
            }
            n *= Math.max(1, d);
        }
        return n;
    }
}
