package dev.backdrop.cli;

import dev.backdrop.train.TrainOptions;
import dev.backdrop.train.TrainingRun;
import dev.backdrop.train.UNetSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backdrop train}: a mask model of one's own, trained in TensorFlow Java. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a person-mask model on photos with masks (or labelled by a teacher model): our U-Net "
                + "from scratch, or any model Backdrop loads fine-tuned with --init. Exports a model folder that "
                + "process, live, segment and eval load with --model."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, paramLabel = "DIR|VIDEO",
            description = "Training photos (and clips), or a video to sample frames from; repeat for more.")
    List<Path> images;

    @Option(names = "--masks", paramLabel = "DIR",
            description = "Person masks with the photos' base names (e.g. photo1.png); repeat for more folders.")
    List<Path> masks = List.of();

    @Option(names = "--annotations", paramLabel = "FILE.json",
            description = "COCO-style instance annotations (OCHuman's too): every person of a photo merged into its mask.")
    Path annotations;

    @Option(names = "--category", defaultValue = "person",
            description = "With --annotations: the category that is a person (default ${DEFAULT-VALUE}).")
    String category;

    @Option(names = "--negatives", description = "With --annotations: keep photos without a person, as background only.")
    boolean negatives;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Leave out photos and clips whose file name matches, e.g. 'ccp_09*' (a validation split"
                    + " no training touches); repeat for more.")
    List<String> exclude = List.of();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write, e.g. models/mine.")
    Path out;

    @Option(names = "--size", paramLabel = "WxH",
            description = "Network input size (default 192x192); a fixed-size --init model keeps its own unless this"
                    + " is given, and is then resized to it (e.g. selfie to 256x144 for 16:9 frames).")
    String size;

    @Option(names = "--widths", defaultValue = "8,16,24,32", paramLabel = "LIST",
            description = "U-Net channels per level, finest first (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--convs", defaultValue = "1", description = "U-Net 3x3 convolutions per block (default ${DEFAULT-VALUE}).")
    int convs;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training photos (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "Photos per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0", paramLabel = "RATE",
            description = "Peak learning rate of Adam (default 0.003 from scratch, 0.0003 for the trained weights of --init).")
    float lr;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Share of photos held out for validation (default ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--init", paramLabel = "MODEL",
            description = "Fine-tune this model: a bundled name (e.g. selfie) or a folder, in any format Backdrop loads.")
    String init;

    @Option(names = "--freeze", defaultValue = "0", paramLabel = "N",
            description = "With --init: keep the weights of the first N layers (convolutions from the input) as they are.")
    int freeze;

    @Option(names = "--teacher", paramLabel = "MODEL", description = "Label photos and clips without masks with this model, e.g. rvm.")
    String teacher;

    @Option(names = "--label-cache", paramLabel = "DIR",
            description = "Where teacher labels are kept between runs (default $XDG_CACHE_HOME/backdrop/labels);"
                    + " 'none' to label every time.")
    String labelCache;

    @Option(names = "--every", defaultValue = "15", description = "With clips: use one frame in this many (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--webcam-crops", defaultValue = "0.3", paramLabel = "SHARE",
            description = "Share of full-body samples cut to their upper third to half (default ${DEFAULT-VALUE}).")
    double webcamCrops;

    /** How a training photo fills the network's input. */
    enum Fit { STRETCH, HEIGHT }

    @Option(names = "--fit", defaultValue = "stretch", paramLabel = "stretch|height",
            description = "How a photo fills the network's input: stretch (each axis on its own; default) or height"
                    + " (its aspect kept, scaled to the input's height; uncovered sides get another background).")
    Fit fit;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads; 0 = all cores (default).")
    int threads;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --out (give the same --init).")
    boolean resume;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the initial weights and augmentation.")
    long seed;

    @Override
    public Integer call() throws Exception {
        int[] wh = FrameSize.parse(size == null ? "192x192" : size, "--size");
        TrainOptions options = TrainOptions.builder().images(images).masks(masks).annotations(annotations)
                .category(category).negatives(negatives).exclude(exclude).out(out)
                .spec(new UNetSpec(wh[0], wh[1], UNetSpec.parseWidths(widths), convs)).epochs(epochs).batch(batch)
                .learningRate(lr).valSplit(valSplit).init(init).freeze(freeze).teacher(teacher)
                .labelCache(labelCacheDir()).every(every).webcamCrops(webcamCrops).threads(threads).resume(resume)
                .seed(seed).fitHeight(fit == Fit.HEIGHT).resizeInit(size != null).build();
        new TrainingRun(options, Backdrop.home().resolve("models"), System.out, System.console() != null).run();
        return 0;
    }

    private Path labelCacheDir() {
        if ("none".equals(labelCache)) {
            return null;
        }
        if (labelCache != null) {
            return Path.of(labelCache);
        }
        return dev.backdrop.config.UserDirs.cacheDir().resolve("labels");
    }
}
