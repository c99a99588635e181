package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void x264OutputsTakeYuvAndRawOrAlphaOutputsKeepBgr() {
        FrameSink file = writer("a.mp4", 640, 360, Encoding.x264File("a.mp4", "ultrafast", 23));
        FrameSink recording = writer("b.mkv", 640, 360, Encoding.crashSafeRecording("b.mkv", "ultrafast", 23));
        FrameSink raw = writer("c.yuv", 640, 360, Encoding.raw("rawvideo", avutil.AV_PIX_FMT_YUV420P));
        FrameSink alpha = writer("d.webm", 640, 360, Encoding.withAlpha("d.webm", 23));
        assertTrue(file.takesYuv420(640, 360) && recording.takesYuv420(640, 360));
        assertFalse(file.takesYuv420(320, 180), "another size needs scaling: BGR through swscale");
        assertFalse(raw.takesYuv420(640, 360));
        assertFalse(alpha.takesYuv420(640, 360));

        assertEquals(new Readback(640, 360, false, true), Readback.forSinks(List.of(file, recording), 640, 360));
        Readback mixed = Readback.forSinks(List.of(file, raw), 640, 360);
        assertEquals(new Readback(640, 360, true, true), mixed);
        assertTrue(mixed.yuv420For(file));
        assertFalse(mixed.yuv420For(raw));
        assertEquals(Readback.bgrOnly(640, 360), Readback.forSinks(List.of(alpha), 640, 360));
        assertEquals(Readback.bgrOnly(640, 360), Readback.forSinks(List.of(), 640, 360));
    }

    @Test
    void aCpuRasteriserKeepsBgrUnlessAskedForYuv() {
        Readback planned = new Readback(640, 360, false, true);
        assertEquals(planned, planned.onGl(false), "a GPU converts");
        assertEquals(Readback.bgrOnly(640, 360), planned.onGl(true), "llvmpipe: swscale is cheaper");
        System.setProperty(Readback.PROPERTY, "on");
        try {
            assertEquals(planned, planned.onGl(true));
        } finally {
            System.clearProperty(Readback.PROPERTY);
        }
        assertEquals(Readback.bgrOnly(640, 360), Readback.bgrOnly(640, 360).onGl(false));
    }

    @Test
    void sizesTheGlCannotConvertAndTheSwitchKeepBgr() {
        FrameSink odd = writer("odd.mp4", 1366, 768, Encoding.x264File("odd.mp4", "ultrafast", 23));
        assertTrue(odd.takesYuv420(1366, 768));
        assertEquals(Readback.bgrOnly(1366, 768), Readback.forSinks(List.of(odd), 1366, 768));

        FrameSink file = writer("a.mp4", 640, 360, Encoding.x264File("a.mp4", "ultrafast", 23));
        System.setProperty(Readback.PROPERTY, "off");
        try {
            assertEquals(Readback.bgrOnly(640, 360), Readback.forSinks(List.of(file), 640, 360));
        } finally {
            System.clearProperty(Readback.PROPERTY);
        }
    }
}
