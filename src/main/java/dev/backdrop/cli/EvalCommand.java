package dev.backdrop.cli;

import dev.backdrop.config.Edge;
import dev.backdrop.config.Settings;
import dev.backdrop.eval.EvalReport;
import dev.backdrop.eval.ImageEvaluation;
import dev.backdrop.eval.ImageScore;
import dev.backdrop.eval.VideoFlicker;
import dev.backdrop.pipeline.StageFactory;
import dev.backdrop.segment.SegmentationModel;
import dev.backdrop.still.StillSegmenter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backdrop eval}: how good the masks are, in numbers. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score masks against ground truth (IoU, boundary F, alpha error), or measure flicker on a clip.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", description = "Photos to segment.")
    Path images;

    @Option(names = "--masks", paramLabel = "DIR", description = "Ground-truth masks, same base names as the photos.")
    Path masks;

    @Option(names = "--video", paramLabel = "CLIP", description = "Measure flicker on this clip instead.")
    String video;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "300", description = "With --video: frames to read at most (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        if ((images == null) != (masks == null) || (images == null && video == null)) {
            throw new IllegalArgumentException("give --images DIR with --masks DIR, or --video CLIP");
        }
        // The inward feather deliberately moves the blended edge inside the person; scoring it
        // would measure that choice, not the segmentation: measure the refined mask unfeathered.
        options.unlessGiven(Edge.FEATHER, "0");
        Settings settings = options.resolve();
        Path home = Backdrop.home();
        try (SegmentationModel model = StageFactory.loadModel(settings, home);
             StillSegmenter segmenter = new StillSegmenter(model, settings.compose(),
                     StageFactory.shaderDir(home))) {
            if (images != null) {
                List<ImageScore> scores = new ArrayList<>();
                for (ImageEvaluation.Pair pair : ImageEvaluation.pairs(images, masks)) {
                    scores.add(ImageEvaluation.score(pair, segmenter));
                }
                EvalReport report = new EvalReport(model.description(), scores);
                report.print(System.out);
                if (json != null) {
                    report.writeJson(json);
                }
            }
            if (video != null) {
                VideoFlicker.Result flicker = VideoFlicker.measure(video, segmenter, frames);
                System.out.printf("flicker over %d frames (mean absolute mask change per frame): raw %.5f, refined %.5f%n",
                        flicker.frames(), flicker.raw(), flicker.refined());
            }
        }
        return 0;
    }
}
