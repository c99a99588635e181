package dev.backdrop.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Prepares augmented batches on its own thread while the trainer runs the previous one, so decoding and
 * augmentation cost no training time. Three batches circulate between the two threads; nothing is
 * allocated per batch.
 */
final class BatchMaker implements AutoCloseable {

    /** A batch of inputs [n, h, w, 3] and targets [n, h, w, 1], as flat arrays. */
    static final class Batch {
        final float[] images;
        final float[] masks;

        Batch(int batch, int width, int height) {
            images = new float[batch * width * height * 3];
            masks = new float[batch * width * height];
        }
    }

    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(3);
    private final BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(3);
    private final Thread thread;
    private volatile RuntimeException failure;

    /**
     * Epoch after epoch from firstEpoch, each stepsPerEpoch batches of batchSize: train shuffled and augmented
     * by a random source seeded with (seed, epoch) alone, so a run resumed at an epoch sees exactly the batches
     * an uninterrupted run would have.
     */
    BatchMaker(List<TrainingImage> train, List<TrainingImage> backgrounds, int batchSize, int width, int height,
            double webcamCrops, boolean fitHeight, long seed, int firstEpoch, int stepsPerEpoch) {
        for (int i = 0; i < 3; i++) {
            free.add(new Batch(batchSize, width, height));
        }
        thread = new Thread(() -> run(train, backgrounds, batchSize, width, height, webcamCrops, fitHeight, seed, firstEpoch,
                stepsPerEpoch),
                "train-batches");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(List<TrainingImage> train, List<TrainingImage> backgrounds, int batchSize, int width, int height,
            double webcamCrops, boolean fitHeight, long seed, int firstEpoch, int stepsPerEpoch) {
        List<TrainingImage> order = new ArrayList<>(train);
        try (Augmenter augmenter = new Augmenter(width, height, webcamCrops, fitHeight)) {
            for (int epoch = firstEpoch; !Thread.currentThread().isInterrupted(); epoch++) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
                order.clear();
                order.addAll(train);
                Collections.shuffle(order, new java.util.Random(random.nextLong()));
                for (int step = 0, next = 0; step < stepsPerEpoch; step++) {
                    Batch b = free.take();
                    for (int i = 0; i < batchSize; i++) {
                        // the last batch of an epoch tops up from the epoch's start
                        augmenter.random(order.get(next++ % order.size()), backgrounds, random, b.images, b.masks, i);
                    }
                    ready.put(b);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The next batch; give it back with {@link #recycle} once its tensors are made. */
    Batch take() throws InterruptedException {
        while (true) {
            Batch b = ready.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (b != null) {
                return b;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    void recycle(Batch b) {
        free.add(b);
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
