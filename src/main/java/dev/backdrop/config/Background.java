package dev.backdrop.config;

import java.util.List;

/**
 * compose.background*, light_wrap: what is behind the person. Chosen once by the compositor's
 * background layer: a file (image or looped video), a solid colour, nothing (transparent output),
 * or else the blurred real background ({@link Blur}).
 *
 * @param file      an image or video path; empty = none
 * @param fit       how the image or video fills the frame
 * @param colour    "" (none), "#RRGGBB", or "transparent"; the colour also letterboxes {@link Fit#FIT}
 * @param lightWrap 0..1: how much of a replacement background's light spills over the person's edge
 */
public record Background(String file, Fit fit, String colour, float lightWrap) {

    /** How a replacement image or video is fitted to the frame. */
    public enum Fit { COVER, FIT, STRETCH }

    /** The value of {@link #COLOUR} that asks for transparent output. */
    public static final String TRANSPARENT = "transparent";

    public static final Setting<String> FILE = Setting.text("compose.background", "",
            "Image that replaces the background (PNG/JPEG), or a video played behind the person in a loop (mp4, mkv,"
            + " mov, webm, avi). Empty = blur instead.").flag("--background", "IMAGE|VIDEO");
    public static final Setting<Fit> FIT_SETTING = Setting.choice("compose.background_fit", Fit.COVER,
            "How the background image or video fills the frame: cover (fill, crop the excess), fit (whole image,"
            + " letterboxed with background_colour or black), stretch (fill, aspect ratio not kept).")
            .flag("--background-fit", "cover|fit|stretch");
    public static final Setting<String> COLOUR = Setting.text("compose.background_colour", "",
            "Solid background colour as \"#RRGGBB\" (e.g. \"#00b140\"), used when there is no image; empty = blur."
            + " \"transparent\": no background, the output's alpha is the person mask (process only: write .webm,"
            + " .mov or a PNG sequence like out_%05d.png).").flag("--background-colour", "#RRGGBB")
            .rule(c -> c.isEmpty() || TRANSPARENT.equals(c) || c.matches("#[0-9a-fA-F]{6}"),
                    "empty, #RRGGBB (e.g. \"#00b140\") or transparent");
    public static final Setting<Double> LIGHT_WRAP = Setting.number("compose.light_wrap", 0, 0, 1,
            "Light wrap: a replacement background's light (image, video or colour) spilling over the person's edge,"
            + " a band of about 10 pixels, so they sit in the new scene. 0 = off; no effect on blur.")
            .flag("--light-wrap", "0..1");
    static final List<Setting<?>> SETTINGS = List.of(FILE, FIT_SETTING, COLOUR, LIGHT_WRAP);

    public static final Background DEFAULT = from(SettingValues.DEFAULTS);

    public Background {
        FILE.require(file);
        FIT_SETTING.require(fit);
        COLOUR.require(colour);
        LIGHT_WRAP.requireFloat(lightWrap);
        if (TRANSPARENT.equals(colour) && !file.isEmpty()) { // the parameters: fields are set after this body
            throw new ConfigException("transparent output has no background: drop '" + FILE.key() + "' or '"
                    + COLOUR.key() + "'");
        }
    }

    static Background from(SettingValues v) {
        return new Background(v.get(FILE), v.get(FIT_SETTING), v.get(COLOUR), v.get(LIGHT_WRAP).floatValue());
    }

    /** An image or video file (empty = none), fitted this way. */
    public Background withFile(String path, Fit fitting) {
        return new Background(path, fitting, colour, lightWrap);
    }

    /** "", "#RRGGBB" or "transparent". */
    public Background withColour(String value) {
        return new Background(file, fit, value, lightWrap);
    }

    /** 0xRRGGBB, or -1 for none. */
    public Background withSolidColour(int rgb) {
        return withColour(rgb < 0 ? "" : String.format("#%06x", rgb));
    }

    public Background withLightWrap(float amount) {
        return new Background(file, fit, colour, amount);
    }

    public boolean hasFile() {
        return !file.isEmpty();
    }

    /** No background: the output's alpha is the refined mask. */
    public boolean transparent() {
        return TRANSPARENT.equals(colour);
    }

    /** The colour as 0xRRGGBB, or -1 when empty or transparent. */
    public int solidColour() {
        return colour.isEmpty() || transparent() ? -1 : Integer.parseInt(colour.substring(1), 16);
    }

    /** Replaced by a file or a colour: what light wrap applies to. */
    public boolean replaces() {
        return !transparent() && (hasFile() || solidColour() >= 0);
    }
}
