package dev.backdrop.config;

import java.util.List;
import java.util.stream.Stream;

/**
 * Every setting Backdrop reads, after the config file and the command-line flags are applied, in
 * one group per part of the pipeline. Each group record declares its keys ({@link Setting}).
 */
public record Settings(Segmentation segmentation, ComposeSettings compose, Encoder output, Pipeline pipeline) {

    /** Every key, in the order the config file lists them. */
    public static final List<Setting<?>> ALL = Stream.of(Segmentation.SETTINGS, ComposeSettings.SETTINGS,
            Encoder.SETTINGS, Pipeline.SETTINGS).flatMap(List::stream).toList();

    public static final Settings DEFAULT = from(SettingValues.DEFAULTS);

    public static Settings from(SettingValues v) {
        return new Settings(Segmentation.from(v), ComposeSettings.from(v), Encoder.from(v), Pipeline.from(v));
    }

    public Settings with(ComposeSettings value) {
        return new Settings(segmentation, value, output, pipeline);
    }
}
