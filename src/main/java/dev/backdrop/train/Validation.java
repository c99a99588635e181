package dev.backdrop.train;

import java.util.List;

/** The held-out photos, prepared once without augmentation, and the mean IoU the model reaches on them. */
final class Validation {
    private final int count;
    private final int pixels;
    private final float[] inputs;
    private final float[] truth;
    private final float[] predicted;

    Validation(List<TrainingImage> photos, int width, int height) {
        count = photos.size();
        pixels = width * height;
        inputs = new float[count * pixels * 3];
        truth = new float[count * pixels];
        predicted = new float[count * pixels];
        try (Augmenter plain = new Augmenter(width, height, 0, false)) {
            for (int i = 0; i < count; i++) {
                plain.plain(photos.get(i), inputs, truth, i);
            }
        }
    }

    /** NaN when there is no validation set. */
    double iou(Trainer trainer) {
        if (count == 0) {
            return Double.NaN;
        }
        trainer.predict(inputs, count, predicted);
        return MaskIou.mean(predicted, truth, count, pixels);
    }
}
