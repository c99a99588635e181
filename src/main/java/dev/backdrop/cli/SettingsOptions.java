package dev.backdrop.cli;

import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every filtering command shares; each overrides its key in the config file. */
final class SettingsOptions {

    @Option(names = "--blur", paramLabel = "N", description = "Blur strength: Gaussian sigma in pixels, 0 = off (config compose.blur).")
    Double blur;

    @Option(names = "--background", paramLabel = "IMAGE", description = "Replace the background with this image (config compose.background).")
    String background;

    @Option(names = "--model", paramLabel = "NAME|PATH", description = "Segmentation model: bundled name or path (config segmentation.model).")
    String model;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: config/backdrop.yaml).")
    Path config;

    /** The config file (or the bundled defaults) with these flags applied, each checked like its key. */
    Settings resolve() {
        Path file = config != null ? config : Backdrop.bundledConfig();
        Settings s = file != null ? ConfigLoader.load(file) : ConfigLoader.defaults();
        if (blur != null) {
            s = s.withBlur((Double) ConfigLoader.check("compose.blur", blur, "the --blur flag"));
        }
        if (background != null) {
            s = s.withBackground(background);
        }
        if (model != null) {
            s = s.withModel(model);
        }
        return s;
    }
}
