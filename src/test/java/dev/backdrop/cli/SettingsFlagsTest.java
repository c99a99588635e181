package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.config.Segmentation;
import dev.backdrop.config.Setting;
import dev.backdrop.config.Settings;
import org.junit.jupiter.api.Test;
import dev.backdrop.segment.Averaging;
import picocli.CommandLine;

/** The flags come from the settings' declarations: each filtering command has all of them, checked by the key's rule. */
class SettingsFlagsTest {

    @Test
    void everyDeclaredFlagIsOnEveryFilteringCommand() {
        CommandLine cli = Backdrop.commandLine();
        for (String command : new String[] {"process", "live", "segment", "eval", "bench"}) {
            for (Setting<?> s : Settings.ALL) {
                if (s.flag() != null) {
                    CommandLine.Model.OptionSpec option = cli.getSubcommands().get(command).getCommandSpec().findOption(s.flag());
                    assertNotNull(option, command + " " + s.flag());
                    assertTrue(option.description()[0].contains(s.key()), option.description()[0]);
                }
            }
        }
    }

    @Test
    void aBadFlagValueNamesTheFlagAndTheKey() {
        BackdropCli.Result r = BackdropCli.run("process", "lavfi:testsrc2=size=64x48:rate=5:duration=1", "out.mp4",
                "--feather", "500");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("--feather") && r.err().contains("compose.feather"), r.err());
    }

    @Test
    void qualityBestLaysItsSettingsOverTheFileAndUnderTheFlags() {
        Settings best = settingsOf("segment", "x.png", "--mask", "m.png", "--quality", "best");
        assertEquals("rvm", best.segmentation().model());
        assertEquals(0, best.segmentation().maxInputSide(), "the whole frame");
        assertEquals(480, best.segmentation().encoderSide());
        assertEquals(Averaging.MIRROR, best.segmentation().averaging());
        Settings flagged = settingsOf("segment", "x.png", "--mask", "m.png", "--quality", "best", "--model", "selfie");
        assertEquals("selfie", flagged.segmentation().model(), "a flag beside --quality wins");
        assertEquals(Averaging.MIRROR, flagged.segmentation().averaging());
        Settings standard = settingsOf("segment", "x.png", "--mask", "m.png");
        assertEquals(Segmentation.DEFAULT, standard.segmentation(), "no --quality: the bundled config as it is");
    }

    private static Settings settingsOf(String... args) {
        CommandLine cli = Backdrop.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        SegmentCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        return command.options.resolve();
    }
}
