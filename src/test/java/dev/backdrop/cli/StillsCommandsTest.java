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
        Path json = dir.resolve("flicker.json");
        String printed = run("eval", "--video", clip.toString(), "--json", json.toString());
        JsonObject flicker = video(json).getAsJsonObject("flicker");
        double raw = flicker.get("raw").getAsDouble();
        double refined = flicker.get("refined").getAsDouble();
        System.out.print(printed);
        assertTrue(raw > 0, "the noise should move the raw mask a little: " + printed);
        assertTrue(refined < raw, "temporal smoothing should reduce flicker: " + printed);
    }

    /**
     * The DAVIS clip with its human masks, every frame scored with the state carried over as in process.
     * Measured 2026-12-03 (selfie): IoU raw 0.561, refined 0.571; temporal error 3.60% raw, 2.66% refined.
     */
    @Test
    void evalScoresAClipFrameByFrameAgainstItsTruth() throws Exception {
        Path clip = TestMedia.shared("people/eval-video/schoolgirls");
        Path json = dir.resolve("video.json");
        System.out.print(run("eval", "--video", clip.resolve("schoolgirls.mp4").toString(), "--masks",
                clip.resolve("masks").toString(), "--json", json.toString()));
        JsonObject r = video(json);
        assertEquals(80, r.get("frames").getAsInt(), "one score per frame with a mask");
        double iouRaw = r.getAsJsonObject("iou").get("raw").getAsDouble();
        double iouRefined = r.getAsJsonObject("iou").get("refined").getAsDouble();
        assertTrue(iouRaw > 0.5, "selfie's raw IoU on the clip fell to " + iouRaw);
        assertTrue(iouRefined >= iouRaw - 0.005, "the pipeline lost IoU: raw " + iouRaw + ", refined " + iouRefined);
        JsonObject temporal = r.getAsJsonObject("temporalError");
        assertTrue(temporal.get("refined").getAsDouble() < temporal.get("raw").getAsDouble(),
                "the temporal filter should cut the temporal error: " + temporal);
    }

    /**
     * A person cut out of a labelled photo swinging over a background: exact truth in every frame, and fast enough
     * motion that a lagging mask loses IoU. Measured 2026-12-03 at 1280x720 (rvm): IoU raw 0.974, refined 0.978;
     * temporal error 0.49% raw, 0.30% refined.
     */
    @Test
    void aMovingPersonClipHasExactTruthAndTheMaskKeepsUp() throws Exception {
        Path ccp = TestMedia.shared("people/labelled/ccp");
        Path made = dir.resolve("moving");
        run("eval", "--make-clip", made.toString(), "--person", ccp.resolve("images/ccp_0850.jpg").toString(),
                "--person-mask", ccp.resolve("masks/ccp_0850.png").toString(), "--backdrop-photo",
                "lavfi:gradients=s=640x360:n=4:speed=0:seed=7", "--clip-size", "640x360", "--frames", "40");
        try (java.util.stream.Stream<Path> masks = Files.list(made.resolve("masks"))) {
            assertEquals(40, masks.count(), "one mask per frame");
        }
        Path json = dir.resolve("moving.json");
        System.out.print(run("eval", "--model", "rvm", "--video", made.resolve("clip.mkv").toString(), "--masks",
                made.resolve("masks").toString(), "--json", json.toString()));
        JsonObject r = video(json);
        assertEquals(40, r.get("frames").getAsInt());
        double iouRaw = r.getAsJsonObject("iou").get("raw").getAsDouble();
        double iouRefined = r.getAsJsonObject("iou").get("refined").getAsDouble();
        assertTrue(iouRaw > 0.93, "rvm's raw IoU on the moving person fell to " + iouRaw);
        assertTrue(iouRefined >= iouRaw - 0.005, "the refined mask lags or loses the person: raw " + iouRaw
                + ", refined " + iouRefined);
        JsonObject temporal = r.getAsJsonObject("temporalError");
        assertTrue(temporal.get("refined").getAsDouble() <= temporal.get("raw").getAsDouble(),
                "the temporal filter should not add temporal error on a moving person: " + temporal);
    }

    /** A fixed split chosen by name, scaled to a frame size first: photos and masks scaled together. */
    @Test
    void evalScoresAFixedSplitAtAFrameSize() throws Exception {
        Path ccp = TestMedia.shared("people/labelled/ccp");
        Path json = dir.resolve("split.json");
        System.out.print(run("eval", "--images", ccp.resolve("images").toString(), "--masks", ccp.resolve("masks").toString(),
                "--names", "ccp_090*", "--height", "360", "--json", json.toString()));
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        com.google.gson.JsonArray images = result.getAsJsonArray("images");
        assertTrue(images.size() >= 3 && images.size() <= 10, "only ccp_0900..ccp_0909: " + images.size());
        for (var image : images) {
            JsonObject o = image.getAsJsonObject();
            assertTrue(o.get("name").getAsString().startsWith("ccp_090"), o.toString());
            assertEquals(360, o.get("height").getAsInt(), "scaled to 360 rows");
        }
        double raw = result.getAsJsonObject("mean").get("iou_raw").getAsDouble();
        double refined = result.getAsJsonObject("mean").get("iou_refined").getAsDouble();
        assertTrue(raw > 0.8, "selfie's raw IoU on full-body photos fell to " + raw);
        assertTrue(refined >= raw - 0.01, "the pipeline lost IoU: raw " + raw + ", refined " + refined);
    }

    private static JsonObject video(Path json) throws java.io.IOException {
        return JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("video");
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
