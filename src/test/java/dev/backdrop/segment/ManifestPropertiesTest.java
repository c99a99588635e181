package dev.backdrop.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The TF.js model.json and weight-manifest parser given damaged copies of the bundled selfie model:
 * either a graph or a ModelException naming the file, never another exception.
 */
class ManifestPropertiesTest {

    /** Characters that change JSON structure or numbers when inserted. */
    private static final String INSERTS = "{}[]\",:0123456789eE.-a\\";

    private static Path dir;
    private static String modelJson;
    private static byte[] weights;

    @BeforeContainer
    static void copyModel() throws IOException {
        dir = Files.createTempDirectory("manifest-fuzz");
        modelJson = Files.readString(Path.of("models/selfie/model.json"));
        weights = Files.readAllBytes(Path.of("models/selfie/selfie.bin"));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 300, seed = "20261125")
    void damagedModelJsonIsReadOrRefusedClearly(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                                @ForAll @IntRange(min = 1, max = 12) int edits) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder text = new StringBuilder(modelJson);
        for (int i = 0; i < edits && text.length() > 1; i++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(4)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, INSERTS.charAt(random.nextInt(INSERTS.length())));
                case 2 -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                default -> text.setLength(at); // truncated
            }
        }
        Path json = dir.resolve("model.json");
        Files.writeString(json, text);
        Files.write(dir.resolve("selfie.bin"), seed % 5 == 0 ? java.util.Arrays.copyOf(weights, seed % weights.length) : weights);
        try {
            TfjsModelReader.read(json);
        } catch (ModelException expected) {
            if (expected.getMessage() == null || !expected.getMessage().contains("model.json")
                    && !expected.getMessage().contains("selfie.bin")) {
                throw new AssertionError("refusal that does not name the file: " + expected.getMessage(), expected);
            }
        }
    }
}
