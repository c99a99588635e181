package dev.backdrop.cli;

import java.util.Locale;

/** Frame sizes as users type them: 360p, 720p, 1080p, or WxH. */
final class FrameSize {

    private FrameSize() {
    }

    /** {width, height}; throws naming the flag when the text is neither a preset nor WxH. */
    static int[] parse(String text, String flag) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "360p": return new int[] {640, 360};
            case "720p": return new int[] {1280, 720};
            case "1080p": return new int[] {1920, 1080};
            case "2160p", "4k": return new int[] {3840, 2160};
            default:
                String[] p = text.toLowerCase(Locale.ROOT).split("x");
                try {
                    if (p.length == 2 && Integer.parseInt(p[0]) > 0 && Integer.parseInt(p[1]) > 0) {
                        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
                    }
                } catch (NumberFormatException e) {
                    // fall through to the message
                }
                throw new IllegalArgumentException(flag + " takes 360p, 720p, 1080p, 4k or WxH (e.g. 1280x720), got " + text);
        }
    }
}
