package dev.backdrop.eval;

import dev.backdrop.ffmpeg.FfmpegProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A clip with exact truth: a person cut out of a labelled photo by its mask, swinging left and right over a
 * background photo, and the same mask moved the same way, one PNG per frame. The person stands on the bottom
 * edge at the frame's full height and swings a quarter of the frame width either side of the centre, once every
 * {@link #PERIOD} frames (up to 0.35 frame heights a second at 30 fps), fast enough that a mask which lags shows
 * it. The background is a photo with nobody in it (or an FFmpeg source, {@code lavfi:gradients=...}), blurred
 * (a 16-pixel box, twice) as a webcam's background is.
 */
public final class MovingPersonClip {

    /** Frames per swing. */
    public static final int PERIOD = 90;

    private MovingPersonClip() {
    }

    /**
     * Writes {@code dir/clip.mkv} (H.264, near-lossless, 30 fps) and {@code dir/masks/00000.png ...}.
     *
     * @return the clip's path
     */
    public static Path write(Path person, Path personMask, String background, int width, int height, int frames, Path dir)
            throws IOException, InterruptedException {
        boolean lavfi = background.startsWith("lavfi:");
        if (!lavfi && !Files.isRegularFile(Path.of(background))) {
            throw new IllegalArgumentException("no such image: " + background);
        }
        for (Path p : new Path[] {person, personMask}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such image: " + p);
            }
        }
        Path masks = Files.createDirectories(dir.resolve("masks"));
        Path clip = dir.resolve("clip.mkv");
        String x = String.format(Locale.ROOT, "x='(main_w-overlay_w)/2+main_w/4*sin(2*PI*n/%d)':y=main_h-overlay_h", PERIOD);
        String cutout = "scale=-2:" + height + ":flags=bicubic";
        List<String> args = new ArrayList<>(lavfi ? List.of("-f", "lavfi", "-i", background.substring("lavfi:".length()))
                : List.of("-loop", "1", "-framerate", "30", "-i", background));
        args.addAll(List.of(
                "-loop", "1", "-framerate", "30", "-i", person.toString(),
                "-loop", "1", "-framerate", "30", "-i", personMask.toString(),
                "-filter_complex", "[0]scale=" + width + ":" + height + ":force_original_aspect_ratio=increase,crop="
                        + width + ":" + height + ",boxblur=16:2,setsar=1[bg];[1]" + cutout + "[p];[2]" + cutout
                        + ",format=gray[m];[p][m]alphamerge[cut];[bg][cut]overlay=" + x + ":format=auto,format=yuv420p",
                "-frames:v", String.valueOf(frames), "-c:v", "libx264", "-preset", "veryfast", "-crf", "8", clip.toString()));
        FfmpegProgram.run(args.toArray(String[]::new));
        FfmpegProgram.run("-loop", "1", "-framerate", "30", "-i", personMask.toString(),
                "-filter_complex", "color=black:s=" + width + "x" + height + ":r=30[bk];[0]" + cutout
                        + ",format=gray[m];[bk][m]overlay=" + x + ",format=gray",
                "-frames:v", String.valueOf(frames), "-start_number", "0", masks.resolve("%05d.png").toString());
        return clip;
    }
}
