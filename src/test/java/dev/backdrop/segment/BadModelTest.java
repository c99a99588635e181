package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken or missing models fail with a ModelException that names the file at fault. */
class BadModelTest {
    static final Path SELFIE = Path.of("models", "selfie");

    @TempDir
    Path tmp;

    @Test
    void missingDirectory() {
        Path dir = tmp.resolve("no-such-model");
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(dir.toString(), Path.of("models"), ModelOptions.defaults()));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void unknownBundledNameListsTheBundledOnes() {
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load("nosuch", Path.of("models"), ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("nosuch") && e.getMessage().contains("selfie"), e.getMessage());
    }

    @Test
    void directoryWithoutModelJson() {
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(tmp.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains(tmp.resolve("model.json").toString()), e.getMessage());
    }

    @Test
    void truncatedWeights() throws IOException {
        Files.copy(SELFIE.resolve("model.json"), tmp.resolve("model.json"));
        byte[] bin = Files.readAllBytes(SELFIE.resolve("selfie.bin"));
        Files.write(tmp.resolve("selfie.bin"), java.util.Arrays.copyOf(bin, bin.length / 2));
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(tmp.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("selfie.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingWeights() throws IOException {
        Files.copy(SELFIE.resolve("model.json"), tmp.resolve("model.json"));
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(tmp.resolve("model.json").toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains(tmp.resolve("selfie.bin").toString()), e.getMessage());
    }

    @Test
    void notJson() throws IOException {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, "<html>404 Not Found</html>");
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(tmp.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
    }

    @Test
    void manifestShapeMismatch() throws IOException {
        ModelException e = selfieWithManifestShape(tmp, "[2,2]");
        assertTrue(e.getMessage().contains("segment/input_sizes") && e.getMessage().contains("model.json"),
                e.getMessage());
    }

    /**
     * Selfie copied into dir with the manifest's shape of its first weight, segment/input_sizes ([4] in both the
     * manifest and the graph), replaced; loading it must fail.
     */
    static ModelException selfieWithManifestShape(Path dir, String shape) throws IOException {
        String json = Files.readString(SELFIE.resolve("model.json"));
        String broken = json.replaceFirst("\"name\":\\s*\"segment/input_sizes\",\\s*\"shape\":\\s*\\[4\\]",
                "\"name\":\"segment/input_sizes\",\"shape\":" + shape);
        assertTrue(!broken.equals(json), "test fixture: manifest entry not found");
        Files.writeString(dir.resolve("model.json"), broken);
        Files.copy(SELFIE.resolve("selfie.bin"), dir.resolve("selfie.bin"));
        return assertThrows(ModelException.class,
                () -> SegmentationModel.load(dir.toString(), null, ModelOptions.defaults()));
    }
}
