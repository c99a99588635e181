package dev.backdrop.cli;

import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags every filtering command shares. Each overrides one key of the config file and is
 * checked by that key's rule, so a bad flag value gets the same message as a bad config value.
 */
final class SettingsOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: config/backdrop.yaml).")
    Path config;

    @Option(names = "--model", paramLabel = "NAME|PATH", description = "Segmentation model: bundled name or path (config segmentation.model).")
    String model;

    @Option(names = "--blur", paramLabel = "N", description = "Blur strength: Gaussian sigma in pixels, 0 = off (config compose.blur).")
    Double blur;

    @Option(names = "--background", paramLabel = "IMAGE|VIDEO", description = "Replace the background with this image, or this video played in a loop (mp4, mkv, mov, webm, avi; config compose.background).")
    String background;

    @Option(names = "--background-fit", paramLabel = "cover|fit|stretch", description = "How the background image fills the frame (config compose.background_fit).")
    String backgroundFit;

    @Option(names = "--background-colour", paramLabel = "#RRGGBB", description = "Replace the background with a solid colour (config compose.background_colour).")
    String backgroundColour;

    @Option(names = "--guide-sigma-space", paramLabel = "S", description = "Guided mask upsampling: spatial sigma in mask pixels (config compose.guide_sigma_space).")
    Double guideSigmaSpace;

    @Option(names = "--guide-sigma-colour", paramLabel = "S", description = "Guided mask upsampling: colour sigma, colours 0-1 (config compose.guide_sigma_colour).")
    Double guideSigmaColour;

    @Option(names = "--temporal-weight", paramLabel = "W", description = "Weight of the new mask where nothing moves; 1 = no temporal smoothing (config compose.temporal_weight).")
    Double temporalWeight;

    @Option(names = "--motion-threshold", paramLabel = "T", description = "Colour change (0-1) at which a pixel counts as moving (config compose.motion_threshold).")
    Double motionThreshold;

    @Option(names = "--edge-low", paramLabel = "L", description = "Soft threshold: mask values up to L become background (config compose.edge_low).")
    Double edgeLow;

    @Option(names = "--edge-high", paramLabel = "H", description = "Soft threshold: mask values from H become person (config compose.edge_high).")
    Double edgeHigh;

    @Option(names = "--feather", paramLabel = "PX", description = "Edge feather in pixels, 0 = crisp (config compose.feather).")
    Double feather;

    @Option(names = "--feather-direction", paramLabel = "inward|centred|outward", description = "Where the feathered edge goes (config compose.feather_direction).")
    String featherDirection;

    @Option(names = "--light-wrap", paramLabel = "0..1", description = "Light of a replacement background on the person's edge, 0 = off (config compose.light_wrap).")
    Double lightWrap;

    /** The config file (or the bundled defaults) with these flags applied. */
    Settings resolve() {
        Path file = config != null ? config : Backdrop.bundledConfig();
        Settings s = file != null ? ConfigLoader.load(file) : ConfigLoader.defaults();
        Map<String, Object[]> flags = new LinkedHashMap<>();
        flag(flags, "segmentation.model", "--model", model);
        flag(flags, "compose.blur", "--blur", blur);
        flag(flags, "compose.background", "--background", background);
        flag(flags, "compose.background_fit", "--background-fit", backgroundFit);
        flag(flags, "compose.background_colour", "--background-colour", backgroundColour);
        flag(flags, "compose.guide_sigma_space", "--guide-sigma-space", guideSigmaSpace);
        flag(flags, "compose.guide_sigma_colour", "--guide-sigma-colour", guideSigmaColour);
        flag(flags, "compose.temporal_weight", "--temporal-weight", temporalWeight);
        flag(flags, "compose.motion_threshold", "--motion-threshold", motionThreshold);
        flag(flags, "compose.edge_low", "--edge-low", edgeLow);
        flag(flags, "compose.edge_high", "--edge-high", edgeHigh);
        flag(flags, "compose.feather", "--feather", feather);
        flag(flags, "compose.feather_direction", "--feather-direction", featherDirection);
        flag(flags, "compose.light_wrap", "--light-wrap", lightWrap);
        return ConfigLoader.override(s, flags);
    }

    private static void flag(Map<String, Object[]> flags, String key, String name, Object value) {
        if (value != null) {
            flags.put(key, new Object[] {name, value});
        }
    }
}
