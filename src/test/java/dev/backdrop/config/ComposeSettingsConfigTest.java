package dev.backdrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The compose.* refinement keys: parsing, checks naming the key, flags over the file, conversion. */
class ComposeSettingsConfigTest {

    @Test
    void defaultsConvertToTheCompositorsDefaults() {
        assertEquals(ComposeSettings.DEFAULT, Settings.DEFAULT.compose());
    }

    @Test
    void valuesAreReadAndConverted() {
        Settings s = ConfigLoader.parse("compose:\n  feather: 4\n  feather_direction: outward\n  background_colour: \"#00B140\"\n"
                + "  background_fit: stretch\n  temporal_weight: 1\n  light_wrap: 0.4\n", "t.yaml");
        ComposeSettings c = s.compose();
        assertEquals(4f, c.edge().feather());
        assertEquals(Edge.FeatherDirection.OUTWARD, c.edge().direction());
        assertEquals(0x00B140, c.background().solidColour());
        assertEquals(Background.Fit.STRETCH, c.background().fit());
        assertEquals(1f, c.temporal().weight());
        assertEquals(0.4f, c.background().lightWrap());
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
        SettingValues file = ConfigLoader.values("compose:\n  feather: 4\n", "t.yaml");
        assertEquals(0.0, Settings.from(file.withText(Edge.FEATHER, "0.0", "the --feather flag")).compose().edge().feather());
        ConfigException e = assertThrows(ConfigException.class,
                () -> file.withText(Edge.FEATHER, "500.0", "the --feather flag"));
        assertTrue(e.getMessage().contains("--feather"), e.getMessage());
        SettingValues wrap = file.withText(Background.LIGHT_WRAP, "0.25", "the --light-wrap flag");
        assertEquals(0.25f, Settings.from(wrap).compose().background().lightWrap());
    }
}
