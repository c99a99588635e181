package dev.backdrop.config;

import java.util.List;

/**
 * pipeline.*: the ring buffer between capture and output, and where compositing runs.
 *
 * @param ringSize   frame slots, a power of two; each holds one frame and its mask, allocated once at start
 * @param compositor the GL's shaders, the CPU, or whichever costs less on this machine
 */
public record Pipeline(int ringSize, Compositing compositor) {

    /** Where compositing runs. */
    public enum Compositing {
        /** The CPU where the GL itself rasterises on the CPU (Mesa's llvmpipe), the GL otherwise. */
        AUTO,
        /** OpenGL shaders, whatever the GL is. */
        GL,
        /** The CPU (OpenCV and plain loops): needs no OpenGL at all. */
        CPU
    }

    public static final Setting<Integer> RING_SIZE = Setting.integer("pipeline.ring_size", 8, 2, 1024,
            "Frame slots in the ring buffer between capture and output: a power of two. Each slot holds one frame"
            + " and its mask, allocated once at start.")
            .rule(n -> Integer.bitCount(n) == 1, "a power of two (2, 4, 8, 16, ...)");
    public static final Setting<Compositing> COMPOSITOR = Setting.choice("pipeline.compositor", Compositing.AUTO,
            "Where compositing runs: auto (the CPU where OpenGL is itself a CPU rasteriser such as Mesa's llvmpipe,"
            + " where the GL's shaders cost about twice as much; the GL on a GPU), gl or cpu. Both give the same"
            + " picture within a few levels. With cpu, or auto on a machine without a GPU, frames stay in the"
            + " decoder's YUV 4:2:0 from input to output, with no colour conversion (not for a transparent"
            + " background).").flag("--compositor", "auto|gl|cpu");
    static final List<Setting<?>> SETTINGS = List.of(RING_SIZE, COMPOSITOR);

    public static final Pipeline DEFAULT = from(SettingValues.DEFAULTS);

    public Pipeline {
        RING_SIZE.require(ringSize);
    }

    static Pipeline from(SettingValues v) {
        return new Pipeline(v.get(RING_SIZE), v.get(COMPOSITOR));
    }
}
