package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** model.yaml: the bundled descriptors parse, and every mistake names its key. */
class ModelDescriptorTest {
    static final Path FILE = Path.of("my", "model.yaml");

    @Test
    void bundledDescriptors() {
        ModelDescriptor selfie = ModelDescriptor.read(Path.of("models/selfie/model.yaml"));
        assertEquals(256, selfie.width());
        assertEquals(ModelDescriptor.OutputKind.SIGMOID, selfie.outputKind());
        ModelDescriptor rvm = ModelDescriptor.read(Path.of("models/rvm/model.yaml"));
        assertTrue(rvm.anySize());
        assertEquals(4, rvm.states().size());
        assertEquals("r3o", rvm.states().get(2).output());
        assertEquals("downsample_ratio", rvm.downsampleInput());
        assertEquals(ModelDescriptor.OutputKind.ALPHA, rvm.outputKind());
    }

    @Test
    void unknownKeyIsNamed() {
        ModelException e = assertThrows(ModelException.class,
                () -> ModelDescriptor.parse("input:\n  name: x\n  sise: 256x256\n", FILE));
        assertTrue(e.getMessage().contains("'input.sise'") && e.getMessage().contains(FILE.toString()), e.getMessage());
    }

    @Test
    void wrongOutputKindIsNamed() {
        ModelException e = assertThrows(ModelException.class,
                () -> ModelDescriptor.parse("output:\n  name: y\n  kind: logits\n", FILE));
        assertTrue(e.getMessage().contains("'output.kind'") && e.getMessage().contains("sigmoid"), e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        String[][] cases = {
            {"input: {size: 256}\n", "'input.size'"},
            {"input: {range: [1, 0]}\n", "'input.range'"},
            {"input: {layout: chw}\n", "'input.layout'"},
            {"state: [{input: a}]\n", "'state'"},
            {"input: x\n", "'input'"},
            {"aspect: zoom\n", "'aspect'"},
            {"file: ../../etc/passwd\n", "'file'"},
        };
        for (String[] c : cases) {
            ModelException e = assertThrows(ModelException.class, () -> ModelDescriptor.parse(c[0], FILE), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void loadReportsDescriptorErrorsWithTheFile() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("badyaml");
        java.nio.file.Files.copy(Path.of("models/selfie/model.json"), dir.resolve("model.json"));
        java.nio.file.Files.copy(Path.of("models/selfie/selfie.bin"), dir.resolve("selfie.bin"));
        java.nio.file.Files.writeString(dir.resolve("model.yaml"), "output:\n  kind: probability\n");
        ModelException e = assertThrows(ModelException.class,
                () -> SegmentationModel.load(dir.toString(), null, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("'output.kind'") && e.getMessage().contains("model.yaml"), e.getMessage());
    }
}
