package dev.backdrop.pipeline;

import dev.backdrop.capture.CaptureException;
import dev.backdrop.output.OutputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which files a batch {@code process} filters and what each one's output is called, decided before
 * anything runs, so that a name clash is refused before a single frame is written.
 */
public final class BatchPlan {

    /** What a folder given as input contributes: the files FFmpeg is commonly handed as recordings. */
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mkv", "mov", "webm", "avi", "m4v", "mpg", "mpeg", "ts",
            "mts", "m2ts", "flv", "wmv", "3gp", "ogv", "mxf");
    /** Containers an output keeps; any other input is written as MP4 (one without alpha cannot be). */
    private static final Set<String> KEPT = Set.of("mp4", "mkv", "mov");
    private static final Set<String> KEPT_WITH_ALPHA = Set.of("webm", "mov");

    /**
     * One file of the batch.
     *
     * @param output  the final name, there only once the file has been written whole
     * @param partial where it is written meanwhile: hidden, in the same folder (so the rename is atomic), with
     *                the real extension last so FFmpeg picks the same muxer
     */
    public record Entry(Path input, Path output, Path partial) {
    }

    private final List<Entry> entries;
    private final Path outputDir;

    private BatchPlan(List<Entry> entries, Path outputDir) {
        this.entries = List.copyOf(entries);
        this.outputDir = outputDir;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Path outputDir() {
        return outputDir;
    }

    /**
     * Folders are read for their video files (not recursively, hidden files left out, by name); files are
     * taken as named. transparent: the outputs carry alpha, so they need a container that holds it.
     */
    public static BatchPlan of(List<Path> inputs, Path outputDir, boolean transparent) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            files.addAll(Files.isDirectory(input) ? videosIn(input) : List.of(input));
        }
        if (files.isEmpty()) {
            throw new CaptureException("no video files in " + inputs + " (looked for "
                    + String.join(", ", VIDEO_EXTENSIONS.stream().sorted().toList()) + ")");
        }
        if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            throw new IllegalArgumentException("OUTDIR " + outputDir + " is a file: a batch writes into a folder");
        }
        Map<Path, Path> claimed = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            Path output = outputDir.resolve(outputName(file.getFileName().toString(), transparent));
            Path key = output.toAbsolutePath().normalize();
            Path other = claimed.putIfAbsent(key, file);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + file + " would both be written to " + output
                        + ": rename one, or process them into different folders");
            }
            entries.add(new Entry(file, output, outputDir.resolve("." + partialName(output.getFileName().toString()))));
        }
        for (Path file : files) {
            Path input = claimed.get(file.toAbsolutePath().normalize());
            if (input != null) {
                throw new IllegalArgumentException("the output for " + input + " would be the input file " + file
                        + " (the input is never overwritten): give another OUTDIR");
            }
        }
        return new BatchPlan(entries, outputDir);
    }

    /** Creates OUTDIR when it is missing. */
    public void createOutputDir() {
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new OutputException("cannot create OUTDIR " + outputDir + ": " + e.getMessage(), e);
        }
    }

    /** The input's base name; its container when it is one of those kept, else .mp4 (.mov for alpha). */
    static String outputName(String inputName, boolean transparent) {
        int dot = inputName.lastIndexOf('.');
        String base = dot > 0 ? inputName.substring(0, dot) : inputName;
        String extension = dot > 0 ? inputName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        if (transparent) {
            return base + "." + (KEPT_WITH_ALPHA.contains(extension) ? extension : "mov");
        }
        return base + "." + (KEPT.contains(extension) ? extension : "mp4");
    }

    /** a.mp4 -> a.partial.mp4 */
    private static String partialName(String name) {
        int dot = name.lastIndexOf('.');
        return name.substring(0, dot) + ".partial" + name.substring(dot);
    }

    private static List<Path> videosIn(Path dir) {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).filter(BatchPlan::isVideoName).sorted().toList();
        } catch (IOException e) {
            throw new CaptureException("cannot read folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isVideoName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && VIDEO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
