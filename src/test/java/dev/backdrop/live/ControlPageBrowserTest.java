package dev.backdrop.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backdrop.cli.BackdropCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control page in a real browser (Debian's chromium driven by playwright-core, as a user
 * would: the slider, the colour choice, an upload): the recording a running {@code live} writes
 * follows the clicks, the page without its token is refused, a bad upload is refused with a
 * message and changes nothing. Needs chromium and {@code npm ci} in src/test/browser (.ci/run
 * does both); skipped with the reason shown otherwise.
 */
class ControlPageBrowserTest {

    private static final Path SCRIPT_DIR = Path.of("src/test/browser");

    @TempDir
    Path dir;

    @Test
    void aUserChangesTheFilterFromThePage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is not installed (apt-get install chromium)");
        assumeTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")),
                "playwright-core is not installed: run npm ci in src/test/browser");
        assumeTrue(onPath("node"), "node is not installed");
        Path record = dir.resolve("page.mkv");
        Path log = dir.resolve("page.log");
        Path screenshot = Path.of("target/control-page.png");
        Process live = BackdropCli.start(log, "live", "--input", LiveControlTest.SOURCE, "--control", "0",
                "--record", record.toString());
        String result;
        try {
            LiveControlTest.awaitLog(log, live, "capturing");
            Matcher m = LiveControlTest.CONTROL_URL.matcher(Files.readString(log));
            assertTrue(m.find(), Files.readString(log));
            Process node = new ProcessBuilder("node", SCRIPT_DIR.resolve("control-page.js").toString(), m.group(1),
                    screenshot.toAbsolutePath().toString()).redirectError(dir.resolve("node.err").toFile()).start();
            result = new String(node.getInputStream().readAllBytes()).strip();
            assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser finished");
            assertEquals(0, node.exitValue(), Files.readString(dir.resolve("node.err")) + "\nlog:\n" + Files.readString(log));
            Thread.sleep(1000);
        } finally {
            LiveControlTest.stop(live);
        }
        System.out.println("control page in chromium: " + result + "; screenshot " + screenshot);
        assertTrue(result.contains("\"without_token\":403"), result);
        assertTrue(result.contains("\"with_token\":200"), result);
        assertTrue(result.contains("not a PNG or JPEG"), result);
        assertTrue(result.contains("\"colour_after_bad_upload\":true"), "a refused upload changes nothing: " + result);
        assertTrue(result.contains("\"mask_on_preview_ms\""), result);
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page");
        assertEquals(List.of(LiveControlTest.Look.BLURRED, LiveControlTest.Look.SHARP, LiveControlTest.Look.RED),
                LiveControlTest.phases(record), "the recording follows the page's controls, and not its mask view");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
