package dev.backdrop.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Person masks from COCO-style instance annotations (OCHuman uses the same layout): every instance of the
 * category in an image, polygons and RLE (compressed or not), crowd regions included, is merged into one
 * black-and-white mask, as Backdrop's first training masks were made. An image with no such instance has an
 * all-background mask: a negative, which training keeps only when asked to.
 */
final class CocoAnnotations {
    /** Polygon points may stray this far past the image edge (rounding in the tools that write them). */
    private static final double EDGE_SLACK = 1.0;

    /** One image's merged mask, 0 or 255 per pixel, row by row. */
    record Labelled(String fileName, int width, int height, byte[] mask, int instances) {
    }

    private CocoAnnotations() {
    }

    /**
     * @param category the category's name ("person")
     * @return every image by file name, in the file's order
     */
    static Map<String, Labelled> read(Path file, String category) throws IOException {
        JsonObject root;
        try (Reader in = Files.newBufferedReader(file)) {
            JsonElement e = JsonParser.parseReader(in);
            if (!e.isJsonObject()) {
                throw bad(file, "is not a JSON object with images, annotations and categories");
            }
            root = e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw bad(file, "is not valid JSON: " + e.getMessage());
        }
        int categoryId = categoryId(file, root, category);
        Map<Long, Labelled> byId = new LinkedHashMap<>();
        for (JsonElement e : array(file, root, "images")) {
            JsonObject image = e.getAsJsonObject();
            long id = image.get("id").getAsLong();
            int w = image.get("width").getAsInt();
            int h = image.get("height").getAsInt();
            if (w <= 0 || h <= 0 || (long) w * h > 100_000_000L) {
                throw bad(file, "image " + id + " has a size of " + w + "x" + h);
            }
            byId.put(id, new Labelled(image.get("file_name").getAsString(), w, h, new byte[w * h], 0));
        }
        Map<Long, Integer> instances = new HashMap<>();
        for (JsonElement e : array(file, root, "annotations")) {
            JsonObject a = e.getAsJsonObject();
            if (a.get("category_id").getAsInt() != categoryId) {
                continue;
            }
            String where = "annotation " + (a.has("id") ? a.get("id").getAsString() : "?");
            long imageId = a.get("image_id").getAsLong();
            Labelled image = byId.get(imageId);
            if (image == null) {
                throw bad(file, where + " names image " + imageId + ", which is not among its images");
            }
            JsonElement seg = a.get("segmentation");
            if (seg == null || seg.isJsonNull()) {
                throw bad(file, where + " has no segmentation");
            }
            try {
                if (seg.isJsonArray()) {
                    for (JsonElement polygon : seg.getAsJsonArray()) {
                        fillPolygon(image, polygon.getAsJsonArray());
                    }
                } else {
                    fillRle(image, seg.getAsJsonObject());
                }
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException ex) {
                throw bad(file, where + " (image " + imageId + ", " + image.width() + "x" + image.height() + "): "
                        + ex.getMessage());
            }
            instances.merge(imageId, 1, Integer::sum);
        }
        Map<String, Labelled> out = new LinkedHashMap<>();
        for (var e : byId.entrySet()) {
            Labelled l = e.getValue();
            out.put(l.fileName(), new Labelled(l.fileName(), l.width(), l.height(), l.mask(),
                    instances.getOrDefault(e.getKey(), 0)));
        }
        return out;
    }

    private static int categoryId(Path file, JsonObject root, String category) {
        List<String> names = new ArrayList<>();
        for (JsonElement e : array(file, root, "categories")) {
            JsonObject c = e.getAsJsonObject();
            names.add(c.get("name").getAsString());
            if (c.get("name").getAsString().equals(category)) {
                return c.get("id").getAsInt();
            }
        }
        throw bad(file, "has no category '" + category + "' (it has: " + String.join(", ", names)
                + "); name the one to use with --category");
    }

    private static JsonArray array(Path file, JsonObject root, String key) {
        JsonElement e = root.get(key);
        if (e == null || !e.isJsonArray()) {
            throw bad(file, "has no '" + key + "' list: it is not a COCO-style annotation file");
        }
        return e.getAsJsonArray();
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException("--annotations " + file + ": " + what);
    }

    /**
     * A polygon [x1, y1, x2, y2, ...] in pixel coordinates (pixel (i, j) covers [i, i+1) x [j, j+1)): a pixel is
     * inside when its centre is, by the even-odd rule, so a shape's raster does not depend on a library's rounding.
     */
    static void fillPolygon(Labelled image, JsonArray coords) {
        int n = coords.size() / 2;
        if (coords.size() % 2 != 0 || n < 3) {
            throw new IllegalArgumentException("a polygon needs pairs of coordinates, at least 3 points; got "
                    + coords.size() + " numbers");
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = coords.get(2 * i).getAsDouble();
            y[i] = coords.get(2 * i + 1).getAsDouble();
            if (!(x[i] >= -EDGE_SLACK && x[i] <= image.width() + EDGE_SLACK && y[i] >= -EDGE_SLACK
                    && y[i] <= image.height() + EDGE_SLACK)) {
                throw new IllegalArgumentException("polygon point (" + x[i] + ", " + y[i] + ") lies outside the image");
            }
        }
        double[] crossings = new double[n];
        for (int row = 0; row < image.height(); row++) {
            double cy = row + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                if ((y[i] > cy) != (y[j] > cy)) {
                    crossings[count++] = x[i] + (cy - y[i]) * (x[j] - x[i]) / (y[j] - y[i]);
                }
            }
            java.util.Arrays.sort(crossings, 0, count);
            for (int k = 0; k + 1 < count; k += 2) {
                // pixels whose centre col + 0.5 lies in [from, to)
                int from = (int) Math.max(0, Math.ceil(crossings[k] - 0.5));
                int to = (int) Math.min(image.width(), Math.ceil(crossings[k + 1] - 0.5));
                for (int col = from; col < to; col++) {
                    image.mask()[row * image.width() + col] = (byte) 255;
                }
            }
        }
    }

    /** RLE: runs of 0 then 1 alternating, down the columns (column-major), counts as numbers or COCO's string. */
    static void fillRle(Labelled image, JsonObject rle) {
        JsonArray size = rle.getAsJsonArray("size");
        if (size == null || size.size() != 2 || size.get(0).getAsInt() != image.height()
                || size.get(1).getAsInt() != image.width()) {
            throw new IllegalArgumentException("RLE size " + size + " is not the image's [height, width]");
        }
        JsonElement counts = rle.get("counts");
        long[] runs;
        if (counts != null && counts.isJsonArray()) {
            runs = new long[counts.getAsJsonArray().size()];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = counts.getAsJsonArray().get(i).getAsLong();
            }
        } else if (counts != null && counts.isJsonPrimitive()) {
            runs = decodeCounts(counts.getAsString());
        } else {
            throw new IllegalArgumentException("RLE has no counts");
        }
        long total = 0;
        for (long r : runs) {
            if (r < 0) {
                throw new IllegalArgumentException("RLE has a negative run (" + r + ")");
            }
            total += r;
        }
        long pixels = (long) image.width() * image.height();
        if (total != pixels) {
            throw new IllegalArgumentException("RLE counts add up to " + total + " pixels, not " + pixels);
        }
        long p = 0;
        for (int i = 0; i < runs.length; i++) {
            if (i % 2 == 1) {
                for (long k = p; k < p + runs[i]; k++) {
                    int col = (int) (k / image.height());
                    int row = (int) (k % image.height());
                    image.mask()[row * image.width() + col] = (byte) 255;
                }
            }
            p += runs[i];
        }
    }

    /** COCO's compressed counts: 5 bits a character from '0', a continuation bit, each run after the second a delta. */
    static long[] decodeCounts(String s) {
        List<Long> out = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("RLE counts string ends in the middle of a number");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("RLE counts string has a character it cannot hold: '"
                            + s.charAt(p) + "'");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (out.size() > 2) {
                x += out.get(out.size() - 2);
            }
            out.add(x);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
