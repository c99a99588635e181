package dev.backdrop.bench;

import dev.backdrop.capture.VideoSource;
import dev.backdrop.config.Settings;
import dev.backdrop.ffmpeg.FfmpegProgram;
import dev.backdrop.output.VideoWriter;
import dev.backdrop.pipeline.ProcessJob;
import dev.backdrop.pipeline.StageFactory;
import dev.backdrop.pipeline.StageTimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.Frame;

/**
 * {@code backdrop bench}: the clip through FFmpeg alone (the limit: decode and re-encode with the
 * same x264 settings, nothing else), then through Backdrop, back to back in one run, so the ratio
 * holds even on a noisy machine.
 */
public final class Benchmark {

    private final Settings settings;
    private final Path home;
    private final Path workDir;

    public Benchmark(Settings settings, Path home, Path workDir) {
        this.settings = settings;
        this.home = home;
        this.workDir = workDir;
    }

    /** A clip of the given size and length: the bundled sample, scaled and looped, H.264 at high quality. */
    public Path makeClip(int width, int height, double seconds) throws IOException, InterruptedException {
        return makeClip(width, height, seconds, true);
    }

    /** The same; without audio, as a camera delivers it. */
    public Path makeClip(int width, int height, double seconds, boolean audio) throws IOException, InterruptedException {
        return makeClip(home.resolve("samples/astronaut.mp4"), width, height, seconds, audio);
    }

    /** The same from another clip: looped, scaled to fit the size and padded (black) where its shape differs. */
    public Path makeClip(Path source, int width, int height, double seconds, boolean audio)
            throws IOException, InterruptedException {
        Path clip = workDir.resolve("bench-" + width + "x" + height + "-" + (int) seconds + "s"
                + (audio ? "" : "-silent") + ".mp4");
        FfmpegProgram.run("-stream_loop", "-1", "-i", source.toString(),
                "-vf", "scale=" + width + ":" + height + ":flags=bicubic:force_original_aspect_ratio=decrease,pad="
                        + width + ":" + height + ":(ow-iw)/2:(oh-ih)/2", "-t", Double.toString(seconds),
                "-c:v", "libx264", "-preset", "medium", "-crf", "18", audio ? "-c:a" : "-an", audio ? "aac" : "-sn",
                clip.toString());
        return clip;
    }

    /**
     * The clip as a camera would deliver it: h264 as it is, mjpeg (JPEG 4:2:2 frames, as USB cameras send
     * at 720p and up) or yuyv (raw YUYV 4:2:2, as they send at lower sizes), so the decoder does a
     * camera's work. The H.264 clip is removed once converted.
     */
    public Path asCameraDelivers(Path h264Clip, String coding) throws IOException, InterruptedException {
        String name = h264Clip.getFileName().toString().replace(".mp4", "");
        Path clip = switch (coding) {
            case "h264" -> h264Clip;
            case "mjpeg" -> workDir.resolve(name + "-mjpeg.mkv");
            case "yuyv" -> workDir.resolve(name + "-yuyv.nut");
            default -> throw new IllegalArgumentException("--source takes h264, mjpeg or yuyv, not " + coding);
        };
        if (clip != h264Clip) {
            FfmpegProgram.run("-i", h264Clip.toString(), "-an", "-c:v", coding.equals("mjpeg") ? "mjpeg" : "rawvideo",
                    "-pix_fmt", coding.equals("mjpeg") ? "yuvj422p" : "yuyv422", "-q:v", "4", clip.toString());
            Files.delete(h264Clip);
        }
        return clip;
    }

    public BenchResult run(Path clip, String renderer) throws IOException, InterruptedException {
        int frames;
        int width;
        int height;
        try (VideoSource source = VideoSource.open(clip.toString())) {
            width = source.width();
            height = source.height();
            frames = countFrames(source);
        }
        double limitFps = frames / timeFfmpeg(clip);
        double javacvFps = frames / timeJavacv(clip);

        ThreadCpu cpu = new ThreadCpu();
        cpu.sample();
        ProcessJob job = new ProcessJob(clip.toString(), workDir.resolve("bench-backdrop.mp4"), settings, home);
        ProcessJob.Summary summary = job.run((written, expected, elapsed) -> cpu.sample());
        cpu.sample();

        Map<String, double[]> stages = new LinkedHashMap<>();
        StageTimes t = summary.stageTimes();
        put(stages, "decode", t.decode);
        put(stages, "inference", t.inference);
        put(stages, "compose", t.compose);
        put(stages, "readback", t.readback);
        put(stages, "encode", t.encode);
        return new BenchResult(clip.getFileName().toString(), width + "x" + height, frames, settings.segmentation().model(), renderer,
                limitFps, javacvFps, summary.fps(), summary.startupSeconds(), summary.fpsAfterStartup(),
                stages, cpu.secondsByGroup(),
                Memory.peakRss(), Memory.rss(), Memory.heapUsed(), LocalDate.now().toString(),
                Runtime.getRuntime().availableProcessors(), List.of());
    }

    /** Seconds for the ffmpeg program to decode and re-encode the clip with Backdrop's encoder settings. */
    private double timeFfmpeg(Path clip) throws IOException, InterruptedException {
        long start = System.nanoTime();
        FfmpegProgram.run("-i", clip.toString(), "-c:v", "libx264", "-preset", settings.output().preset(),
                "-crf", Integer.toString(settings.output().crf()), "-pix_fmt", "yuv420p", "-c:a", "aac",
                workDir.resolve("bench-ffmpeg.mp4").toString());
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds for JavaCV to decode to BGR and encode again: Backdrop's own I/O with no filtering. */
    private double timeJavacv(Path clip) {
        long start = System.nanoTime();
        try (VideoSource source = VideoSource.open(clip.toString());
             VideoWriter writer = VideoWriter.open(workDir.resolve("bench-javacv.mp4"),
                     StageFactory.outputFormat(source, settings))) {
            for (Frame f = source.grab(); f != null; f = source.grab()) {
                if (f.image != null) {
                    writer.writeVideo(f, f.timestamp);
                } else if (f.samples != null && f.samples.length == 1) {
                    writer.writeAudio((java.nio.FloatBuffer) f.samples[0], f.sampleRate, f.audioChannels);
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static int countFrames(VideoSource source) {
        int n = 0;
        for (Frame f = source.grab(); f != null; f = source.grab()) {
            n += f.image != null ? 1 : 0;
        }
        return n;
    }

    private static void put(Map<String, double[]> stages, String name, StageTimes.Entry e) {
        stages.put(name, new double[] {e.meanMillis(), e.percentileMillis(0.5), e.percentileMillis(0.99)});
    }
}
