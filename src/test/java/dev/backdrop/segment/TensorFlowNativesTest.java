package dev.backdrop.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backdrop.cli.BackdropCli;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TensorFlow native library that does not load is one line naming the cause and what to do. */
class TensorFlowNativesTest {

    static final String CACHE = "/root/.javacpp/cache/tensorflow-core-native-1.1.0-linux-x86_64.jar/org/tensorflow/"
            + "internal/c_api/linux-x86_64/";

    @TempDir
    Path dir;

    @Test
    void glibcTooOldNamesBothVersions() {
        String error = "java.lang.UnsatisfiedLinkError: " + CACHE + "libjnitensorflow.so: /lib/x86_64-linux-gnu/libc.so.6:"
                + " version `GLIBC_2.34' not found (required by " + CACHE + "libtensorflow_cc.so.2)";
        String line = TensorFlowNatives.explain(error, "2.31", "amd64");
        assertContains(line, "glibc 2.34 or newer", "glibc 2.31", "newer system");
        // a newer symbol than the one we know of is named as found
        line = TensorFlowNatives.explain(error.replace("GLIBC_2.34", "GLIBC_2.38"), "2.35", "amd64");
        assertContains(line, "glibc 2.38 or newer", "glibc 2.35");
        // an old glibc is the cause even when the loader only says the library is missing
        line = TensorFlowNatives.explain("java.lang.UnsatisfiedLinkError: no jnitensorflow in java.library.path: /usr/lib",
                "2.28", "amd64");
        assertContains(line, "glibc 2.34 or newer", "glibc 2.28");
    }

    @Test
    void missingSystemLibraryIsNamed() {
        String error = "java.lang.UnsatisfiedLinkError: " + CACHE + "libjnitensorflow.so: libstdc++.so.6: cannot open"
                + " shared object file: No such file or directory";
        assertContains(TensorFlowNatives.explain(error, "2.36", "amd64"), "libstdc++.so.6", "is missing", "install");
    }

    @Test
    void wrongArchitectureIsNamed() {
        String error = "java.lang.UnsatisfiedLinkError: " + CACHE + "libjnitensorflow.so: " + CACHE
                + "libjnitensorflow.so: cannot open shared object file: No such file or directory (Possible cause: can't"
                + " load AMD 64 .so on a AARCH64 platform)";
        assertContains(TensorFlowNatives.explain(error, "2.36", "aarch64"), "another processor", "aarch64",
                "tensorflow.classifier");
        assertContains(TensorFlowNatives.explain("java.lang.UnsatisfiedLinkError: /x/libjnitensorflow.so: wrong ELF"
                + " class: ELFCLASS32", "2.36", "amd64"), "another processor");
    }

    @Test
    void missingNativesJarIsNamed() {
        String error = "java.lang.UnsatisfiedLinkError: no jnitensorflow in java.library.path:"
                + " /usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib";
        assertContains(TensorFlowNatives.explain(error, "2.36", "amd64"), "jnitensorflow", "tensorflow-core-native",
                "./backdrop");
        assertContains(TensorFlowNatives.explain("java.lang.UnsatisfiedLinkError: something else", null, "amd64"),
                "something else", "--verbose");
    }

    @Test
    void versionsCompare() {
        assertTrue(TensorFlowNatives.older("2.31", "2.34"));
        assertTrue(TensorFlowNatives.older("2.9", "2.34"));
        assertFalse(TensorFlowNatives.older("2.34", "2.34"));
        assertFalse(TensorFlowNatives.older("2.36", "2.34"));
        String found = TensorFlowNatives.glibcVersion();
        System.out.println("this system's glibc: " + found);
        assertTrue(found == null || found.matches("\\d+\\.\\d+.*"), found);
    }

    /** The whole path: a JVM whose class path lacks the natives jar runs process and gets the line. */
    @Test
    void processWithoutTheNativesJarIsOneLine() throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.matches(".*tensorflow-core-native-[^/]*-linux-x86_64[^/]*\\.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        Path log = dir.resolve("log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.backdrop.cli.Backdrop",
                "process", "lavfi:testsrc2=size=160x120:rate=10:duration=1", dir.resolve("out.mp4").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(BackdropCli.SYSTEM, p.exitValue(), out);
        List<String> errors = out.lines().filter(l -> l.startsWith("backdrop: ")).toList();
        assertEquals(1, errors.size(), out);
        assertContains(errors.get(0), "TensorFlow's native library cannot be loaded", "tensorflow-core-native");
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    private static void assertContains(String line, String... parts) {
        for (String p : parts) {
            assertTrue(line.contains(p), "'" + p + "' missing from: " + line);
        }
        assertEquals(1, line.lines().count(), line);
    }
}
