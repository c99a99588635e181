package dev.backdrop.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One peer's run from bench/peer (its JSON line): MediaPipe's selfie segmentation in headless Chromium on
 * the same frames, background blurred on a 2D canvas; frames decoded up front, start-up apart.
 *
 * @param peer        mediapipe-selfie-web (its WebGL graph) or mediapipe-tasks-cpu (ImageSegmenter, XNNPACK)
 * @param backend     where the segmentation ran, e.g. "webgl2 (SwiftShader cpu)" or "wasm cpu (XNNPACK)"
 * @param msSegment   per frame: the segmentation call to its mask; msComposite: mask to blurred frame drawn
 * @param startupMs   the peer's initialisation and its first composited frame
 * @param cpuS        CPU seconds per Chromium process type during the timed frames
 */
public record PeerResult(String peer, String backend, String size, int frames, double fps, double msPerFrame,
                         double msSegment, double msComposite, double msP50, double msP95, double startupMs,
                         Map<String, Double> cpuS, @SerializedName("package") String packageVersion) {

    /** One line of bench/peer's output (by hand: the Gson on the class path predates records). */
    public static PeerResult parse(String line) {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        Map<String, Double> cpu = new LinkedHashMap<>();
        if (o.get("cpu_s").isJsonObject()) {
            o.getAsJsonObject("cpu_s").entrySet().forEach(e -> cpu.put(e.getKey(), e.getValue().getAsDouble()));
        }
        return new PeerResult(o.get("peer").getAsString(), o.get("backend").getAsString(), o.get("size").getAsString(),
                o.get("frames").getAsInt(), o.get("fps").getAsDouble(), o.get("ms_per_frame").getAsDouble(),
                o.get("ms_segment").getAsDouble(), o.get("ms_composite").getAsDouble(), o.get("ms_p50").getAsDouble(),
                o.get("ms_p95").getAsDouble(), o.get("startup_ms").getAsDouble(), cpu, o.get("package").getAsString());
    }

    /** The row's name in the report. */
    public String label() {
        String name = switch (peer) {
            case "mediapipe-selfie-web" -> "MediaPipe web";
            case "mediapipe-tasks-cpu" -> "MediaPipe Tasks";
            default -> peer;
        };
        return name + ", " + backend;
    }
}
