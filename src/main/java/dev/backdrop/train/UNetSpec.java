package dev.backdrop.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of Backdrop's U-Net: input size and channel width per level. A stride-2 stem halves the
 * input first (the mask is refined at full resolution by the compositor anyway), then each encoder level
 * is a 3x3 convolution block followed by 2x2 max-pooling; the decoder upsamples, concatenates the skip of
 * the same level and convolves; a 1x1 convolution gives the logit, resized back to the input size.
 */
public record UNetSpec(int width, int height, int[] widths, int convs) {

    /**
     * One trainable tensor: "enc1/w" [3,3,in,out] or "enc1/b" [out], at its level (0 = half the input size,
     * each level below half the one above).
     */
    public record Param(String name, long[] shape, int level) {
        public int size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return Math.toIntExact(n);
        }
    }

    public UNetSpec {
        if (widths.length < 2) {
            throw new IllegalArgumentException("--widths needs at least two levels, e.g. 8,16,24,32");
        }
        for (int w : widths) {
            if (w < 1 || w > 512) {
                throw new IllegalArgumentException("--widths: each level's width must be 1..512, got " + w);
            }
        }
        if (width < 8 || height < 8 || width > 2048 || height > 2048) {
            throw new IllegalArgumentException("--size must be between 8x8 and 2048x2048, got " + width + "x" + height);
        }
        if (widths.length > 8) {
            throw new IllegalArgumentException("--widths: at most 8 levels, got " + widths.length);
        }
        int scale = 1 << widths.length; // stem /2, then one pool per level below the first
        if (width % scale != 0 || height % scale != 0) {
            throw new IllegalArgumentException("--size " + width + "x" + height + " must be a multiple of " + scale
                    + " in both dimensions for " + widths.length + " levels");
        }
        if (convs < 1 || convs > 3) {
            throw new IllegalArgumentException("--convs (3x3 convolutions per block) must be 1..3, got " + convs);
        }
        widths = widths.clone();
    }

    /** One convolution per block. */
    public UNetSpec(int width, int height, int[] widths) {
        this(width, height, widths, 1);
    }

    public int levels() {
        return widths.length;
    }

    /** Every parameter, in a fixed order (the order checkpoints and exports use). */
    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        conv(out, "stem", 3, 3, widths[0], 0);
        int in = widths[0];
        for (int l = 0; l < widths.length; l++) {
            block(out, "enc" + l, in, widths[l], l);
            in = widths[l];
        }
        block(out, "bottom", in, in, widths.length - 1);
        for (int l = widths.length - 2; l >= 0; l--) {
            block(out, "dec" + l, in + widths[l], widths[l], l);
            in = widths[l];
        }
        conv(out, "head", 1, in, 1, 0);
        return out;
    }

    /** A block's convolutions are name, name + "_2", ...; only the first changes the channel count. */
    private void block(List<Param> out, String name, int in, int outCh, int level) {
        for (int i = 0; i < convs; i++) {
            conv(out, blockConv(name, i), 3, i == 0 ? in : outCh, outCh, level);
        }
    }

    static String blockConv(String block, int i) {
        return i == 0 ? block : block + "_" + (i + 1);
    }

    private static void conv(List<Param> out, String name, int k, int in, int outCh, int level) {
        out.add(new Param(name + "/w", new long[] {k, k, in, outCh}, level));
        out.add(new Param(name + "/b", new long[] {outCh}, level));
    }

    public long parameterCount() {
        return params().stream().mapToLong(Param::size).sum();
    }

    /** Multiply-adds x2 of the convolutions for one frame (pooling, resizing and activations left out). */
    public long flopsPerFrame() {
        long flops = 0;
        int w = width / 2;
        int h = height / 2;
        for (Param p : params()) {
            if (p.shape().length != 4) {
                continue;
            }
            long pixels = (long) (w >> p.level()) * (h >> p.level());
            long[] s = p.shape();
            flops += 2 * pixels * s[0] * s[1] * s[2] * s[3];
        }
        return flops;
    }

    /** "8,16,24,32" */
    public String widthsText() {
        return String.join(",", Arrays.stream(widths).mapToObj(Integer::toString).toList());
    }

    public static int[] parseWidths(String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--widths must be comma-separated channel counts, e.g. 8,16,24,32; got '"
                    + text + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetSpec s && s.width == width && s.height == height && Arrays.equals(s.widths, widths)
                && s.convs == convs;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + Arrays.hashCode(widths)) + convs;
    }

    @Override
    public String toString() {
        return width + "x" + height + " widths " + widthsText() + (convs > 1 ? " x" + convs + " convs" : "");
    }
}
