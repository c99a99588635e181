package dev.backdrop.train;

import java.nio.file.Path;

/**
 * Everything {@code backdrop train} was asked for.
 *
 * @param spec     the U-Net to build; ignored when starting from --init or --resume weights (theirs wins)
 * @param init     a model folder made by backdrop train to fine-tune from, or null
 * @param teacher  the model that labels photos without masks (distillation), or null
 * @param every    for a video as --images: one frame in this many
 * @param threads  TensorFlow's intra-op threads; 0 for all cores
 */
public record TrainOptions(Path images, Path masks, Path out, UNetSpec spec, int epochs, int batch,
        float learningRate, double valSplit, Path init, String teacher, int every, int threads, boolean resume,
        long seed) {

    public TrainOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1 || batch > 256) {
            throw new IllegalArgumentException("--batch must be 1..256, got " + batch);
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("--lr must be between 0 and 1 (e.g. 0.003), got " + learningRate);
        }
        if (!(valSplit >= 0 && valSplit < 1)) {
            throw new IllegalArgumentException("--val-split must be in [0, 1) (e.g. 0.1), got " + valSplit);
        }
        if (every < 1) {
            throw new IllegalArgumentException("--every must be at least 1, got " + every);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be 0 (all cores) or more, got " + threads);
        }
    }
}
