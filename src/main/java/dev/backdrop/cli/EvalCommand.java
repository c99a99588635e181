package dev.backdrop.cli;

import dev.backdrop.config.Settings;
import dev.backdrop.eval.EvalReport;
import dev.backdrop.eval.ImageEvaluation;
import dev.backdrop.eval.ImageScore;
import dev.backdrop.eval.MovingPersonClip;
import dev.backdrop.eval.VideoEvaluation;
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
        description = {"Score masks against ground truth (IoU, boundary F, alpha error) on photos or a clip, or measure"
                + " flicker on a clip. Masks are scored as the compositor blends with them, with the settings given.",
                "Make a clip with exact truth to score: --make-clip DIR --person PHOTO --person-mask MASK"
                        + " --backdrop-photo IMAGE."})
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", description = "Photos to segment.")
    Path images;

    @Option(names = "--masks", paramLabel = "DIR", description = "Ground-truth masks: the photos' base names, or with"
            + " --video one per frame in frame order by name (00000.png, 00001.png, ...).")
    Path masks;

    @Option(names = "--names", paramLabel = "GLOB", defaultValue = "*",
            description = "With --images: only the photos whose file name matches, e.g. 'ccp_08*' (default all).")
    String names;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "0",
            description = "With --images: scale every photo and its mask to this height first, e.g. 720 (default: as they are).")
    int height;

    @Option(names = "--video", paramLabel = "CLIP", description = "Score a clip (with --masks) or measure its flicker.")
    String video;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "300", description = "With --video: frames to read at most (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--make-clip", paramLabel = "DIR", description = "Write DIR/clip.mkv and DIR/masks/: --person swinging"
            + " over --backdrop-photo, --frames frames at --clip-size.")
    Path makeClip;

    @Option(names = "--person", paramLabel = "PHOTO", description = "With --make-clip: the labelled photo to cut the person from.")
    Path person;

    @Option(names = "--person-mask", paramLabel = "MASK", description = "With --make-clip: the person's mask.")
    Path personMask;

    @Option(names = "--backdrop-photo", paramLabel = "IMAGE", description = "With --make-clip: the background, with nobody"
            + " in it (blurred), or an FFmpeg source such as lavfi:gradients=s=1280x720:speed=0.")
    String backdropPhoto;

    @Option(names = "--clip-size", paramLabel = "SIZE", defaultValue = "1280x720",
            description = "With --make-clip: 360p, 720p, 1080p or WxH (default ${DEFAULT-VALUE}).")
    String clipSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        if (makeClip != null) {
            return makeClip();
        }
        if ((images == null) == (video == null) || (images != null && masks == null)) {
            throw new IllegalArgumentException("give --images DIR with --masks DIR, or --video CLIP (with --masks DIR to"
                    + " score it), or --make-clip DIR");
        }
        Settings settings = options.resolve();
        Path home = Backdrop.home();
        try (SegmentationModel model = StageFactory.loadModel(settings, home);
             StillSegmenter segmenter = new StillSegmenter(model, settings.compose(),
                     StageFactory.shaderDir(home), settings.segmentation().inferenceRate())) {
            if (images != null) {
                List<ImageScore> scores = new ArrayList<>();
                for (ImageEvaluation.Pair pair : ImageEvaluation.pairs(images, masks, names)) {
                    scores.add(ImageEvaluation.score(pair, segmenter, height));
                }
                EvalReport report = new EvalReport(model.description(), scores);
                report.print(System.out);
                if (json != null) {
                    report.writeJson(json);
                }
            } else {
                VideoEvaluation.Result r = VideoEvaluation.measure(video, masks, segmenter, frames);
                EvalReport.printVideo(model.description(), r, System.out);
                if (json != null) {
                    EvalReport.writeJson(json, model.description(), r);
                }
            }
        }
        return 0;
    }

    private int makeClip() throws Exception {
        if (person == null || personMask == null || backdropPhoto == null) {
            throw new IllegalArgumentException("--make-clip needs --person PHOTO, --person-mask MASK and --backdrop-photo IMAGE");
        }
        int[] size = FrameSize.parse(clipSize, "--clip-size");
        Path clip = MovingPersonClip.write(person, personMask, backdropPhoto, size[0], size[1], frames, makeClip);
        System.out.println("wrote " + clip + " and " + frames + " masks in " + makeClip.resolve("masks"));
        return 0;
    }
}
