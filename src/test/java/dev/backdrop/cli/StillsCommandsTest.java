package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.backdrop.still.StillImage;
import dev.backdrop.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backdrop segment} and {@code backdrop eval} on real photos, with the real model and GL. */
class StillsCommandsTest {

    @TempDir
    Path dir;

    @Test
    void segmentWritesAFullResolutionMaskAndTheComposite() throws Exception {
        Path photo = TestMedia.shared("photos/astronaut.png");
        Path mask = dir.resolve("mask.png");
        Path output = dir.resolve("out.png");
        String printed = run("segment", photo.toString(), "--mask", mask.toString(), "--output", output.toString(), "--blur", "10");
        assertTrue(printed.contains("512x512"), printed);

        byte[] m = StillImage.readMask(mask, 512, 512);
        // face (photo pixels 192..256 x 96..160) is person; the top-left corner (flag and wall) is not
        assertTrue(mean(m, 512, 192, 96, 256, 160) > 250, "face in the mask");
        assertTrue(mean(m, 512, 0, 0, 40, 40) < 5, "corner in the mask");

        StillImage in = StillImage.read(photo);
        StillImage out = StillImage.read(output);
        assertEquals(512, out.width);
        double faceChange = meanAbsDiff(in, out, 192, 96, 256, 160);
        double cornerChange = meanAbsDiff(in, out, 0, 0, 60, 60);
        assertTrue(faceChange < 1.5, "face changed by " + faceChange);
        assertTrue(cornerChange > 5, "background barely changed: " + cornerChange);
    }

    @Test
    void segmentNamesMasksAfterThePhotosOfAFolder() throws Exception {
        Path photos = TestMedia.shared("photos");
        Path masks = dir.resolve("masks");
        run("segment", photos.toString(), "--mask", masks.toString());
        try (var files = Files.list(photos)) {
            for (Path photo : files.filter(StillImage::isImage).toList()) {
                String name = photo.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                StillImage image = StillImage.read(photo);
                byte[] mask = StillImage.readMask(masks.resolve(name + ".png"), image.width, image.height);
                assertTrue(mean(mask, image.width, 0, 0, image.width, image.height) > 10, "someone found in " + name);
            }
        }
    }

    @Test
    void evalScoresSelfieOnThePortraits() throws Exception {
        Path portraits = TestMedia.shared("portraits");
        Path json = dir.resolve("eval.json");
        String table = run("eval", "--images", portraits.resolve("images").toString(),
                "--masks", portraits.resolve("masks").toString(), "--json", json.toString());
        System.out.print(table);
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(8, result.getAsJsonArray("images").size(), "every portrait scored");
        double raw = result.getAsJsonObject("mean").get("iou_raw").getAsDouble();
        double refined = result.getAsJsonObject("mean").get("iou_refined").getAsDouble();
        // measured 2026-11-25: see the closing note; a little below so only a real regression fails
        assertTrue(raw > RAW_IOU_FLOOR, "mean IoU of the raw selfie mask fell to " + raw);
        assertTrue(refined > RAW_IOU_FLOOR, "mean IoU of the refined selfie mask fell to " + refined);
    }

    @Test
    void evalMeasuresLessFlickerWithTemporalSmoothing() throws Exception {
        Path photo = TestMedia.shared("photos/astronaut.png");
        Path clip = dir.resolve("static-noisy.mp4");
        // a still photo with fresh sensor-like noise in every frame: any mask change is flicker
        TestMedia.ffmpeg("-loop", "1", "-i", photo.toString(), "-vf", "scale=640:640,noise=alls=24:allf=t,format=yuv420p",
                "-frames:v", "40", "-r", "30", "-c:v", "libx264", "-crf", "16", clip.toString());
        String printed = run("eval", "--video", clip.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("raw ([\\d.]+), refined ([\\d.]+)").matcher(printed);
        assertTrue(m.find(), printed);
        double raw = Double.parseDouble(m.group(1));
        double refined = Double.parseDouble(m.group(2));
        System.out.print(printed);
        assertTrue(raw > 0, "the noise should move the raw mask a little: " + printed);
        assertTrue(refined < raw, "temporal smoothing should reduce flicker: " + printed);
    }

    @Test
    void evalWithoutMasksSaysWhatIsMissing() {
        BackdropCli.Result r = BackdropCli.run("eval", "--images", dir.toString());
        assertEquals(BackdropCli.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("--masks"), r.err());
    }

    static final double RAW_IOU_FLOOR = 0.87;

    private static String run(String... args) {
        BackdropCli.Result r = BackdropCli.run(args);
        assertEquals(0, r.exitCode(), "exit code of backdrop " + String.join(" ", args) + "\n" + r.out() + r.err());
        return r.out();
    }

    private static double mean(byte[] mask, int width, int x0, int y0, int x1, int y1) {
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += mask[y * width + x] & 0xff;
            }
        }
        return sum / ((x1 - x0) * (y1 - y0));
    }

    private static double meanAbsDiff(StillImage a, StillImage b, int x0, int y0, int x1, int y1) {
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int i = x0 * 3; i < x1 * 3; i++) {
                sum += Math.abs((a.bgr.get(y * a.stride + i) & 0xff) - (b.bgr.get(y * b.stride + i) & 0xff));
            }
        }
        return sum / ((x1 - x0) * 3.0 * (y1 - y0));
    }

}
