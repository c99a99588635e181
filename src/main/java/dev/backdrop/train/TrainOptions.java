package dev.backdrop.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code backdrop train} was asked for; made with {@link #builder()}.
 *
 * @param images       folders of photos (and clips), or single video files
 * @param masks        folders of masks; a photo's mask is the file with its base name in any of them
 * @param annotations  a COCO-style instance annotation file whose people become the masks of the photos it names
 * @param category     the annotations' category that is a person
 * @param negatives    keep annotated photos without a person, as all-background masks
 * @param exclude      file-name globs (e.g. "ccp_09*") of photos and clips never loaded: a fixed validation split
 * @param spec         the U-Net to build; ignored when starting from --init or --resume weights (theirs wins)
 * @param learningRate peak learning rate; 0 for the default (lower when fine-tuning)
 * @param init         a model to fine-tune (bundled name or path, any format Backdrop loads), or null
 * @param freeze       with init: how many layers from the input keep their weights
 * @param teacher      the model that labels photos and clips without masks (distillation), or null
 * @param labelCache   where teacher labels are kept between runs; null to label every time
 * @param every        for a clip: one frame in this many becomes a training photo
 * @param webcamCrops  share of full-body samples cropped to their upper third to half (webcam framing)
 * @param threads      TensorFlow's intra-op threads; 0 for all cores
 * @param fitHeight    photos keep their aspect, scaled to the input's height, instead of being stretched to it
 * @param resizeInit   a fixed-size init model is resized to spec's size (--size given), instead of keeping its own
 */
public record TrainOptions(List<Path> images, List<Path> masks, Path annotations, String category,
        boolean negatives, List<String> exclude, Path out, UNetSpec spec,
        int epochs, int batch, float learningRate, double valSplit, String init, int freeze, String teacher,
        Path labelCache, int every, double webcamCrops, int threads, boolean resume, long seed, boolean fitHeight, boolean resizeInit) {

    /** Adam's peak rate from scratch, and for weights that come trained from --init. */
    static final float SCRATCH_RATE = 0.003f;
    static final float FINE_TUNE_RATE = 0.0003f;

    public TrainOptions {
        images = List.copyOf(images);
        masks = List.copyOf(masks);
        exclude = List.copyOf(exclude);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("--images: give at least one folder of photos or a video");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out: give the model folder to write, e.g. models/mine");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1 || batch > 256) {
            throw new IllegalArgumentException("--batch must be 1..256, got " + batch);
        }
        if (learningRate == 0) {
            learningRate = init != null ? FINE_TUNE_RATE : SCRATCH_RATE;
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("--lr must be between 0 and 1 (e.g. 0.003), got " + learningRate);
        }
        if (!(valSplit >= 0 && valSplit < 1)) {
            throw new IllegalArgumentException("--val-split must be in [0, 1) (e.g. 0.1), got " + valSplit);
        }
        if (freeze < 0 || (freeze > 0 && init == null)) {
            throw new IllegalArgumentException(freeze < 0 ? "--freeze must be 0 or more layers, got " + freeze
                    : "--freeze keeps the first layers of a trained model: give that model with --init");
        }
        if (every < 1) {
            throw new IllegalArgumentException("--every must be at least 1, got " + every);
        }
        if (!(webcamCrops >= 0 && webcamCrops <= 1)) {
            throw new IllegalArgumentException("--webcam-crops must be a share in [0, 1], got " + webcamCrops);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be 0 (all cores) or more, got " + threads);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults as {@code backdrop train} has them. */
    public static final class Builder {
        private List<Path> images = List.of();
        private List<Path> masks = List.of();
        private List<String> exclude = List.of();
        private Path annotations;
        private String category = "person";
        private boolean negatives;
        private Path out;
        private UNetSpec spec = new UNetSpec(192, 192, new int[] {8, 16, 24, 32});
        private int epochs = 30;
        private int batch = 8;
        private float learningRate;
        private double valSplit = 0.1;
        private String init;
        private int freeze;
        private String teacher;
        private Path labelCache;
        private int every = 15;
        private double webcamCrops = 0.3;
        private int threads;
        private boolean resume;
        private long seed = 1;
        private boolean fitHeight;
        private boolean resizeInit;

        public Builder images(Path... v) {
            images = List.of(v);
            return this;
        }

        public Builder images(List<Path> v) {
            images = v;
            return this;
        }

        public Builder masks(Path... v) {
            masks = List.of(v);
            return this;
        }

        public Builder masks(List<Path> v) {
            masks = v;
            return this;
        }

        public Builder annotations(Path v) {
            annotations = v;
            return this;
        }

        public Builder category(String v) {
            category = v;
            return this;
        }

        public Builder negatives(boolean v) {
            negatives = v;
            return this;
        }

        public Builder exclude(List<String> v) {
            exclude = v;
            return this;
        }

        public Builder out(Path v) {
            out = v;
            return this;
        }

        public Builder spec(UNetSpec v) {
            spec = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        /** 0: the default for the run (lower with --init). */
        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder valSplit(double v) {
            valSplit = v;
            return this;
        }

        public Builder init(String v) {
            init = v;
            return this;
        }

        public Builder freeze(int v) {
            freeze = v;
            return this;
        }

        public Builder teacher(String v) {
            teacher = v;
            return this;
        }

        public Builder labelCache(Path v) {
            labelCache = v;
            return this;
        }

        public Builder every(int v) {
            every = v;
            return this;
        }

        public Builder webcamCrops(double v) {
            webcamCrops = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder fitHeight(boolean v) {
            fitHeight = v;
            return this;
        }

        public Builder resizeInit(boolean v) {
            resizeInit = v;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(images, masks, annotations, category, negatives, exclude, out, spec, epochs, batch, learningRate, valSplit, init,
                    freeze, teacher, labelCache, every, webcamCrops, threads, resume, seed, fitHeight, resizeInit);
        }
    }
}
