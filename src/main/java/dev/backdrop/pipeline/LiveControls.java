package dev.backdrop.pipeline;

import dev.backdrop.compose.BackgroundFile;
import dev.backdrop.config.Background;
import dev.backdrop.config.Blur;
import dev.backdrop.config.ComposeSettings;
import dev.backdrop.config.ConfigException;
import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Segmentation;
import dev.backdrop.config.Setting;
import dev.backdrop.config.SettingValues;
import dev.backdrop.config.Settings;
import dev.backdrop.segment.SegmentationModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a live run may change while frames flow: every compose.* setting and the model, the effect
 * on or off, the mask and stats views. The window's hotkeys, the control page and signals write;
 * the compose stage applies each new {@link State} at its next frame (the compositor swaps only
 * what changed: no output restarts) and the segment stage takes a newly loaded model. A change is
 * checked exactly as the config file is, all of it or nothing, and printed.
 */
public final class LiveControls {

    /**
     * One consistent snapshot, replaced whole on every change.
     *
     * @param background the file compose.background names, already opened (decoding an image is
     *                   not the compose thread's work); null for none
     */
    public record State(Settings settings, BackgroundFile background, boolean effectOn, boolean showMask,
                        boolean previewMask, boolean showStats, int version) {

        /** The compositing to apply now: with the effect off the frame passes through as it came. */
        public ComposeSettings compose() {
            ComposeSettings c = settings.compose();
            return effectOn ? c : c.with(c.blur().withSigma(0)).with(c.background().withFile("", c.background().fit())
                    .withColour(""));
        }

        State with(Settings s, BackgroundFile file) {
            return new State(s, file, effectOn, showMask, previewMask, showStats, version + 1);
        }

        State views(boolean effect, boolean mask, boolean maskPreview, boolean stats) {
            return new State(settings, background, effect, mask, maskPreview, stats, version + 1);
        }
    }

    private final PrintStream out;
    private final List<Path> backgrounds;
    private volatile State state;
    /** The values behind state.settings, which changes are laid over. */
    private SettingValues values;
    /** The config file's values (flags laid over) as last read: what a re-read is compared with. */
    private SettingValues fileValues;
    private int backgroundIndex = -1;
    /** The background the run started with, which N comes back to after the folder's last image. */
    private final String startBackground;
    /** Blur strength to come back to when B turns blurring on again. */
    private double lastBlur;
    /** Loads a model by name for the running pipeline, warmed up at its frame size; null before it runs. */
    private volatile Function<Settings, SegmentationModel> modelLoader;
    private final AtomicReference<SegmentationModel> loadedModel = new AtomicReference<>();
    /** When the newest state was made, and how long it took to reach the compositor. */
    private volatile long changedNanos;
    private volatile double lastChangeMillis = -1;

    /** backgroundFolder: images N and the control page offer (may be null). */
    public LiveControls(SettingValues startValues, Path backgroundFolder, PrintStream out) {
        this.values = startValues;
        this.fileValues = startValues;
        Settings settings = Settings.from(startValues);
        this.state = new State(settings, BackgroundFile.of(settings.compose().background()), true, false, false, false, 0);
        this.lastBlur = settings.compose().blur().sigma() > 0 ? settings.compose().blur().sigma() : 12;
        this.startBackground = startValues.get(Background.FILE);
        this.backgrounds = images(backgroundFolder);
        this.out = out;
    }

    /** The keys a running pipeline can take without a restart. */
    public static boolean changesLive(Setting<?> setting) {
        return setting.key().startsWith("compose.") || setting.equals(Segmentation.MODEL);
    }

    public State state() {
        return state;
    }

    public int version() {
        return state.version();
    }

    public List<Path> backgrounds() {
        return backgrounds;
    }

    /**
     * Applies values by key (as the config file spells them), all or none: an unknown key, one that
     * needs a restart, or a bad value throws a ConfigException naming the key and source, and the
     * settings in force stay. Returns the keys that changed.
     */
    public synchronized List<String> change(Map<String, ?> changes, String source) {
        SettingValues next = values;
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            Setting<?> setting = ConfigLoader.setting(e.getKey(), source);
            if (!changesLive(setting)) {
                throw new ConfigException("'" + e.getKey() + "' in " + source + " cannot change while live runs;"
                        + " only compose.* and segmentation.model can: restart with it in the config file or as a flag");
            }
            next = next.with(setting, e.getValue(), source);
        }
        return adopt(next, source);
    }

    /**
     * A re-read config file (SIGHUP), flags laid over it as at start: the keys whose value in the file
     * changed since it was last read are applied (a change made on the page or by a key stays unless
     * the file changes that key too); other keys that changed are reported as needing a restart. All
     * or none, like change().
     */
    public synchronized List<String> reload(SettingValues reread, String source) {
        SettingValues next = values;
        List<String> needRestart = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            if (Objects.equals(reread.get(s), fileValues.get(s))) {
                continue;
            }
            if (changesLive(s)) {
                next = copy(s, reread, next, source);
            } else {
                needRestart.add(s.key());
            }
        }
        List<String> changed = adopt(next, source);
        fileValues = reread;
        if (!needRestart.isEmpty()) {
            out.println(source + ": " + String.join(", ", needRestart) + " changed but take effect only at a restart");
        }
        return changed;
    }

    private static <T> SettingValues copy(Setting<T> s, SettingValues from, SettingValues to, String source) {
        return to.with(s, from.get(s), source);
    }

    private List<String> adopt(SettingValues next, String source) {
        Settings settings;
        try {
            settings = Settings.from(next); // the records' own checks: combinations of keys
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        State now = state;
        if (settings.compose().background().transparent()) {
            throw new ConfigException("'compose.background_colour' in " + source + " cannot be transparent live:"
                    + " live outputs carry no alpha (transparent output is for `backdrop process`)");
        }
        BackgroundFile file = now.background();
        if (!settings.compose().background().equals(now.settings().compose().background())) {
            try {
                file = BackgroundFile.of(settings.compose().background());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("'compose.background' in " + source + ": " + e.getMessage());
            }
        }
        String model = settings.segmentation().model();
        if (!model.equals(now.settings().segmentation().model())) {
            loadModel(settings, source);
        }
        List<String> changed = Settings.ALL.stream().filter(s -> !Objects.equals(next.get(s), values.get(s)))
                .map(Setting::key).toList();
        values = next;
        if (settings.compose().blur().sigma() > 0) {
            lastBlur = settings.compose().blur().sigma();
        }
        if (!changed.isEmpty()) {
            publish(now.with(settings, file));
            out.println(source + ": " + describe(changed, next));
        }
        return changed;
    }

    /** Loads the model now (a bad one throws here and nothing changes); the segment stage takes it at its next frame. */
    private void loadModel(Settings settings, String source) {
        Function<Settings, SegmentationModel> loader = modelLoader;
        if (loader == null) {
            throw new ConfigException("'segmentation.model' in " + source + " can change once frames flow; try again");
        }
        SegmentationModel model;
        try {
            model = loader.apply(settings);
        } catch (RuntimeException e) {
            throw new ConfigException("'segmentation.model' in " + source + ": " + e.getMessage());
        }
        SegmentationModel superseded = loadedModel.getAndSet(model);
        if (superseded != null) {
            superseded.close(); // a second change before a frame took the first
        }
    }

    /** How the running pipeline loads a model; set when it runs. */
    void modelLoader(Function<Settings, SegmentationModel> loader) {
        this.modelLoader = loader;
    }

    /** A model loaded by a change and not yet taken, or null; the caller owns it. */
    SegmentationModel takeModel() {
        return loadedModel.getAndSet(null);
    }

    /** Closes a model loaded but never taken (the run ended first). */
    void closeUntaken() {
        SegmentationModel model = takeModel();
        if (model != null) {
            model.close();
        }
    }

    public synchronized void toggleEffect(String source) {
        State now = state;
        publish(now.views(!now.effectOn(), now.showMask(), now.previewMask(), now.showStats()));
        out.println(source + ": effect " + (state.effectOn() ? "on" : "off"));
    }

    /** B: blurring off, or on again at its last strength. */
    public synchronized void toggleBlur() {
        double sigma = state.settings().compose().blur().sigma();
        hotkey(Blur.SIGMA, sigma > 0 ? 0.0 : lastBlur);
    }

    /** + and −: strength in steps of about 25%, between 1 and 200. */
    public synchronized void strength(int direction) {
        double sigma = state.settings().compose().blur().sigma();
        double from = sigma > 0 ? sigma : lastBlur;
        hotkey(Blur.SIGMA, (double) Math.max(1, Math.min(200, Math.round(from * (direction > 0 ? 1.25 : 0.8)))));
    }

    /** N: the next image of the background folder, then back to the background the run started with. */
    public synchronized void nextBackground() {
        if (backgrounds.isEmpty()) {
            out.println("no background folder: start with --backgrounds DIR to cycle images with N");
            return;
        }
        backgroundIndex = backgroundIndex + 1 >= backgrounds.size() ? -1 : backgroundIndex + 1;
        hotkey(Background.FILE, backgroundIndex < 0 ? startBackground : backgrounds.get(backgroundIndex).toString());
    }

    /** A key's change: a value it cannot take (an image that does not decode) is printed, not thrown at the window. */
    private void hotkey(Setting<?> setting, Object value) {
        try {
            change(Map.of(setting.key(), value), "hotkey");
        } catch (ConfigException e) {
            out.println(e.getMessage());
        }
    }

    public synchronized void toggleMask() {
        State now = state;
        publish(now.views(now.effectOn(), !now.showMask(), now.previewMask(), now.showStats()));
        out.println("mask view " + (state.showMask() ? "on" : "off"));
    }

    /** The control page's mask view: the preview shows the mask, the outputs stay as they are. */
    public synchronized void togglePreviewMask() {
        State now = state;
        publish(now.views(now.effectOn(), now.showMask(), !now.previewMask(), now.showStats()));
        out.println("preview shows the " + (state.previewMask() ? "mask" : "output"));
    }

    public synchronized void toggleStats() {
        State now = state;
        publish(now.views(now.effectOn(), now.showMask(), now.previewMask(), !now.showStats()));
        out.println("stats " + (state.showStats() ? "on" : "off"));
    }

    private void publish(State next) {
        changedNanos = System.nanoTime();
        state = next;
    }

    /** The compose stage has applied this version: the change's latency is measured here. */
    void applied(int version) {
        if (version == state.version()) {
            lastChangeMillis = (System.nanoTime() - changedNanos) / 1e6;
        }
    }

    /** Milliseconds from the last change to the first frame composited with it; -1 before any. */
    public double lastChangeMillis() {
        return lastChangeMillis;
    }

    /** Every live key's value in force, as the config file writes it (numbers as numbers). */
    public synchronized Map<String, Object> liveValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            if (changesLive(s)) {
                Object v = values.get(s);
                map.put(s.key(), v instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : v);
            }
        }
        return map;
    }

    private static String describe(List<String> keys, SettingValues v) {
        StringBuilder s = new StringBuilder();
        for (String key : keys) {
            s.append(s.length() == 0 ? "" : ", ").append(key).append(' ').append(format(ConfigLoader.find(key), v));
        }
        return s.toString();
    }

    private static <T> String format(Setting<T> s, SettingValues v) {
        return s.format(v.get(s));
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
