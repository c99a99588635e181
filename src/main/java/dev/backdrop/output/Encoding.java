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
                            "row-mt", "1"), Map.of(), 2, true, avcodec.AV_CODEC_ID_OPUS);
        }
        if (name.endsWith(".mov")) {
            return new Encoding("mov", "prores_ks", avutil.AV_PIX_FMT_YUVA444P10LE, Map.of("profile", "4"), Map.of(),
                    0, true, AAC);
        }
        if (name.endsWith(".png") && name.contains("%")) {
            return new Encoding("image2", "png", avutil.AV_PIX_FMT_RGBA, Map.of(), Map.of(), 0, false, AAC);
        }
        throw new OutputException("transparent output needs a format that carries alpha: name the file .webm (VP9),"
                + " .mov (ProRes 4444) or a PNG sequence like out_%05d.png; got " + fileName, null);
    }

    /** H.264 in the container the file name implies: for {@code process}. */
    public static Encoding x264File(String preset, int crf) {
        return new Encoding(null, "libx264", avutil.AV_PIX_FMT_YUV420P,
                Map.of("preset", preset, "crf", Integer.toString(crf)), Map.of(), 0, true, AAC);
    }

    /**
     * H.264 that survives a crash: Matroska (clusters of at most 1 s) or fragmented MP4, every
     * packet flushed to disk as it is written and a keyframe every 2 s, so {@code kill -9} leaves a
     * playable file missing at most the last second.
     */
    public static Encoding crashSafeRecording(String fileName, String preset, int crf) {
        boolean mp4 = fileName.toLowerCase(java.util.Locale.ROOT).matches(".*\\.(mp4|mov|m4v)$");
        Map<String, String> muxer = mp4
                ? Map.of("movflags", "frag_keyframe+empty_moov+default_base_moof", "flush_packets", "1")
                : Map.of("flush_packets", "1", "cluster_time_limit", "1000");
        return new Encoding(mp4 ? "mp4" : "matroska", "libx264", avutil.AV_PIX_FMT_YUV420P,
                Map.of("preset", preset, "crf", Integer.toString(crf), "tune", "zerolatency"), muxer, 2, true, AAC);
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
     * Whether the encoder is x264 on YUV 4:2:0, which can be handed the compositor's GL-converted
     * I420 as it is. Raw outputs (v4l2, pipes) keep BGR and convert with swscale like before.
     */
    public boolean encodesYuv420() {
        return "libx264".equals(videoCodec) && pixelFormat == avutil.AV_PIX_FMT_YUV420P;
    }

    /** Uncompressed frames: for a v4l2loopback device, a pipe or a raw file. */
    public static Encoding raw(String container, int pixelFormat) {
        return new Encoding(container, "rawvideo", pixelFormat, Map.of(), Map.of(), 0, false, AAC);
    }
}
