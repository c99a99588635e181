package dev.backdrop.segment;

/**
 * How to run a model.
 *
 * @param intraOpThreads  TensorFlow threads within one op; 0 = TensorFlow's choice
 * @param interOpThreads  TensorFlow threads across ops; 0 = TensorFlow's choice
 * @param aspect          fitting of frames into a fixed-size input; null = the model's model.yaml, else the
 *                        project default ({@link #DEFAULT_ASPECT})
 * @param downsampleRatio for models with a downsample_ratio input (RVM): 0 = chosen from the frame size
 *                        ({@link SegmentationModel#autoDownsampleRatio}), else 0.05..1
 * @param maxInputSide    for models that run at any size (RVM): frames whose longer side is larger are scaled
 *                        down to it before inference; 0 = run at the frame's own size
 * @param averaging       more runs per frame, averaged ({@link Averaging}); null = none
 * @param limits          how large and deep a model may be before it is refused ({@link ModelLimits})
 */
public record ModelOptions(int intraOpThreads, int interOpThreads, AspectMode aspect, double downsampleRatio,
                           int maxInputSide, Averaging averaging, ModelLimits limits) {

    /** Best mean IoU on the shared portraits with the bundled selfie model (PortraitIouTest: stretch 0.899, letterbox 0.892, crop 0.871). */
    public static final AspectMode DEFAULT_ASPECT = AspectMode.STRETCH;
    /** Below this a person is a few pixels tall in the encoder; RVM's own smallest sensible input. */
    public static final int MIN_INPUT_SIDE = 64;

    public ModelOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (TensorFlow's choice) or more");
        }
        if (downsampleRatio != 0 && !(downsampleRatio >= 0.05 && downsampleRatio <= 1)) {
            throw new IllegalArgumentException("downsample ratio must be 0 (auto) or between 0.05 and 1, got "
                    + downsampleRatio);
        }
        if (maxInputSide != 0 && maxInputSide < MIN_INPUT_SIDE) {
            throw new IllegalArgumentException("max input side must be 0 (the frame's size) or at least "
                    + MIN_INPUT_SIDE + ", got " + maxInputSide);
        }
        if (averaging == null) {
            averaging = Averaging.NONE;
        }
        if (limits == null) {
            limits = ModelLimits.DEFAULTS;
        }
    }

    public ModelOptions(int intraOpThreads, int interOpThreads, AspectMode aspect, double downsampleRatio) {
        this(intraOpThreads, interOpThreads, aspect, downsampleRatio, 0, Averaging.NONE, ModelLimits.DEFAULTS);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, 0, null, 0, 0, Averaging.NONE, ModelLimits.DEFAULTS);
    }

    public ModelOptions withThreads(int intra, int inter) {
        return new ModelOptions(intra, inter, aspect, downsampleRatio, maxInputSide, averaging, limits);
    }

    public ModelOptions withAspect(AspectMode value) {
        return new ModelOptions(intraOpThreads, interOpThreads, value, downsampleRatio, maxInputSide, averaging, limits);
    }

    public ModelOptions withDownsampleRatio(double value) {
        return new ModelOptions(intraOpThreads, interOpThreads, aspect, value, maxInputSide, averaging, limits);
    }

    public ModelOptions withMaxInputSide(int value) {
        return new ModelOptions(intraOpThreads, interOpThreads, aspect, downsampleRatio, value, averaging, limits);
    }

    public ModelOptions withAveraging(Averaging value) {
        return new ModelOptions(intraOpThreads, interOpThreads, aspect, downsampleRatio, maxInputSide, value, limits);
    }

    public ModelOptions withLimits(ModelLimits value) {
        return new ModelOptions(intraOpThreads, interOpThreads, aspect, downsampleRatio, maxInputSide, averaging, value);
    }
}
