package dev.backdrop.train;

import dev.backdrop.segment.SegmentationModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The training loop of {@code backdrop train}: load and label the photos, split off a validation set, run
 * epochs of augmented batches with a warm-up + cosine learning-rate schedule, report loss and IoU per epoch,
 * checkpoint after each, and export the model folder at the end.
 */
public final class TrainingRun {
    static final String CHECKPOINT = "checkpoint";
    private static final String PROGRESS = "progress.properties";

    /** What one epoch achieved. */
    public record Epoch(int number, double loss, double trainIou, double valIou, double imagesPerSecond) {
    }

    /** The finished run: per-epoch history and the exported model's shape. */
    public record Result(String network, List<Epoch> epochs, int trainImages, List<String> heldOut,
            int teacherLabelled, int labelsFromCache) {
        public Epoch last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    private final TrainOptions o;
    private final Path modelsDir;
    private final PrintStream log;
    private final boolean terminal;

    public TrainingRun(TrainOptions options, Path modelsDir, PrintStream log, boolean terminal) {
        this.o = options;
        this.modelsDir = modelsDir;
        this.log = log;
        this.terminal = terminal;
    }

    public Result run() throws IOException, InterruptedException {
        Path checkpointDir = o.out().resolve(CHECKPOINT);
        Start start = start(checkpointDir);
        Network net = start.network;
        int maxSide = 2 * Math.max(net.width(), net.height());
        try (TrainingSet set = loadSet(maxSide)) {
            List<TrainingImage> shuffled = splitOrder(set.images);
            int val = validationCount(shuffled, o.valSplit());
            List<TrainingImage> valSet = shuffled.subList(0, val);
            List<TrainingImage> trainSet = shuffled.subList(val, shuffled.size());
            log.printf("training %s on %d photos%s, validating on %d%n", net.describe(), trainSet.size(),
                    set.labelledByTeacher + set.labelsFromCache > 0 ? " (" + set.labelledByTeacher + " labelled by "
                    + o.teacher() + " now, " + set.labelsFromCache + " from its label cache)" : "", val);
            Validation validation = new Validation(valSet, net.width(), net.height());
            List<Epoch> history = new ArrayList<>(start.history);
            int stepsPerEpoch = Math.max(1, (trainSet.size() + o.batch() - 1) / o.batch());
            long totalSteps = (long) stepsPerEpoch * o.epochs();
            float[] predictions = new float[o.batch() * net.width() * net.height()];
            try (Trainer trainer = new Trainer(net, o.batch(), o.learningRate(), start.weights, start.optimiser,
                    o.threads());
                 BatchMaker batches = new BatchMaker(trainSet, set.images, o.batch(), net.width(), net.height(),
                         o.webcamCrops(), o.fitHeight(), o.seed(), start.epoch + 1, stepsPerEpoch)) {
                if (start.epoch == 0 && net.origin() != null && val > 0) {
                    log.printf("val IoU %.3f before training (%s as it is)%n", validation.iou(trainer), net.origin());
                }
                for (int epoch = start.epoch + 1; epoch <= o.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    double lossSum = 0;
                    double iouSum = 0;
                    for (int step = 0; step < stepsPerEpoch; step++) {
                        trainer.setLearningRate(learningRate((long) (epoch - 1) * stepsPerEpoch + step, totalSteps,
                                stepsPerEpoch));
                        BatchMaker.Batch b = batches.take();
                        lossSum += trainer.step(b, predictions);
                        iouSum += MaskIou.mean(predictions, b.masks, o.batch(), net.width() * net.height());
                        batches.recycle(b);
                        if (terminal) {
                            progress(epoch, step + 1, stepsPerEpoch, lossSum / (step + 1), iouSum / (step + 1), t0);
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    Epoch e = new Epoch(epoch, lossSum / stepsPerEpoch, iouSum / stepsPerEpoch,
                            validation.iou(trainer), stepsPerEpoch * o.batch() / seconds);
                    history.add(e);
                    if (terminal) {
                        log.print("\r" + " ".repeat(100) + "\r");
                    }
                    log.printf("epoch %d/%d  loss %.4f  IoU %.3f  val IoU %s  %.0f images/s%n", epoch, o.epochs(), e.loss(),
                            e.trainIou(), val > 0 ? String.format("%.3f", e.valIou()) : "-", e.imagesPerSecond());
                    checkpoint(checkpointDir, net, trainer.weights(), trainer.optimiserState(), history);
                }
                net.export(o.out(), trainer.weights(), notice(net, trainSet.size(), set.labelledByTeacher
                        + set.labelsFromCache, history));
            }
            log.printf("model written to %s (load it with --model %s)%n", o.out(), o.out());
            return new Result(net.describe(), history, trainSet.size(), valSet.stream().map(p -> p.name).toList(),
                    set.labelledByTeacher, set.labelsFromCache);
        }
    }

    /**
     * How many photos from the front of the split order are held out: the share asked for, then on to the
     * end of the last clip begun, so that no clip has frames on both sides.
     */
    static int validationCount(List<TrainingImage> ordered, double share) {
        if (share == 0 || ordered.size() < 2) {
            return 0;
        }
        int val = Math.max(1, (int) Math.round(ordered.size() * share));
        while (val < ordered.size() - 1 && group(ordered.get(val).name).equals(group(ordered.get(val - 1).name))) {
            val++;
        }
        return val;
    }

    /** The clip a frame came from ("talk.mp4#30" -> "talk.mp4"); a photo is a group of its own. */
    static String group(String name) {
        int hash = name.lastIndexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }

    /**
     * The photos in a fixed pseudo-random order decided by their names alone, held-out ones first. Not by
     * --seed: a fine-tuning stage (--init, --resume) with another seed must hold out the same photos, or
     * its validation IoU would be measured on photos an earlier stage trained on.
     */
    static List<TrainingImage> splitOrder(List<TrainingImage> photos) {
        List<TrainingImage> out = new ArrayList<>(photos);
        out.sort(java.util.Comparator.comparingLong((TrainingImage p) -> mix(group(p.name).hashCode()))
                .thenComparing(p -> group(p.name)).thenComparing(p -> p.name));
        return out;
    }

    /** A 64-bit finaliser (SplitMix64's): nearby hash codes land far apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Where training begins: the network, and the weights and optimiser state of an interrupted run, if any. */
    private record Start(Network network, Map<String, float[]> weights, Map<String, float[]> optimiser, int epoch,
            List<Epoch> history) {
    }

    private Start start(Path checkpointDir) throws IOException {
        if (!o.resume()) {
            return new Start(network(null), null, null, 0, List.of());
        }
        Path progress = checkpointDir.resolve(PROGRESS);
        if (!Files.isRegularFile(progress)) {
            throw new IllegalArgumentException("--resume: " + o.out() + " has no checkpoint (" + progress
                    + "); start without --resume");
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(progress)) {
            p.load(in);
        }
        List<Epoch> history = new ArrayList<>();
        int done = Integer.parseInt(p.getProperty("epoch", "0"));
        for (int i = 1; i <= done; i++) {
            String[] f = p.getProperty("epoch." + i, "0,0,0,0").split(",");
            history.add(new Epoch(i, Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3])));
        }
        if (done >= o.epochs()) {
            throw new IllegalArgumentException("--resume: the checkpoint in " + o.out() + " has already done "
                    + done + " epochs; ask for more with --epochs");
        }
        Path weights = checkpointWeights(checkpointDir, done);
        if (!Files.isRegularFile(weights)) {
            weights = checkpointDir.resolve(WeightsFile.NAME); // a checkpoint from before files named their epoch
        }
        Path optimiser = checkpointOptimiser(checkpointDir, done);
        boolean hasState = Files.isRegularFile(optimiser);
        log.printf("resuming after epoch %d from %s%s%n", done, weights,
                hasState ? "" : " (no optimiser state saved: Adam starts afresh)");
        Network net = network(weights);
        Map<String, float[]> trained = net instanceof UNetNetwork ? null : net.readWeights(weights);
        return new Start(net, trained, hasState ? WeightsFile.readState(optimiser) : null, done, history);
    }

    /**
     * The network to train: a fresh U-Net, the U-Net of a model made by train (its weights.bin), or any other
     * model imported; a resumed U-Net starts from its checkpoint's weights.
     */
    private Network network(Path checkpoint) {
        if (o.init() == null) {
            WeightsFile w = checkpoint != null ? WeightsFile.read(checkpoint) : null;
            return w == null ? new UNetNetwork(o.spec(), null, null, 0, o.seed())
                    : new UNetNetwork(w.spec(), w.weights(), null, 0, o.seed());
        }
        Path dir = SegmentationModel.locate(o.init(), modelsDir);
        if (Files.isRegularFile(dir.resolve(WeightsFile.NAME))) {
            WeightsFile w = WeightsFile.read(checkpoint != null ? checkpoint : dir.resolve(WeightsFile.NAME));
            return new UNetNetwork(w.spec(), w.weights(), o.init(), o.freeze(), o.seed());
        }
        return ImportedNetwork.load(o.init(), modelsDir, o.spec().width(), o.spec().height(), o.resizeInit(), o.freeze());
    }

    private TrainingSet loadSet(int maxSide) throws IOException {
        if (o.teacher() == null) {
            return TrainingSet.load(o, null, maxSide);
        }
        try (TeacherLabels teacher = new TeacherLabels(o.teacher(), modelsDir, o.labelCache())) {
            return TrainingSet.load(o, teacher, maxSide);
        }
    }

    /** Linear warm-up over the first epoch, then cosine decay to 5% of the rate. */
    private float learningRate(long step, long total, int warmup) {
        if (step < warmup && o.init() == null && !o.resume()) { // a trained start needs no warm-up
            return o.learningRate() * (step + 1) / warmup;
        }
        double t = (double) step / Math.max(1, total);
        return (float) (o.learningRate() * (0.05 + 0.95 * 0.5 * (1 + StrictMath.cos(Math.PI * t))));
    }

    private void progress(int epoch, int step, int steps, double loss, double iou, long t0) {
        int filled = step * 20 / steps;
        double perSecond = step * o.batch() / ((System.nanoTime() - t0) / 1e9);
        log.printf("\repoch %d/%d [%s%s] loss %.4f  IoU %.3f  %.0f images/s ", epoch, o.epochs(), "#".repeat(filled),
                ".".repeat(20 - filled), loss, iou, perSecond);
        log.flush();
    }

    /** The weights a checkpoint holds after this epoch. */
    static Path checkpointWeights(Path dir, int epoch) {
        return dir.resolve("weights-" + epoch + ".bin");
    }

    /** Adam's state a checkpoint holds after this epoch. */
    static Path checkpointOptimiser(Path dir, int epoch) {
        return dir.resolve("optimiser-" + epoch + ".bin");
    }

    /**
     * The epoch's files first, then the progress file that names their epoch, each written atomically, then
     * the older files go: killed at any moment, the checkpoint's progress, weights and state belong together.
     */
    private static void checkpoint(Path dir, Network net, Map<String, float[]> weights, Map<String, float[]> optimiser,
            List<Epoch> history) throws IOException {
        Files.createDirectories(dir);
        int epoch = history.size();
        net.writeWeights(checkpointWeights(dir, epoch), weights);
        WeightsFile.writeState(checkpointOptimiser(dir, epoch), optimiser);
        Properties p = new Properties();
        p.setProperty("epoch", Integer.toString(epoch));
        for (Epoch e : history) {
            p.setProperty("epoch." + e.number(), e.loss() + "," + e.trainIou() + "," + e.valIou() + "," + e.imagesPerSecond());
        }
        WeightsFile.writeAtomically(dir.resolve(PROGRESS), out -> p.store(out, "backdrop train progress"));
        for (Path old : List.of(checkpointWeights(dir, epoch - 1), checkpointOptimiser(dir, epoch - 1),
                dir.resolve(WeightsFile.NAME))) {
            Files.deleteIfExists(old);
        }
    }

    private String notice(Network net, int photos, int teacherLabelled, List<Epoch> history) {
        Epoch last = history.get(history.size() - 1);
        return "# " + o.out().getFileName() + "\n\n"
                + (net.origin() != null ? net.origin() + " fine-tuned" : "A U-Net trained from scratch")
                + " by `backdrop train`: " + net.describe() + ", " + history.size()
                + " epochs, final validation IoU " + String.format("%.3f", last.valIou()) + ".\n\n"
                + "- Training data: " + o.images().stream().map(Path::toString).collect(Collectors.joining(", "))
                + (o.masks().isEmpty() ? "" : " with masks from " + o.masks().stream().map(Path::toString)
                        .collect(Collectors.joining(", ")))
                + (o.annotations() == null ? "" : ", annotations " + o.annotations())
                + (o.exclude().isEmpty() ? "" : ", leaving out " + String.join(", ", o.exclude()))
                + " (" + photos + " training photos)" + (teacherLabelled > 0 ? "; " + teacherLabelled
                + " masks labelled by the teacher model '" + o.teacher() + "' (check whether its terms reach its"
                + " labels)" : "") + ".\n"
                + (net.origin() != null ? "- Base model: " + net.origin() + "; its licence and NOTICE apply to this"
                + " model too.\n" : "")
                + "- The weights learned from that data: its licence and terms carry over to this model. Say so when"
                + " you share it.\n";
    }
}
