package dev.backdrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void shippedConfigFileHoldsExactlyTheDefaults() {
        assertEquals(Settings.DEFAULT, ConfigLoader.load(Path.of("config/backdrop.yaml")));
    }

    @Test
    void valuesOverrideDefaultsAndOmittedKeysKeepThem() {
        Settings s = ConfigLoader.parse("compose:\n  blur: 30\n  background: bg.png\noutput:\n  crf: 28\n", "test.yaml");
        assertEquals(30.0, s.compose().blur().sigma());
        assertEquals("bg.png", s.compose().background().file());
        assertTrue(s.compose().background().replaces());
        assertEquals(28, s.output().crf());
        assertEquals(Settings.DEFAULT.output().preset(), s.output().preset());
        assertEquals(Settings.DEFAULT.segmentation().model(), s.segmentation().model());
    }

    @Test
    void unknownKeyIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("compose:\n  blurr: 3\n", "my.yaml"));
        assertTrue(e.getMessage().contains("'compose.blurr'"), e.getMessage());
        assertTrue(e.getMessage().contains("my.yaml"), e.getMessage());
    }

    @Test
    void unknownSectionIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("colour:\n  mode: x\n", "c.yaml"));
        assertTrue(e.getMessage().contains("'colour.mode'"), e.getMessage());
    }

    @Test
    void wrongTypeIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("output:\n  crf: high\n", "c.yaml"));
        assertTrue(e.getMessage().contains("'output.crf'") && e.getMessage().contains("whole number"), e.getMessage());
        ConfigException section = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("compose: 5\n", "c.yaml"));
        assertTrue(section.getMessage().contains("'compose'"), section.getMessage());
    }

    @Test
    void outOfRangeValueIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("compose:\n  blur_scale: 3\n", "c.yaml"));
        assertTrue(e.getMessage().contains("'compose.blur_scale'") && e.getMessage().contains("between"), e.getMessage());
        ConfigException ring = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("pipeline:\n  ring_size: 12\n", "c.yaml"));
        assertTrue(ring.getMessage().contains("'pipeline.ring_size'"), ring.getMessage());
        ConfigException preset = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("output:\n  preset: turbo\n", "c.yaml"));
        assertTrue(preset.getMessage().contains("'output.preset'") && preset.getMessage().contains("veryfast"), preset.getMessage());
    }

    @Test
    void flagValuesAreCheckedByTheSameRules() {
        ConfigException e = assertThrows(ConfigException.class, () -> Blur.SIGMA.check(-1.0, "the --blur flag"));
        assertTrue(e.getMessage().contains("--blur"), e.getMessage());
    }

    @Test
    void missingFileAndBrokenYamlSayWhat() {
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no/such.yaml")));
        assertTrue(missing.getMessage().contains("no/such.yaml"), missing.getMessage());
        ConfigException broken = assertThrows(ConfigException.class, () -> ConfigLoader.parse("compose: [1,\n", "b.yaml"));
        assertTrue(broken.getMessage().contains("b.yaml"), broken.getMessage());
    }
}
