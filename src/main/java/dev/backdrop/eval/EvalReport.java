package dev.backdrop.eval;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The per-image table and the means, on a terminal and as JSON. */
public final class EvalReport {

    private final String model;
    private final List<ImageScore> scores;

    public EvalReport(String model, List<ImageScore> scores) {
        this.model = model;
        this.scores = List.copyOf(scores);
    }

    public double meanIouRaw() {
        return mean(ImageScore::iouRaw);
    }

    public double meanIouRefined() {
        return mean(ImageScore::iouRefined);
    }

    public double meanBoundaryFRaw() {
        return mean(ImageScore::boundaryFRaw);
    }

    public double meanBoundaryFRefined() {
        return mean(ImageScore::boundaryFRefined);
    }

    public void print(PrintStream out) {
        boolean mattes = scores.stream().anyMatch(s -> s.alphaErrorRaw() != null);
        String header = String.format("%-24s %-10s %8s %8s %8s %8s", "image", "size", "IoU raw", "refined", "BF raw", "refined");
        out.println(mattes ? header + String.format(" %8s %8s", "MAE raw", "refined") : header);
        for (ImageScore s : scores) {
            String row = String.format("%-24s %-10s %8.4f %8.4f %8.4f %8.4f", s.name(), s.width() + "x" + s.height(),
                    s.iouRaw(), s.iouRefined(), s.boundaryFRaw(), s.boundaryFRefined());
            out.println(mattes ? row + String.format(" %8s %8s", fmt(s.alphaErrorRaw()), fmt(s.alphaErrorRefined())) : row);
        }
        out.printf("%-24s %-10s %8.4f %8.4f %8.4f %8.4f%n", "mean (" + scores.size() + " images)", "",
                meanIouRaw(), meanIouRefined(), meanBoundaryFRaw(), meanBoundaryFRefined());
        out.println("model: " + model + "; IoU at mask >= 0.5; BF: boundary F-measure, tolerance 0.75% of the diagonal;"
                + " raw: model output stretched bilinearly; refined: the mask the compositor blends with)");
    }

    public void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model);
        json.put("images", scores);
        json.put("mean", Map.of("iou_raw", meanIouRaw(), "iou_refined", meanIouRefined(),
                "boundary_f_raw", meanBoundaryFRaw(), "boundary_f_refined", meanBoundaryFRefined()));
        write(file, json);
    }

    /** A clip's means, raw beside refined. */
    public static void printVideo(String model, VideoEvaluation.Result r, PrintStream out) {
        out.printf("%-26s %8s %8s%n", r.frames() + " frames", "raw", "refined");
        if (r.modelRuns() < r.frames()) {
            out.printf("the model ran on %d of them (segmentation.every and still_below)%n", r.modelRuns());
        }
        if (r.iou() != null) {
            out.printf("%-26s %8.4f %8.4f%n", "IoU", r.iou().raw(), r.iou().refined());
            out.printf("%-26s %8.4f %8.4f%n", "boundary F", r.boundaryF().raw(), r.boundaryF().refined());
            out.printf("%-26s %8.3f %8.3f%n", "temporal error (%)", 100 * r.temporalError().raw(),
                    100 * r.temporalError().refined());
        }
        out.printf("%-26s %8.3f %8.3f%n", "flicker (%)", 100 * r.flicker().raw(), 100 * r.flicker().refined());
        out.println("model: " + model + "; means over frames; IoU at mask >= 0.5; temporal error: mean |predicted change -"
                + " true change| between consecutive frames; flicker: mean |mask change|; both in % of full scale;"
                + " refined: the mask the compositor blends with");
    }

    public static void writeJson(Path file, String model, VideoEvaluation.Result r) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model);
        json.put("video", r);
        write(file, json);
    }

    private static void write(Path file, Map<String, Object> json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json));
    }

    private double mean(ToDoubleFunction<ImageScore> f) {
        return scores.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format("%.4f", d);
    }
}
