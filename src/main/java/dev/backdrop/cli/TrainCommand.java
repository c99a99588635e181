package dev.backdrop.cli;

import dev.backdrop.train.TrainOptions;
import dev.backdrop.train.TrainingRun;
import dev.backdrop.train.UNetSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backdrop train}: a mask model of one's own, trained in TensorFlow Java. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a U-Net person-mask model on photos with masks (or labelled by a teacher model) and "
                + "export it as a model folder that process, live, segment and eval load with --model."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, paramLabel = "DIR|VIDEO",
            description = "Training photos, or a video to sample frames from (needs --teacher).")
    Path images;

    @Option(names = "--masks", paramLabel = "DIR", description = "Person masks with the photos' base names (e.g. photo1.png).")
    Path masks;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write, e.g. models/mine.")
    Path out;

    @Option(names = "--size", defaultValue = "192x192", paramLabel = "WxH", description = "Network input size (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--widths", defaultValue = "8,16,24,32", paramLabel = "LIST",
            description = "Channels per level, finest first (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--convs", defaultValue = "1", description = "3x3 convolutions per block (default ${DEFAULT-VALUE}).")
    int convs;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training photos (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "Photos per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Peak learning rate of Adam (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Share of photos held out for validation (default ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--init", paramLabel = "MODEL", description = "Fine-tune from a model made by backdrop train (name or folder).")
    Path init;

    @Option(names = "--teacher", paramLabel = "MODEL", description = "Label photos without masks with this model, e.g. rvm.")
    String teacher;

    @Option(names = "--every", defaultValue = "15", description = "With a video: use one frame in this many (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads; 0 = all cores (default).")
    int threads;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --out.")
    boolean resume;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the split, initial weights and augmentation.")
    long seed;

    @Override
    public Integer call() throws Exception {
        int[] wh = FrameSize.parse(size, "--size");
        UNetSpec spec = new UNetSpec(wh[0], wh[1], UNetSpec.parseWidths(widths), convs);
        TrainOptions options = new TrainOptions(images, masks, out, spec, epochs, batch, lr, valSplit, init, teacher,
                every, threads, resume, seed);
        new TrainingRun(options, Backdrop.home().resolve("models"), System.out, System.console() != null).run();
        return 0;
    }
}
