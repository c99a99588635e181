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
 * @param encoderSide     with an automatic downsample ratio, the longer side the encoder runs at
 * @param maxInputSide    for models that run at any size (RVM): frames whose longer side is larger are scaled
 *                        down to it before inference; 0 = run at the frame's own size
 * @param averaging       more runs per frame, averaged ({@link Averaging}); null = none
 * @param limits          how large and deep a model may be before it is refused ({@link ModelLimits})
 */
public record ModelOptions(int intraOpThreads, int interOpThreads, AspectMode aspect, double downsampleRatio,
                           int encoderSide, int maxInputSide, Averaging averaging, ModelLimits limits) {

    /** Best mean IoU on the shared portraits with the bundled selfie model (PortraitIouTest: stretch 0.899, letterbox 0.892, crop 0.871). */
    public static final AspectMode DEFAULT_ASPECT = AspectMode.STRETCH;
    /** Below this a person is a few pixels tall in the encoder; RVM's own smallest sensible input. */
    public static final int MIN_INPUT_SIDE = 64;
    /**
     * The encoder's longer side with an automatic ratio. Measured on moving clips with truth (BENCHMARKS.md):
     * IoU rises with the encoder's size (256: 0.959, 320: 0.966, 384: 0.971, 640: 0.985) and so does its time
     * (40, 54, 73, 240 ms at 720p); 320 keeps the IoU RVM had at 720p on the whole frame.
     */
    public static final int DEFAULT_ENCODER_SIDE = 320;

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
        if (encoderSide < MIN_INPUT_SIDE) {
            throw new IllegalArgumentException("encoder side must be at least " + MIN_INPUT_SIDE + ", got "
                    + encoderSide);
        }
        if (averaging == null) {
            averaging = Averaging.NONE;
        }
        if (limits == null) {
            limits = ModelLimits.DEFAULTS;
        }
    }

    /** TensorFlow's threads, the model's aspect, an automatic ratio, the whole frame, one run, default limits. */
    public static ModelOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().threads(intraOpThreads, interOpThreads).aspect(aspect).downsampleRatio(downsampleRatio)
                .encoderSide(encoderSide).maxInputSide(maxInputSide).averaging(averaging).limits(limits);
    }

    /** Options one at a time; {@link #build} checks them together. */
    public static final class Builder {
        private int intraOpThreads;
        private int interOpThreads;
        private AspectMode aspect;
        private double downsampleRatio;
        private int encoderSide = DEFAULT_ENCODER_SIDE;
        private int maxInputSide;
        private Averaging averaging = Averaging.NONE;
        private ModelLimits limits = ModelLimits.DEFAULTS;

        private Builder() {
        }

        public Builder threads(int intra, int inter) {
            intraOpThreads = intra;
            interOpThreads = inter;
            return this;
        }

        public Builder aspect(AspectMode value) {
            aspect = value;
            return this;
        }

        public Builder downsampleRatio(double value) {
            downsampleRatio = value;
            return this;
        }

        public Builder encoderSide(int value) {
            encoderSide = value;
            return this;
        }

        public Builder maxInputSide(int value) {
            maxInputSide = value;
            return this;
        }

        public Builder averaging(Averaging value) {
            averaging = value;
            return this;
        }

        public Builder limits(ModelLimits value) {
            limits = value;
            return this;
        }

        public ModelOptions build() {
            return new ModelOptions(intraOpThreads, interOpThreads, aspect, downsampleRatio, encoderSide, maxInputSide,
                    averaging, limits);
        }
    }
}
