package dev.backdrop.config;

import java.util.List;

/**
 * pipeline.ring_size: the Disruptor ring between capture and output.
 *
 * @param size frame slots, a power of two; each holds one frame and its mask, allocated once at start
 */
public record Ring(int size) {

    public static final Setting<Integer> SIZE = Setting.integer("pipeline.ring_size", 8, 2, 1024,
            "Frame slots in the ring buffer between capture and output: a power of two. Each slot holds one frame"
            + " and its mask, allocated once at start.")
            .rule(n -> Integer.bitCount(n) == 1, "a power of two (2, 4, 8, 16, ...)");
    static final List<Setting<?>> SETTINGS = List.of(SIZE);

    public static final Ring DEFAULT = from(SettingValues.DEFAULTS);

    public Ring {
        SIZE.require(size);
    }

    static Ring from(SettingValues v) {
        return new Ring(v.get(SIZE));
    }
}
