package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.capture.FrameGeometry;
import dev.backdrop.capture.PixelLayout;
import dev.backdrop.output.Encoding;
import dev.backdrop.output.FrameSink;
import dev.backdrop.output.VideoWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which outputs get the GL's YUV 4:2:0, with real FFmpeg writers. */
class ReadbackTest {
    private static final FrameGeometry HD = new FrameGeometry(640, 360, 256, 144);
    /** A width that is no multiple of 8: the GL cannot convert it. */
    private static final FrameGeometry ODD = new FrameGeometry(1366, 768, 256, 144);
    @TempDir
    Path dir;
    private final List<FrameSink> opened = new ArrayList<>();

    @AfterEach
    void closeWriters() {
        opened.forEach(FrameSink::close);
    }

    private FrameSink writer(String name, int width, int height, Encoding encoding) {
        VideoWriter w = VideoWriter.open(dir.resolve(name).toString(),
                new VideoWriter.Format(width, height, 30, 0, 0, 0, "ultrafast", 23), encoding);
        opened.add(w);
        return w;
    }

    @Test
    void yuvOutputsTakeYuvAndRgbOrAlphaOutputsKeepBgr() {
        FrameSink file = writer("a.mp4", 640, 360, Encoding.x264File("a.mp4", "ultrafast", 23));
        FrameSink recording = writer("b.mkv", 640, 360, Encoding.crashSafeRecording("b.mkv", "ultrafast", 23));
        FrameSink camera = writer("c.yuv", 640, 360, Encoding.raw("rawvideo", avutil.AV_PIX_FMT_YUYV422));
        FrameSink raw = writer("e.rgb", 640, 360, Encoding.raw("rawvideo", avutil.AV_PIX_FMT_BGR24));
        FrameSink alpha = writer("d.webm", 640, 360, Encoding.withAlpha("d.webm", 23));
        assertTrue(file.takesYuv420(640, 360) && recording.takesYuv420(640, 360));
        assertTrue(camera.takesYuv420(640, 360), "YUYV: swscale repacks I420 without colour arithmetic");
        assertFalse(file.takesYuv420(320, 180), "another size needs scaling: BGR through swscale");
        assertFalse(raw.takesYuv420(640, 360));
        assertFalse(alpha.takesYuv420(640, 360));

        assertEquals(new Readback(HD, false, true), Readback.forSinks(List.of(file, recording), HD));
        Readback mixed = Readback.forSinks(List.of(file, raw), HD);
        assertEquals(new Readback(HD, true, true), mixed);
        assertTrue(mixed.yuv420For(file));
        assertFalse(mixed.yuv420For(raw));
        assertEquals(Readback.bgrOnly(HD), Readback.forSinks(List.of(alpha), HD));
        assertEquals(Readback.bgrOnly(HD), Readback.forSinks(List.of(), HD));
    }

    @Test
    void aCpuRasteriserKeepsBgrUnlessAskedForYuv() {
        Readback planned = new Readback(HD, false, true);
        assertEquals(planned, planned.onGl(false), "a GPU converts");
        assertEquals(Readback.bgrOnly(HD), planned.onGl(true), "llvmpipe: swscale is cheaper");
        System.setProperty(Readback.PROPERTY, "on");
        try {
            assertEquals(planned, planned.onGl(true));
        } finally {
            System.clearProperty(Readback.PROPERTY);
        }
        assertEquals(Readback.bgrOnly(HD), Readback.bgrOnly(HD).onGl(false));
    }

    @Test
    void sizesTheGlCannotConvertAndTheSwitchKeepBgr() {
        FrameSink odd = writer("odd.mp4", 1366, 768, Encoding.x264File("odd.mp4", "ultrafast", 23));
        assertTrue(odd.takesYuv420(1366, 768));
        assertEquals(Readback.bgrOnly(ODD), Readback.forSinks(List.of(odd), ODD));
        FrameGeometry planes = ODD.in(PixelLayout.I420);
        assertEquals(new Readback(planes, false, true), Readback.forSinks(List.of(odd), planes),
                "an I420 ring is YUV 4:2:0 at any even size");

        FrameSink file = writer("a.mp4", 640, 360, Encoding.x264File("a.mp4", "ultrafast", 23));
        System.setProperty(Readback.PROPERTY, "off");
        try {
            assertEquals(Readback.bgrOnly(HD), Readback.forSinks(List.of(file), HD));
        } finally {
            System.clearProperty(Readback.PROPERTY);
        }
    }
}
