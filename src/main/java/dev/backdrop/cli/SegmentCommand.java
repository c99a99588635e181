package dev.backdrop.cli;

import dev.backdrop.config.Settings;
import dev.backdrop.pipeline.StageFactory;
import dev.backdrop.segment.SegmentationModel;
import dev.backdrop.still.StillImage;
import dev.backdrop.still.StillSegmenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backdrop segment}: person masks and composited versions of photos. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Write the person mask (8-bit PNG, full resolution) and/or the composited image of photos.")
final class SegmentCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Photos (JPEG, PNG, WebP, BMP) or folders of them.")
    List<Path> inputs;

    @Option(names = "--mask", paramLabel = "OUT", description = "Mask file (one input) or folder: <name>.png per photo.")
    Path mask;

    @Option(names = "--output", paramLabel = "OUT", description = "Composited image file (one input) or folder: <name>.png per photo.")
    Path output;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        if (mask == null && output == null) {
            throw new IllegalArgumentException("nothing to write: give --mask OUT, --output OUT or both");
        }
        List<Path> photos = photos();
        Settings settings = options.resolve();
        Path home = Backdrop.home();
        try (SegmentationModel model = StageFactory.loadModel(settings, home);
             StillSegmenter segmenter = new StillSegmenter(model, settings.compose(),
                     StageFactory.shaderDir(home))) {
            for (Path photo : photos) {
                StillImage image = StillImage.read(photo);
                StillSegmenter.Result r = segmenter.segment(image, output != null);
                StringBuilder line = new StringBuilder(String.format("%s %dx%d person %.1f%%", photo,
                        image.width, image.height, 100.0 * personFraction(r.refinedMask())));
                if (mask != null) {
                    Path file = target(mask, photo, photos);
                    StillImage.writeGrey(file, ByteBuffer.allocateDirect(r.refinedMask().length).put(0, r.refinedMask()),
                            image.width, image.height, image.width);
                    line.append(" mask -> ").append(file);
                }
                if (output != null) {
                    Path file = target(output, photo, photos);
                    StillImage.writeBgr(file, r.composite(), image.width, image.height, image.stride);
                    line.append(" output -> ").append(file);
                }
                System.out.println(line);
            }
        }
        return 0;
    }

    /** The photos named, folders expanded (sorted, not recursive). */
    private List<Path> photos() throws IOException {
        List<Path> photos = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> files = Files.list(input)) {
                    files.filter(StillImage::isImage).sorted().forEach(photos::add);
                }
            } else if (Files.isRegularFile(input)) {
                photos.add(input);
            } else {
                throw new IllegalArgumentException("input " + input + " does not exist");
            }
        }
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("no photos found in " + inputs + " (looked for " + StillImage.EXTENSIONS + ")");
        }
        return photos;
    }

    /**
     * A single photo may name its output file; otherwise OUT is a folder of <name>.png files, or
     * <name>-<ext>.png when two photos share a name (a.jpg and a.webp), so none overwrites another.
     */
    private Path target(Path out, Path photo, List<Path> photos) throws IOException {
        if (photos.size() == 1 && StillImage.isImageName(out)) {
            return out;
        }
        Files.createDirectories(out);
        String base = baseName(photo);
        long sameBase = photos.stream().filter(p -> baseName(p).equals(base)).count();
        String name = photo.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return out.resolve(sameBase > 1 ? base + "-" + ext + ".png" : base + ".png");
    }

    private static String baseName(Path photo) {
        String name = photo.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static double personFraction(byte[] mask) {
        long n = 0;
        for (byte b : mask) {
            n += (b & 0xff) >= 128 ? 1 : 0;
        }
        return (double) n / mask.length;
    }
}
