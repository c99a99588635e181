package dev.backdrop.cli;

import dev.backdrop.compose.HeadlessGl;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code backdrop --version}: Backdrop's version, then the versions of the libraries this machine gives it
 * (TensorFlow, FFmpeg, OpenGL through EGL, Java). A library that cannot be loaded is "not found" with the
 * reason, never an error: --version is what one runs to find out what is missing.
 */
final class Versions implements IVersionProvider {

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("backdrop " + backdrop());
        // One after the other: JavaCPP's loader (FFmpeg, TensorFlow) takes a lock that two threads
        // initialising it at once can deadlock on, and the three together take about a second.
        lines.add("FFmpeg     " + found(() -> org.bytedeco.ffmpeg.global.avutil.av_version_info().getString()));
        lines.add("TensorFlow " + found(org.tensorflow.TensorFlow::version));
        lines.add("OpenGL     " + found(HeadlessGl::probe));
        lines.add("Java       " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.home") + ")");
        return lines.toArray(String[]::new);
    }

    /** The version in pom.xml, written into the jar at build time. */
    static String backdrop() {
        try (InputStream in = Versions.class.getResourceAsStream("/dev/backdrop/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private interface Probe {
        String version() throws Throwable;
    }

    private static String found(Probe probe) {
        try {
            return probe.version();
        } catch (Throwable t) { // a missing library is a LinkageError, a missing driver an exception
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() != null ? root.getMessage() : root.toString();
            return "not found (" + why.lines().findFirst().orElse("").strip() + ")";
        }
    }
}
