package dev.backdrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.compose.ComposeSettings;
import dev.backdrop.pipeline.StageFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compose.* refinement keys: parsing, checks naming the key, flags over the file, conversion. */
class ComposeOptionsConfigTest {

    @Test
    void defaultsConvertToTheCompositorsDefaults() {
        assertEquals(ComposeSettings.defaults(), StageFactory.composeSettings(ConfigLoader.defaults()));
    }

    @Test
    void valuesAreReadAndConverted() {
        Settings s = ConfigLoader.parse("compose:\n  feather: 4\n  feather_direction: outward\n  background_colour: \"#00B140\"\n"
                + "  background_fit: stretch\n  temporal_weight: 1\n  light_wrap: 0.4\n", "t.yaml");
        ComposeSettings c = StageFactory.composeSettings(s);
        assertEquals(4f, c.feather());
        assertEquals(ComposeSettings.FeatherDirection.OUTWARD, c.featherDirection());
        assertEquals(0x00B140, c.solidColour());
        assertEquals(ComposeSettings.Fit.STRETCH, c.fit());
        assertEquals(1f, c.temporalWeight());
        assertEquals(0.4f, c.lightWrap());
    }

    @Test
    void badValuesNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("compose:\n  edge_low: 0.8\n  edge_high: 0.2\n", "t.yaml"));
        assertTrue(e.getMessage().contains("compose.edge_low"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("compose:\n  background_colour: green\n", "t.yaml"));
        assertTrue(e.getMessage().contains("compose.background_colour"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("compose:\n  feather_direction: up\n", "t.yaml"));
        assertTrue(e.getMessage().contains("compose.feather_direction"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("compose:\n  light_wrap: 1.5\n", "t.yaml"));
        assertTrue(e.getMessage().contains("compose.light_wrap"), e.getMessage());
    }

    @Test
    void flagsOverrideTheFileAndAreCheckedByTheSameRules() {
        Settings file = ConfigLoader.parse("compose:\n  feather: 4\n", "t.yaml");
        Map<String, Object[]> flags = new LinkedHashMap<>();
        flags.put("compose.feather", new Object[] {"--feather", 0.0});
        assertEquals(0.0, ConfigLoader.override(file, flags).composeOptions().feather());
        flags.put("compose.feather", new Object[] {"--feather", 500.0});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.override(file, flags));
        assertTrue(e.getMessage().contains("--feather"), e.getMessage());
        Map<String, Object[]> wrap = new LinkedHashMap<>();
        wrap.put("compose.light_wrap", new Object[] {"--light-wrap", 0.25});
        assertEquals(0.25f, StageFactory.composeSettings(ConfigLoader.override(file, wrap)).lightWrap());
    }
}
