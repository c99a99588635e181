package dev.backdrop.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.config.ConfigException;
import dev.backdrop.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a live change may do: checked like the config file, all or nothing; a re-read applies what the file changed. */
class LiveControlsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final LiveControls controls = new LiveControls(
            ConfigLoader.values("compose:\n  blur: 12\n", "start.yaml"), null, new PrintStream(printed, true));

    @Test
    void aChangeIsAllOrNothingAndNamesTheBadKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> controls.change(Map.of("compose.blur", 20.0, "compose.edge_low", 7.0), "the page"));
        assertEquals("'compose.edge_low' in the page must be between 0 and 1, got 7.0", e.getMessage());
        assertEquals(12f, controls.state().settings().compose().blur().sigma(), "nothing changed");
        assertEquals(0, controls.version());

        assertThrows(ConfigException.class, () -> controls.change(Map.of("pipeline.ring_size", 16), "the page"));
        assertThrows(ConfigException.class, () -> controls.change(Map.of("compose.nonsense", 1), "the page"));
        assertThrows(ConfigException.class,
                () -> controls.change(Map.of("compose.background_colour", "transparent"), "the page"));
        assertThrows(ConfigException.class,
                () -> controls.change(Map.of("compose.background", "/no/such/picture.png"), "the page"));

        assertEquals(List.of("compose.blur"), controls.change(Map.of("compose.blur", 20.0), "the page"));
        assertEquals(20f, controls.state().settings().compose().blur().sigma());
        assertEquals(1, controls.version());
        assertTrue(printed.toString().contains("the page: compose.blur 20"), printed.toString());
    }

    @Test
    void aReloadAppliesWhatTheFileChangedAndKeepsThePagesOtherChanges() {
        controls.change(Map.of("compose.blur", 30.0), "the page");
        List<String> changed = controls.reload(ConfigLoader.values(
                "compose:\n  blur: 12\n  background_colour: \"#ff0000\"\noutput:\n  crf: 30\n", "c.yaml"), "SIGHUP");
        assertEquals(List.of("compose.background_colour"), changed);
        assertEquals(30f, controls.state().settings().compose().blur().sigma(), "the page's blur stays");
        assertEquals(0xff0000, controls.state().settings().compose().background().solidColour());
        assertTrue(printed.toString().contains("SIGHUP: output.crf changed but take effect only at a restart"),
                printed.toString());

        // The file changes the blur too: now it wins.
        controls.reload(ConfigLoader.values("compose:\n  blur: 5\n  background_colour: \"#ff0000\"\n", "c.yaml"),
                "SIGHUP");
        assertEquals(5f, controls.state().settings().compose().blur().sigma());
    }

    @Test
    void theEffectTogglesWithoutTouchingTheSettings() {
        controls.toggleEffect("SIGUSR1");
        LiveControls.State off = controls.state();
        assertEquals(0f, off.compose().blur().sigma(), "off: the frame as it came");
        assertEquals(12f, off.settings().compose().blur().sigma(), "the settings are kept for when it is on again");
        controls.toggleEffect("SIGUSR1");
        assertEquals(12f, controls.state().compose().blur().sigma());
    }
}
