package dev.backdrop.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which tensors of a graph Backdrop feeds and fetches, and the image input's size, as model.yaml names them or
 * the graph's signature and input shape imply; every name is checked to exist, so a run cannot miss one.
 *
 * @param input       the image input
 * @param output      the mask (probability or alpha) output
 * @param stateIn     recurrent state inputs, each fed with the matching {@code stateOut} of the previous run
 * @param stateOut    recurrent state outputs
 * @param downsample  the scalar downsample-ratio input (RVM), or null
 * @param inputWidth  fixed input width; 0 when the model runs at any size (then the frame's size)
 * @param inputHeight fixed input height; 0 with inputWidth
 */
record ModelTensors(String input, String output, List<String> stateIn, List<String> stateOut, String downsample,
                    int inputWidth, int inputHeight) {

    static ModelTensors bind(ModelGraph graph, ModelDescriptor d) {
        String src = d.source().toString();
        String in = d.inputName() != null ? graph.inputTensor(d.inputName()) : graph.defaultInput;
        if (in == null) {
            throw new ModelException(src + ": cannot tell which input is the image; name it with 'input.name' in"
                    + " model.yaml");
        }
        String out = d.outputName() != null ? graph.outputTensor(d.outputName()) : graph.defaultOutput;
        if (out == null) {
            throw new ModelException(src + ": cannot tell which output is the mask; name it with 'output.name' in"
                    + " model.yaml");
        }
        requireNode(graph, in, d.inputName() != null ? "input.name" : "the signature's input", src);
        requireNode(graph, out, d.outputName() != null ? "output.name" : "the signature's output", src);
        List<String> stateIn = new ArrayList<>();
        List<String> stateOut = new ArrayList<>();
        for (int i = 0; i < d.states().size(); i++) {
            stateIn.add(requireNode(graph, graph.inputTensor(d.states().get(i).input()), "state[" + i + "].input", src));
            stateOut.add(requireNode(graph, graph.outputTensor(d.states().get(i).output()), "state[" + i + "].output",
                    src));
        }
        String downsample = d.downsampleInput() == null ? null
                : requireNode(graph, graph.inputTensor(d.downsampleInput()), "downsample_ratio", src);
        int[] size = inputSize(graph.placeholderShape(in), in, d, src);
        return new ModelTensors(in, out, List.copyOf(stateIn), List.copyOf(stateOut), downsample, size[0], size[1]);
    }

    /** The fixed input size {width, height}, {0, 0} for any size: model.yaml's, checked, or the graph's. */
    private static int[] inputSize(long[] shape, String in, ModelDescriptor d, String src) {
        boolean known = shape != null && shape.length == 4;
        long sh = !known ? -1 : d.nchw() ? shape[2] : shape[1];
        long sw = !known ? -1 : d.nchw() ? shape[3] : shape[2];
        if (d.width() > 0) {
            if ((sw > 0 && sw != d.width()) || (sh > 0 && sh != d.height())) {
                throw new ModelException(src + ": input.size is " + d.width() + "x" + d.height()
                        + " but the graph's input '" + in + "' has shape " + Arrays.toString(shape)
                        + "; set input.size to " + sw + "x" + sh + " or leave it out");
            }
            return new int[] {d.width(), d.height()};
        }
        if (d.width() == 0 || !known) {
            return new int[] {0, 0};
        }
        long c = d.nchw() ? shape[1] : shape[3];
        if (c != 3 && c > 0) {
            throw new ModelException(src + ": input '" + in + "' has shape " + Arrays.toString(shape)
                    + "; Backdrop needs a [1, height, width, 3] image input (or say layout: nchw)");
        }
        return sw > 0 && sh > 0 ? new int[] {(int) sw, (int) sh} : new int[] {0, 0};
    }

    private static String requireNode(ModelGraph graph, String tensor, String what, String src) {
        if (!graph.has(tensor)) {
            throw new ModelException(src + ": the graph has no tensor '" + tensor + "' (" + what + ")"
                    + (graph.signatureInputs.isEmpty() && graph.signatureOutputs.isEmpty() ? ""
                    : "; signature names: inputs " + graph.signatureInputs.keySet() + ", outputs "
                    + graph.signatureOutputs.keySet()));
        }
        return tensor;
    }

    boolean fixedSize() {
        return inputWidth > 0;
    }
}
