package dev.backdrop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs say how their YUV was made (BT.601 matrix, limited range: swscale's conversion from BGR and the
 * GL's), so a player does not assume BT.709 for HD and shift the hues.
 */
class ColourTagTest {
    @TempDir
    Path dir;

    @Test
    void h264FilesAndStreamsAndAlphaWebmAreTaggedBt601LimitedRange() throws Exception {
        VideoWriter.Format format = new VideoWriter.Format(128, 72, 10, 0, 0, 0, "ultrafast", 20);
        Path file = dir.resolve("out.mp4");
        Path stream = dir.resolve("out.ts");
        Path alpha = dir.resolve("out.webm");
        write(VideoWriter.open(file.toString(), format, Encoding.x264File(file.toString(), "ultrafast", 20)), 3);
        write(VideoWriter.open(stream.toString(), format, Encoding.stream("mpegts", "ultrafast", 500)), 3);
        write(VideoWriter.open(alpha.toString(), format, Encoding.withAlpha(alpha.toString(), 20)), 4);
        for (Path p : new Path[] {file, stream, alpha}) {
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(p.toString())) {
                g.start();
                AVCodecParameters codec = g.getFormatContext().streams(g.getVideoStream()).codecpar();
                assertEquals(avutil.AVCOL_SPC_SMPTE170M, codec.color_space(), p + ": colour matrix");
                assertEquals(avutil.AVCOL_RANGE_MPEG, codec.color_range(), p + ": colour range");
                g.stop();
            }
        }
    }

    private static void write(VideoWriter writer, int channels) {
        try (writer) {
            Frame frame = new Frame(128, 72, Frame.DEPTH_UBYTE, channels);
            for (int i = 0; i < 5; i++) {
                writer.writeVideo(frame, i * 100_000L);
            }
        }
    }
}
