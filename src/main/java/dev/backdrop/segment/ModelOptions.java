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
 * @param limits          how large and deep a model may be before it is refused ({@link ModelLimits})
 */
public record ModelOptions(int intraOpThreads, int interOpThreads, AspectMode aspect, double downsampleRatio,
                           ModelLimits limits) {

    /** Best mean IoU on the shared portraits with the bundled selfie model (PortraitIouTest: stretch 0.899, letterbox 0.892, crop 0.871). */
    public static final AspectMode DEFAULT_ASPECT = AspectMode.STRETCH;

    public ModelOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (TensorFlow's choice) or more");
        }
        if (downsampleRatio != 0 && !(downsampleRatio >= 0.05 && downsampleRatio <= 1)) {
            throw new IllegalArgumentException("downsample ratio must be 0 (auto) or between 0.05 and 1, got "
                    + downsampleRatio);
        }
        if (limits == null) {
            limits = ModelLimits.DEFAULTS;
        }
    }

    public ModelOptions(int intraOpThreads, int interOpThreads, AspectMode aspect, double downsampleRatio) {
        this(intraOpThreads, interOpThreads, aspect, downsampleRatio, ModelLimits.DEFAULTS);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, 0, null, 0);
    }

    public ModelOptions withThreads(int intra, int inter) {
        return new ModelOptions(intra, inter, aspect, downsampleRatio, limits);
    }

    public ModelOptions withAspect(AspectMode value) {
        return new ModelOptions(intraOpThreads, interOpThreads, value, downsampleRatio, limits);
    }

    public ModelOptions withDownsampleRatio(double value) {
        return new ModelOptions(intraOpThreads, interOpThreads, aspect, value, limits);
    }

    public ModelOptions withLimits(ModelLimits value) {
        return new ModelOptions(intraOpThreads, interOpThreads, aspect, downsampleRatio, value);
    }
}
