package dev.backdrop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.cli.BackdropCli;
import dev.backdrop.still.StillImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COCO-style instance annotations become exact person masks; malformed files are refused in one line. */
class CocoAnnotationsTest {
    private static final int W = 20;
    private static final int H = 16;

    @TempDir
    Path tmp;

    @Test
    void compressedCountsDecodeAsCocoWritesThem() {
        assertArrayEquals(new long[] {3, 2, 40}, CocoAnnotations.decodeCounts("32X1"));
        assertArrayEquals(new long[] {5, 3, 2, 1}, CocoAnnotations.decodeCounts("532N")); // a negative delta
    }

    @Test
    void everyPersonOfAnImageIsMergedIntoOneExactMask() throws Exception {
        Path file = writeAnnotations(null);
        Map<String, CocoAnnotations.Labelled> images = CocoAnnotations.read(file, "person");
        assertEquals(List.of("a.png", "b.png"), List.copyOf(images.keySet()));
        CocoAnnotations.Labelled a = images.get("a.png");
        assertEquals(3, a.instances(), "polygon, uncompressed RLE and a compressed crowd region; the cat ignored");
        assertArrayEquals(expected(), a.mask());
        CocoAnnotations.Labelled b = images.get("b.png");
        assertEquals(0, b.instances());
        assertArrayEquals(new byte[W * H], b.mask(), "an image with only a cat is all background");
    }

    @Test
    void trainReadsThemAndKeepsNegativesOnlyWhenAsked() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        ByteBuffer grey = ByteBuffer.allocateDirect(W * H * 3);
        for (int i = 0; i < W * H * 3; i++) {
            grey.put(i, (byte) (i * 7));
        }
        for (String name : List.of("a.png", "b.png")) {
            StillImage.writeBgr(images.resolve(name), grey, W, H, W * 3);
        }
        Path file = writeAnnotations(null);
        for (boolean negatives : new boolean[] {false, true}) {
            TrainOptions o = TrainOptions.builder().images(images).annotations(file).negatives(negatives)
                    .out(tmp.resolve("out")).build();
            try (TrainingSet set = TrainingSet.load(o, null, 64)) {
                assertEquals(negatives ? List.of("a", "b") : List.of("a"), set.images.stream().map(p -> p.name).toList());
                byte[] mask = new byte[W * H];
                set.images.get(0).mask.data().get(mask);
                assertArrayEquals(expected(), mask);
            }
        }
    }

    @Test
    void malformedAnnotationsAreRefusedInOneLine() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        StillImage.writeBgr(images.resolve("a.png"), ByteBuffer.allocateDirect(W * H * 3), W, H, W * 3);
        String badCounts = "{\"id\": 9, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 1,"
                + " \"segmentation\": {\"size\": [16, 20], \"counts\": [10, 5, 7]}}";
        String outside = "{\"id\": 9, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 0,"
                + " \"segmentation\": [[2, 3, 40, 3, 40, 8, 2, 8]]}";
        String unknownImage = "{\"id\": 9, \"image_id\": 77, \"category_id\": 1, \"iscrowd\": 0,"
                + " \"segmentation\": [[2, 3, 10, 3, 10, 8]]}";
        String badString = "{\"id\": 9, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 1,"
                + " \"segmentation\": {\"size\": [16, 20], \"counts\": \"3\\u007f\"}}";
        Map<String, String> cases = Map.of(badCounts, "annotation 9 (image 1, 20x16): RLE counts add up to 22 pixels,"
                        + " not 320", outside, "polygon point (40.0, 3.0) lies outside the image",
                unknownImage, "annotation 9 names image 77, which is not among its images",
                badString, "has a character it cannot hold");
        for (var c : cases.entrySet()) {
            Path file = writeAnnotations(c.getKey());
            BackdropCli.Result r = BackdropCli.run("train", "--images", images.toString(), "--annotations",
                    file.toString(), "--out", tmp.resolve("out").toString(), "--epochs", "1");
            assertNotEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains(c.getValue()), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace:\n" + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        BackdropCli.Result r = BackdropCli.run("train", "--images", images.toString(), "--annotations",
                writeAnnotations(null).toString(), "--category", "dog", "--out", tmp.resolve("out").toString());
        assertTrue(r.err().contains("has no category 'dog' (it has: person, cat)"), r.err());
    }

    /** The union the test's shapes should make, worked out here pixel by pixel. */
    private static byte[] expected() {
        byte[] m = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean rectangle = x >= 2 && x <= 9 && y >= 3 && y <= 7; // polygon (2,3)-(10,8), centres inside
                m[y * W + x] = (byte) (rectangle || blob(x, y) || crowd(x, y) ? 255 : 0);
            }
        }
        return m;
    }

    private static boolean blob(int x, int y) {
        return (x - 14) * (x - 14) + (y - 10) * (y - 10) < 9;
    }

    private static boolean crowd(int x, int y) {
        return x >= 15 && x <= 18 && y <= 2;
    }

    /** Runs down the columns, 0s first, as COCO stores masks. */
    private static List<Long> runs(java.util.function.BiPredicate<Integer, Integer> inside) {
        List<Long> out = new ArrayList<>();
        boolean current = false;
        long run = 0;
        for (int x = 0; x < W; x++) {
            for (int y = 0; y < H; y++) {
                if (inside.test(x, y) != current) {
                    out.add(run);
                    run = 0;
                    current = !current;
                }
                run++;
            }
        }
        out.add(run);
        return out;
    }

    /** COCO's compressed string for runs, written the way pycocotools writes it. */
    private static String compress(List<Long> cnts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cnts.size(); i++) {
            long x = cnts.get(i);
            if (i > 2) {
                x -= cnts.get(i - 2);
            }
            boolean more = true;
            while (more) {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** Two images; a rectangle, a blob (plain RLE) and a crowd (compressed RLE) of people and a cat on the first. */
    private Path writeAnnotations(String extra) throws Exception {
        String plain = runs(CocoAnnotationsTest::blob).toString();
        String compressed = compress(runs(CocoAnnotationsTest::crowd)).replace("\\", "\\\\");
        String json = "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 20, \"height\": 16},"
                + " {\"id\": 2, \"file_name\": \"b.png\", \"width\": 20, \"height\": 16}],\n"
                + " \"categories\": [{\"id\": 1, \"name\": \"person\"}, {\"id\": 3, \"name\": \"cat\"}],\n"
                + " \"annotations\": [\n"
                + "  {\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 0, \"segmentation\": [[2, 3, 10, 3, 10, 8, 2, 8]]},\n"
                + "  {\"id\": 2, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 0, \"segmentation\": {\"size\": [16, 20], \"counts\": " + plain + "}},\n"
                + "  {\"id\": 3, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 1, \"segmentation\": {\"size\": [16, 20], \"counts\": \"" + compressed + "\"}},\n"
                + "  {\"id\": 4, \"image_id\": 1, \"category_id\": 3, \"iscrowd\": 0, \"segmentation\": [[0, 0, 20, 0, 20, 16, 0, 16]]},\n"
                + "  {\"id\": 5, \"image_id\": 2, \"category_id\": 3, \"iscrowd\": 0, \"segmentation\": [[0, 0, 20, 0, 20, 16, 0, 16]]}"
                + (extra != null ? ",\n  " + extra : "") + "\n]}\n";
        Path file = tmp.resolve("annotations.json");
        Files.writeString(file, json);
        return file;
    }
}
