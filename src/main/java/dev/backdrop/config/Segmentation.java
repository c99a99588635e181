package dev.backdrop.config;

import dev.backdrop.segment.AspectMode;
import dev.backdrop.segment.Averaging;
import dev.backdrop.segment.InferenceRate;
import dev.backdrop.segment.MotionGate;
import dev.backdrop.segment.ModelLimits;
import dev.backdrop.segment.ModelOptions;
import java.util.List;

/**
 * segmentation.*: which model runs and how.
 *
 * @param model           a bundled name or a path
 * @param intraOpThreads  TensorFlow threads within an op; 0 = auto
 * @param interOpThreads  TensorFlow threads across ops; 0 = auto
 * @param aspect          how a frame is fitted into a fixed-size model input
 * @param downsampleRatio RVM's encoder scale; 0 = chosen from the input size
 * @param encoderSide     the encoder's longer side when the downsample ratio is automatic
 * @param maxInputSide    longest side of the input of a model that runs at any size; 0 = the frame's
 * @param averaging       test-time averaging: none or mirror
 * @param limits          how large an untrusted model may be
 * @param every           at most this many frames share one model run's mask
 * @param stillBelow      with every > 1, only frames that changed less than this (grey levels) reuse a mask; 0 = any
 * @param stillCellBelow  and only frames where no part of the picture changed by this much or more
 * @param maskDeadlineMs  live: how long a frame waits for its mask before it is hidden whole instead
 */
public record Segmentation(String model, int intraOpThreads, int interOpThreads, AspectMode aspect,
                           double downsampleRatio, int encoderSide, int maxInputSide, Averaging averaging,
                           ModelLimits limits, int every, double stillBelow, double stillCellBelow,
                           int maskDeadlineMs) {

    public static final Setting<String> MODEL = Setting.text("segmentation.model", "selfie-ft",
            "Person-segmentation model: a bundled name (selfie-ft, selfie, rvm, unet) or a path to a model directory"
            + " or model.json. selfie-ft is MediaPipe's selfie fine-tuned by Backdrop: as fast, better masks.")
            .flag("--model", "NAME|PATH");
    public static final Setting<Integer> INTRA_OP_THREADS = Setting.integer("segmentation.intra_op_threads", 0, 0, 256,
            "TensorFlow threads inside one op. 0 = auto: half the cores (at least 1), because decoding, compositing"
            + " and encoding run at the same time on the others.");
    public static final Setting<Integer> INTER_OP_THREADS = Setting.integer("segmentation.inter_op_threads", 0, 0, 256,
            "TensorFlow threads running independent ops in parallel. 0 = auto: 1.");
    public static final Setting<AspectMode> ASPECT = Setting.choice("segmentation.aspect", AspectMode.STRETCH,
            "How a frame is fitted into a fixed-size model input (selfie's 256x256): stretch (distort), letterbox"
            + " (fit inside, pad) or crop (cover, cut the sides). stretch gave the best mean IoU on the test portraits"
            + " (0.899, letterbox 0.892, crop 0.871).");
    public static final Setting<Double> DOWNSAMPLE_RATIO = Setting.number("segmentation.downsample_ratio", 0, 0, 1,
            "Models with a downsample_ratio input (rvm): the fraction of the model's input the encoder runs at."
            + " 0 = chosen from the input size so the encoder's longer side is encoder_side pixels (with 320: 0.25"
            + " at 1280x720, 1 at 320x180).")
            .rule(r -> r == 0 || r >= 0.05, "0 (auto) or between 0.05 and 1");
    public static final Setting<Integer> ENCODER_SIDE = Setting.integer("segmentation.encoder_side",
            ModelOptions.DEFAULT_ENCODER_SIDE, ModelOptions.MIN_INPUT_SIDE, 4096,
            "Models with a downsample_ratio input (rvm), ratio 0: the longer side, in pixels, the encoder runs at."
            + " Larger finds people better and costs more (at 720p: 320 px 54 ms, 640 px 240 ms; BENCHMARKS.md).")
            .flag("--encoder-side", "PX");
    public static final Setting<Integer> MAX_INPUT_SIDE = Setting.integer("segmentation.max_input_side", 320, 0, 8192,
            "Models that run at any size (rvm): a frame whose longer side is larger is scaled down to this many"
            + " pixels for inference, and the compositor's guided upsampling brings the edge back to the frame."
            + " 0 = the frame's own size. rvm at 720p: 320 runs 1.7x as fast as 0 at the same IoU (BENCHMARKS.md).")
            .rule(s -> s == 0 || s >= ModelOptions.MIN_INPUT_SIDE, "0 (the frame's size) or at least "
                    + ModelOptions.MIN_INPUT_SIDE).flag("--max-input-side", "PX");
    public static final Setting<Averaging> AVERAGING = Setting.choice("segmentation.averaging", Averaging.NONE,
            "Test-time averaging: none, or mirror: the model also runs on the frame mirrored left to right and the"
            + " two masks are averaged (twice the inference time; part of --quality best).")
            .flag("--averaging", "none|mirror");
    public static final Setting<Integer> EVERY = Setting.integer("segmentation.every", 8, 1, 10,
            "At most this many frames share one run of the model: the frames after a run reuse its mask (the"
            + " temporal smoothing carries it) while the picture stays still (still_below, still_cell_below). 1 ="
            + " every frame. Talking heads: the model runs on a fifth to a third of the frames, masks within 0.0015"
            + " IoU of every frame's; clips with truth: IoU unchanged (BENCHMARKS.md, \"Inference rate\").")
            .flag("--segment-every", "N");
    public static final Setting<Double> STILL_BELOW = Setting.number("segmentation.still_below", 1, 0, 255,
            "A frame reuses the last mask only when the picture changed by less than this since the model last"
            + " ran: the mean change of a 32x18 grid of the green channel, in grey levels; moving frames always"
            + " run the model. Such frames also keep the blurred background made from that frame (CPU"
            + " compositor). 0 = frames reuse by count alone, which costs IoU on fast motion (every 2: 0.88 to"
            + " 0.77 on a swinging person).")
            .flag("--still-below", "LEVELS");
    public static final Setting<Double> STILL_CELL_BELOW = Setting.number("segmentation.still_cell_below", 16, 1, 255,
            "And only when no cell of that grid changed by this many grey levels or more, so that a hand or an"
            + " object moving in a small part of the picture runs the model (a juggler: 0.979 IoU against the"
            + " every-frame masks with the mean alone, 0.991 with this). 255 = the mean alone.")
            .flag("--still-cell-below", "LEVELS");
    public static final Setting<Integer> MASK_DEADLINE_MS = Setting.integer("segmentation.mask_deadline_ms", 250, 10,
            60_000, "Live: a frame waits at most this long for its mask. A frame whose mask is late, or whose model"
            + " failed, leaves with the background effect over the whole picture (blurred strongly or replaced),"
            + " never with the room showing; the model keeps being tried and masks return when it recovers."
            + " (Files wait for every mask; a model error ends the run.)");
    public static final Setting<Integer> MODEL_MB = Setting.integer("segmentation.limits.model_mb", 1024, 1, 1 << 20,
            "Graph and weight files together, in MiB.");
    public static final Setting<Integer> TENSOR_ELEMENTS = Setting.integer("segmentation.limits.tensor_elements",
            1 << 28, 1, Integer.MAX_VALUE,
            "Elements of any one tensor the model declares (a constant, an input shape, a weight).");
    public static final Setting<Integer> GRAPH_NODES = Setting.integer("segmentation.limits.graph_nodes", 200_000, 1,
            Integer.MAX_VALUE, "Nodes in the graph (and its functions).");
    public static final Setting<Integer> GRAPH_DEPTH = Setting.integer("segmentation.limits.graph_depth", 20_000, 1,
            Integer.MAX_VALUE, "Nodes on the longest chain of operations from an input to an output.");
    static final List<Setting<?>> SETTINGS = List.of(MODEL, INTRA_OP_THREADS, INTER_OP_THREADS, ASPECT,
            DOWNSAMPLE_RATIO, ENCODER_SIDE, MAX_INPUT_SIDE, AVERAGING, EVERY, STILL_BELOW, STILL_CELL_BELOW, MASK_DEADLINE_MS,
            MODEL_MB, TENSOR_ELEMENTS, GRAPH_NODES, GRAPH_DEPTH);

    public static final Segmentation DEFAULT = from(SettingValues.DEFAULTS);

    /** Which frames the model runs on, as every, stillBelow and stillCellBelow say. */
    public InferenceRate inferenceRate() {
        return new InferenceRate(every, new MotionGate(stillBelow, stillCellBelow));
    }

    static Segmentation from(SettingValues v) {
        return new Segmentation(v.get(MODEL), v.get(INTRA_OP_THREADS), v.get(INTER_OP_THREADS), v.get(ASPECT),
                v.get(DOWNSAMPLE_RATIO), v.get(ENCODER_SIDE), v.get(MAX_INPUT_SIDE), v.get(AVERAGING),
                new ModelLimits((long) v.get(MODEL_MB) << 20, v.get(TENSOR_ELEMENTS),
                        v.get(GRAPH_NODES), v.get(GRAPH_DEPTH)), v.get(EVERY), v.get(STILL_BELOW), v.get(STILL_CELL_BELOW),
                v.get(MASK_DEADLINE_MS));
    }
}
