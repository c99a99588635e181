package dev.backdrop.segment;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * One run of the session per frame: feeds the image with the recurrent state and the downsample ratio,
 * fetches the mask output and the new state, and decodes the mask. The first run is traced to learn where
 * TensorFlow placed the graph.
 */
final class ModelRunner implements AutoCloseable {
    private static final RunOptions TRACE = RunOptions.newBuilder()
            .setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build();

    private final Session session;
    private final ModelTensors tensors;
    private final RecurrentState state;
    private final DownsampleRatio ratio;
    private final MaskDecoder decoder;
    private String device;

    ModelRunner(Session session, ModelTensors tensors, ModelDescriptor d, ModelOptions options) {
        this.session = session;
        this.tensors = tensors;
        this.state = new RecurrentState(tensors.stateIn(), tensors.stateOut());
        this.ratio = new DownsampleRatio(tensors.downsample(), options.downsampleRatio(), options.encoderSide());
        this.decoder = new MaskDecoder(d, tensors.output());
    }

    /** The mask at the fit's input size, in [0,1]; the array is reused by the next run. */
    float[] run(TFloat32 image, FrameFit fit) {
        Session.Runner runner = session.runner().feed(tensors.input(), image).fetch(tensors.output());
        state.feed(runner);
        ratio.feed(runner, fit.inW, fit.inH);
        Result r;
        if (device == null) {
            r = runner.setOptions(TRACE).runAndFetchMetadata();
            device = deviceOf(r.getMetadata().orElse(null));
        } else {
            r = runner.run();
        }
        float[] mask;
        try {
            mask = decoder.decode(r.get(0), fit.inW, fit.inH);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        state.advance(r, 1);
        return mask;
    }

    /** "CPU", or "GPU:0 (device name, N ops)" when the first run placed any op on a GPU; null before it. */
    String device() {
        return device;
    }

    private static String deviceOf(RunMetadata meta) {
        if (meta != null) {
            for (DeviceStepStats d : meta.getStepStats().getDevStatsList()) {
                String dev = d.getDevice();
                int i = dev.indexOf("GPU:");
                if (i >= 0 && d.getNodeStatsCount() > 0) {
                    return dev.substring(i) + " (" + dev + ", " + d.getNodeStatsCount() + " ops)";
                }
            }
        }
        return "CPU";
    }

    /** ", downsample auto, recurrent" as far as the model has either, for the model's description. */
    String describeFeeds() {
        return (ratio.present() ? ", downsample " + ratio.describe() : "") + (state.present() ? ", recurrent" : "");
    }

    boolean recurrent() {
        return state.present();
    }

    void resetState() {
        state.reset();
    }

    @Override
    public void close() {
        decoder.close();
        ratio.close();
        state.close();
    }
}
