package dev.backdrop.config;

import java.util.List;
import java.util.stream.Stream;

/** Every compose.* setting, in one group per compositing pass; each pass takes only its own group. */
public record ComposeSettings(Blur blur, Guide guide, Temporal temporal, Edge edge, Background background) {

    static final List<Setting<?>> SETTINGS = Stream.of(Blur.SETTINGS, Background.SETTINGS, Guide.SETTINGS,
            Temporal.SETTINGS, Edge.SETTINGS).flatMap(List::stream).toList();

    public static final ComposeSettings DEFAULT = from(SettingValues.DEFAULTS);

    public ComposeSettings {
        if (blur == null || guide == null || temporal == null || edge == null || background == null) {
            throw new IllegalArgumentException("every group of compose settings must be given");
        }
    }

    static ComposeSettings from(SettingValues v) {
        return new ComposeSettings(Blur.from(v), Guide.from(v), Temporal.from(v), Edge.from(v), Background.from(v));
    }

    public ComposeSettings with(Blur value) {
        return new ComposeSettings(value, guide, temporal, edge, background);
    }

    public ComposeSettings with(Guide value) {
        return new ComposeSettings(blur, value, temporal, edge, background);
    }

    public ComposeSettings with(Temporal value) {
        return new ComposeSettings(blur, guide, value, edge, background);
    }

    public ComposeSettings with(Edge value) {
        return new ComposeSettings(blur, guide, temporal, value, background);
    }

    public ComposeSettings with(Background value) {
        return new ComposeSettings(blur, guide, temporal, edge, value);
    }

    /** The real background blurred: nothing replaces it, and the blur is on. */
    public boolean blurs() {
        return !background.transparent() && !background.replaces() && blur.sigma() > 0;
    }
}
