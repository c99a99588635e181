package dev.backdrop.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the live window's hotkeys change while frames flow: blur on/off and strength, the
 * background image (cycling a folder), the mask view, the stats line. The window thread writes;
 * the compose stage reads the version and rebuilds its settings when it moves. Each change is
 * printed, so a user sees what a key did.
 */
public final class LiveControls {

    private final PrintStream out;
    private final List<Path> backgrounds;
    private volatile boolean blurOn;
    private volatile double blur;
    private volatile int backgroundIndex = -1;
    private volatile boolean showMask;
    private volatile boolean showStats;
    private volatile int version;

    /** backgroundFolder: images N cycles through (may be null); blur: the starting strength. */
    public LiveControls(double blur, Path backgroundFolder, PrintStream out) {
        this.blur = blur > 0 ? blur : 12;
        this.blurOn = blur > 0;
        this.backgrounds = images(backgroundFolder);
        this.out = out;
    }

    public synchronized void toggleBlur() {
        blurOn = !blurOn;
        changed("blur " + (blurOn ? "on (" + blur + ")" : "off"));
    }

    /** + and −: strength in steps of about 25%, between 1 and 200. */
    public synchronized void strength(int direction) {
        blur = Math.max(1, Math.min(200, Math.round(blur * (direction > 0 ? 1.25 : 0.8))));
        blurOn = true;
        changed("blur strength " + blur);
    }

    public synchronized void nextBackground() {
        if (backgrounds.isEmpty()) {
            out.println("no background folder: start with --backgrounds DIR to cycle images with N");
            return;
        }
        backgroundIndex = backgroundIndex + 1 >= backgrounds.size() ? -1 : backgroundIndex + 1;
        changed(backgroundIndex < 0 ? "background: as configured" : "background " + backgrounds.get(backgroundIndex).getFileName());
    }

    public synchronized void toggleMask() {
        showMask = !showMask;
        changed("mask view " + (showMask ? "on" : "off"));
    }

    public synchronized void toggleStats() {
        showStats = !showStats;
        changed("stats " + (showStats ? "on" : "off"));
    }

    public int version() {
        return version;
    }

    /** The blur sigma to use now: 0 when blur is off. */
    public double blur() {
        return blurOn ? blur : 0;
    }

    /** The replacement image chosen with N, or null for the configured background. */
    public Path background() {
        int i = backgroundIndex;
        return i < 0 ? null : backgrounds.get(i);
    }

    public boolean showMask() {
        return showMask;
    }

    public boolean showStats() {
        return showStats;
    }

    private void changed(String what) {
        version++;
        out.println("hotkey: " + what);
    }

    private static List<Path> images(Path folder) {
        if (folder == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(dev.backdrop.still.StillImage::isImage).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read background folder " + folder + ": " + e.getMessage());
        }
    }
}
