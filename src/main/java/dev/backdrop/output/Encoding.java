package dev.backdrop.output;

import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * How a sink encodes: container, codec, pixel format and FFmpeg options. The factories are the
 * few combinations Backdrop uses, so each output's choices are written down in one place.
 */
public record Encoding(String container, String videoCodec, int pixelFormat, Map<String, String> videoOptions,
                       Map<String, String> muxerOptions, double keyframeSeconds, boolean audio, int audioCodec) {

    private static final int AAC = avcodec.AV_CODEC_ID_AAC;

    /**
     * Video with an alpha channel (transparent background), by the file name: VP9 in WebM (Opus
     * audio), ProRes 4444 in MOV (AAC audio), or a PNG sequence for a name with a %d pattern.
     */
    public static Encoding withAlpha(String fileName, int crf) {
        String name = fileName.toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".webm")) {
            return new Encoding("webm", "libvpx-vp9", avutil.AV_PIX_FMT_YUVA420P,
                    Map.of("crf", Integer.toString(Math.min(63, crf + 11)), "b", "0", "deadline", "realtime", "cpu-used", "8",
                            "row-mt", "1"), crashSafeMuxer("webm"), 2, true, avcodec.AV_CODEC_ID_OPUS);
        }
        if (name.endsWith(".mov")) {
            return new Encoding("mov", "prores_ks", avutil.AV_PIX_FMT_YUVA444P10LE, Map.of("profile", "4"),
                    crashSafeMuxer("mov"), 0, true, AAC);
        }
        if (name.endsWith(".png") && name.contains("%")) {
            return new Encoding("image2", "png", avutil.AV_PIX_FMT_RGBA, Map.of(), Map.of(), 0, false, AAC);
        }
        throw new OutputException("transparent output needs a format that carries alpha: name the file .webm (VP9),"
                + " .mov (ProRes 4444) or a PNG sequence like out_%05d.png; got " + fileName, null);
    }

    /**
     * H.264 in the container the file name implies: for {@code process}. MP4/MOV and Matroska are
     * written crash-safe ({@link #crashSafeMuxer}); B-frames stay on, so the quality per bit is
     * that of a plain file.
     */
    public static Encoding x264File(String fileName, String preset, int crf) {
        return new Encoding(null, "libx264", avutil.AV_PIX_FMT_YUV420P,
                Map.of("preset", preset, "crf", Integer.toString(crf)), crashSafeMuxer(containerOf(fileName)), 0, true,
                AAC);
    }

    /**
     * H.264 for {@code live --record}: Matroska, or fragmented MP4 for .mp4/.mov/.m4v, crash-safe,
     * with x264's zerolatency tuning and a keyframe every 2 s.
     */
    public static Encoding crashSafeRecording(String fileName, String preset, int crf) {
        String named = containerOf(fileName);
        String container = "mp4".equals(named) || "mov".equals(named) ? "mp4" : "matroska";
        return new Encoding(container, "libx264", avutil.AV_PIX_FMT_YUV420P,
                Map.of("preset", preset, "crf", Integer.toString(crf), "tune", "zerolatency"),
                crashSafeMuxer(container), 2, true, AAC);
    }

    /**
     * Muxer options that keep a file playable when the process dies mid-write ({@code kill -9},
     * disk full, power cut of the writer): MP4/MOV become fragmented, a fragment at least every
     * second, the index (moov) written once the first fragment is ready so it can carry the edit
     * list that B-frames need (without {@code delay_moov} every timestamp would start 2 frames late);
     * Matroska closes a cluster at least every second. Every packet goes to the file as it is
     * written. What is lost is the last second or so; other containers get no options.
     */
    static Map<String, String> crashSafeMuxer(String container) {
        if ("mp4".equals(container) || "mov".equals(container)) {
            return Map.of("movflags", "frag_keyframe+empty_moov+delay_moov+default_base_moof",
                    "frag_duration", "1000000", "flush_packets", "1");
        }
        if ("matroska".equals(container) || "webm".equals(container)) {
            return Map.of("flush_packets", "1", "cluster_time_limit", "1000");
        }
        return Map.of();
    }

    /** The muxer a file name implies, for the containers that have crash-safe options; else null. */
    private static String containerOf(String fileName) {
        String name = fileName.toLowerCase(java.util.Locale.ROOT);
        return name.matches(".*\\.(mp4|m4v)$") ? "mp4" : name.endsWith(".mov") ? "mov"
                : name.endsWith(".mkv") ? "matroska" : name.endsWith(".webm") ? "webm" : null;
    }

    /** Live streaming: FLV for RTMP or MPEG-TS for SRT, x264 zerolatency, keyframe every 2 s. */
    public static Encoding stream(String container, String preset, int bitrateKbps) {
        int kbps = bitrateKbps;
        return new Encoding(container, "libx264", avutil.AV_PIX_FMT_YUV420P,
                Map.of("preset", preset, "tune", "zerolatency", "b", kbps + "k", "maxrate", kbps + "k",
                        "bufsize", 2 * kbps + "k"),
                Map.of("flush_packets", "1"), 2, true, AAC);
    }

    /**
     * Whether the output's pixels are 8-bit YUV, so that the compositor's I420 can be handed over
     * instead of BGR: as it is for YUV 4:2:0 (x264), by a swscale repack without colour arithmetic
     * for other layouts (YUYV for the virtual camera), where BGR would be converted in full.
     */
    public boolean takesI420() {
        if (!isYuv(pixelFormat)) {
            return false;
        }
        org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor d = avutil.av_pix_fmt_desc_get(pixelFormat);
        return d.comp(0).depth() == 8 && (d.flags() & avutil.AV_PIX_FMT_FLAG_ALPHA) == 0; // alpha needs the RGBA
    }

    /** A YUV pixel format (planar or packed), not RGB or grey. */
    static boolean isYuv(int pixelFormat) {
        org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor d = avutil.av_pix_fmt_desc_get(pixelFormat);
        return d != null && (d.flags() & avutil.AV_PIX_FMT_FLAG_RGB) == 0 && d.nb_components() >= 3;
    }

    /** Uncompressed frames through an encoder: for a pipe or a raw file ({@link RawVideoWriter} skips the encoder). */
    public static Encoding raw(String container, int pixelFormat) {
        return new Encoding(container, "rawvideo", pixelFormat, Map.of(), Map.of(), 0, false, AAC);
    }
}
