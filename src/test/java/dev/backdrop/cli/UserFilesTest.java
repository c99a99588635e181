package dev.backdrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.config.SettingsDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an installed Backdrop finds where, in a JVM of its own with the XDG variables pointed at a
 * temporary home: --version, the config file's lookup order, config --init, user models by name.
 */
class UserFilesTest {

    @TempDir
    Path home;

    private static final String TINY_CLIP = "lavfi:testsrc2=size=64x48:rate=5:duration=0.2";

    /** Exit code, standard output and both streams together. */
    private record Run(int code, String out, String output) {
    }

    private Run backdrop(String... args) throws IOException, InterruptedException {
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(BackdropCli.command(args)).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "backdrop " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(out) + Files.readString(err));
    }

    @Test
    void versionNamesBackdropAndTheLibrariesItFound() throws Exception {
        Run run = backdrop("--version");
        assertEquals(0, run.code(), run.output());
        List<String> lines = run.out().lines().toList();
        assertEquals("backdrop " + Versions.backdrop(), lines.get(0), run.output());
        assertTrue(Versions.backdrop().matches("\\d+\\.\\d+\\.\\d+.*"), Versions.backdrop());
        assertTrue(run.output().contains("FFmpeg     8."), run.output());
        assertTrue(run.output().matches("(?s).*TensorFlow \\d+\\.\\d+\\.\\d+.*"), run.output());
        assertTrue(run.output().contains("OpenGL     "), run.output());
    }

    @Test
    void versionSaysNotFoundWhenOpenGlIsMissing() throws Exception {
        List<String> command = new java.util.ArrayList<>(BackdropCli.command("--version"));
        command.add(1, "-Dorg.lwjgl.egl.libname=" + home.resolve("no-such-libEGL.so.1"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OpenGL     not found ("), out);
    }

    @Test
    void theUsersConfigFileIsReadBeforeTheBundledOne() throws Exception {
        Path user = home.resolve("config/backdrop/backdrop.yaml");
        assertEquals(Path.of("config/backdrop.yaml").toAbsolutePath().toString(), backdrop("config", "--path").out().strip());
        Files.createDirectories(user.getParent());
        Files.writeString(user, "compose:\n  blur: 9999\n");
        assertEquals(user.toString(), backdrop("config", "--path").out().strip());
        // a run reads it: its out-of-range value stops the run, naming the file
        Run run = backdrop("process", TINY_CLIP, home.resolve("out.mp4").toString());
        assertEquals(BackdropCli.USAGE, run.code(), run.output());
        assertTrue(run.output().contains("compose.blur") && run.output().contains(user.toString()), run.output());
        // --config FILE comes first
        Run given = backdrop("process", TINY_CLIP, home.resolve("out.mp4").toString(), "--config", "config/backdrop.yaml");
        assertEquals(0, given.code(), given.output());
    }

    @Test
    void configInitWritesTheCommentedFileAndKeepsAnExistingOne() throws Exception {
        Path user = home.resolve("config/backdrop/backdrop.yaml");
        Run first = backdrop("config", "--init");
        assertEquals(0, first.code(), first.output());
        assertEquals(SettingsDoc.yaml(), Files.readString(user));
        Files.writeString(user, "compose:\n  blur: 3\n");
        Run again = backdrop("config", "--init");
        assertEquals(BackdropCli.USAGE, again.code(), again.output());
        assertTrue(again.output().contains("--force"), again.output());
        assertEquals("compose:\n  blur: 3\n", Files.readString(user), "an existing config file is left as it is");
        Run forced = backdrop("config", "--init", "--force");
        assertEquals(0, forced.code(), forced.output());
        assertEquals(SettingsDoc.yaml(), Files.readString(user));
        try (Stream<Path> left = Files.list(user.getParent())) {
            assertEquals(List.of(user), left.toList(), "no temporary file left beside it");
        }
    }

    @Test
    void aModelInTheUsersDataFolderIsFoundByName() throws Exception {
        Path mine = home.resolve("data/backdrop/models/mine");
        Files.createDirectories(mine);
        try (Stream<Path> files = Files.list(Path.of("models/selfie"))) {
            for (Path f : files.toList()) {
                Files.copy(f, mine.resolve(f.getFileName()));
            }
        }
        Run run = backdrop("process", TINY_CLIP, home.resolve("mine.mp4").toString(), "--model", "mine");
        assertEquals(0, run.code(), run.output());
        assertTrue(Files.size(home.resolve("mine.mp4")) > 0);
        Run missing = backdrop("process", TINY_CLIP, home.resolve("x.mp4").toString(), "--model", "nosuch");
        assertEquals(BackdropCli.INPUT, missing.code(), missing.output());
        assertTrue(missing.output().contains(home.resolve("data/backdrop/models").toString())
                && missing.output().contains("mine"), missing.output());
    }
}
