package dev.backdrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each setting is declared once: the shipped docs are written from the declarations, and every check uses them. */
class SettingsDocTest {

    @Test
    void configFileIsWrittenFromTheDeclarations() throws IOException {
        assertEquals(SettingsDoc.yaml(), Files.readString(Path.of("config/backdrop.yaml")),
                "config/backdrop.yaml is out of date: ./backdrop config > config/backdrop.yaml");
    }

    @Test
    void readmeTableIsWrittenFromTheDeclarations() throws IOException {
        assertTrue(Files.readString(Path.of("README.md")).contains(SettingsDoc.markdownTable()),
                "README's settings table is out of date: replace it with `./backdrop config --markdown`");
    }

    @Test
    void everyKeyIsInTheDocsOnce() {
        String yaml = SettingsDoc.yaml();
        for (Setting<?> s : Settings.ALL) {
            String leaf = s.key().substring(s.key().lastIndexOf('.') + 1);
            assertTrue(yaml.contains("\n" + "  ".repeat(s.key().split("\\.").length - 1) + leaf + ": "), s.key());
            assertEquals(1, SettingsDoc.markdownTable().split("`" + s.key() + "`", -1).length - 1, s.key());
        }
    }

    /** The file's check and a record's own check refuse the same values, by the one declared range. */
    @Test
    void fileAndRecordsRefuseTheSameOutOfRangeValues() {
        ConfigException file = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("compose:\n  guide_eps: 0.000001\n", "t.yaml"));
        ConfigException record = assertThrows(ConfigException.class, () -> new Guide(1, 0.000001f));
        assertTrue(file.getMessage().contains("between 0.00001 and 1"), file.getMessage());
        assertTrue(record.getMessage().contains("between 0.00001 and 1"), record.getMessage());
        assertThrows(ConfigException.class, () -> new Temporal(0.35f, 0.004f));
        assertEquals(0.005f, new Temporal(0.35f, 0.005f).motionThreshold(), "the lower bound itself is allowed");
        assertThrows(ConfigException.class, () -> new Pipeline(12, Pipeline.Compositing.AUTO));
        assertThrows(ConfigException.class, () -> new Edge(0.7f, 0.3f, 2f, Edge.FeatherDirection.INWARD));
    }

    @Test
    void everyDefaultPassesItsOwnCheck() {
        for (Setting<?> s : Settings.ALL) {
            assertEquals(s.defaultValue(), s.check(s.defaultValue(), "the declaration"), s.key());
        }
        assertEquals(Settings.DEFAULT, Settings.from(SettingValues.DEFAULTS));
    }

    @Test
    void flagTextIsParsedByTheSameRule() {
        SettingValues v = SettingValues.DEFAULTS.withText(Blur.SIGMA, "30", "the --blur flag");
        assertEquals(30f, Settings.from(v).compose().blur().sigma());
        ConfigException e = assertThrows(ConfigException.class,
                () -> SettingValues.DEFAULTS.withText(Blur.SIGMA, "lots", "the --blur flag"));
        assertTrue(e.getMessage().contains("'compose.blur'") && e.getMessage().contains("--blur"), e.getMessage());
        assertEquals(Edge.FeatherDirection.CENTRED, Settings.from(SettingValues.DEFAULTS
                .withText(Edge.DIRECTION, "centred", "the --feather-direction flag")).compose().edge().direction());
    }
}
