package dev.backdrop.segment;

import dev.backdrop.threads.Preload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads TensorFlow's native library once, before the first graph, and turns a failure into one line that
 * names the cause: the JVM reports it as an UnsatisfiedLinkError whose text (a path in JavaCPP's cache and a
 * loader message) says what is wrong only to someone who knows how to read it.
 */
final class TensorFlowNatives {

    /** TensorFlow Java 1.1.0's natives are built against glibc 2.34 (GLIBC_2.34 symbols). */
    static final String NEEDED_GLIBC = "2.34";

    private static final Pattern GLIBC_MISSING = Pattern.compile("GLIBC_([0-9.]+)'? not found");
    private static final Pattern MISSING_FILE = Pattern.compile("([^\\s:/]+\\.so[.0-9]*): cannot open shared object file");
    private static final Pattern NOT_ON_PATH = Pattern.compile("no (\\S+) in java\\.library\\.path");

    private static volatile boolean loaded;
    private static volatile Preload preloading;
    private static volatile ModelException preloadFailure;

    private TensorFlowNatives() {
    }

    /** madvise's advice to drop a range's pages from this process (clean file pages refault from the page cache). */
    private static final int MADV_DONTNEED = 4;

    /**
     * Drops from this process's resident set the pages of TensorFlow's libraries that were never
     * written (code and read-only data: every mapping without write permission and with no dirty
     * page). Loading touches about 170 MB of them, mostly each kernel's registration, that inference
     * never runs again; they stay in the page cache, and what inference does run faults back in
     * once. Returns the kB dropped (as the mappings' resident size said), 0 where it cannot.
     */
    static long releaseCleanPages() {
        long madvise;
        try {
            long libc = org.lwjgl.system.linux.DynamicLinkLoader.dlopen("libc.so.6",
                    org.lwjgl.system.linux.DynamicLinkLoader.RTLD_LAZY);
            madvise = libc == 0 ? 0 : org.lwjgl.system.linux.DynamicLinkLoader.dlsym(libc, "madvise");
        } catch (RuntimeException | LinkageError noLwjgl) {
            return 0;
        }
        if (madvise == 0) {
            return 0;
        }
        long released = 0;
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps"));
            long start = 0;
            long end = 0;
            boolean candidate = false;
            long rss = 0;
            for (String line : lines) {
                String first = line.split(" ", 2)[0];
                if (first.indexOf('-') > 0 && first.indexOf(':') < 0) { // a mapping's first line: range, perms, ..., path
                    String[] f = line.split("\\s+", 6);
                    int dash = f[0].indexOf('-');
                    start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                    end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
                    candidate = f.length == 6 && f[5].contains("libtensorflow") && f[1].indexOf('w') < 0;
                } else if (candidate && line.startsWith("Rss:")) {
                    rss = kilobytes(line);
                } else if (candidate && (line.startsWith("Private_Dirty:") || line.startsWith("Shared_Dirty:"))
                        && kilobytes(line) != 0) {
                    candidate = false;
                } else if (candidate && line.startsWith("VmFlags:")) { // the mapping's last line
                    if (rss > 0 && org.lwjgl.system.JNI.invokePPI(start, end - start, MADV_DONTNEED, madvise) == 0) {
                        released += rss;
                    }
                    candidate = false;
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            return released;
        }
        return released;
    }

    private static long kilobytes(String smapsLine) {
        String[] f = smapsLine.trim().split("\\s+");
        return Long.parseLong(f[1]);
    }

    /**
     * Starts loading the natives on a thread of their own (about half a second: the main library
     * is over 600 MB), so a command can parse its options and open its input meanwhile. A failure
     * is kept and thrown by the next {@link #load()}, with the message it would have had.
     */
    static synchronized void preload() {
        if (loaded || preloading != null) {
            return;
        }
        initialiseJavaCppClasses();
        preloading = Preload.start("tensorflow preload", () -> {
            try {
                load();
            } catch (ModelException e) {
                preloadFailure = e;
            }
        });
    }

    /**
     * JavaCPP's pointer classes, initialised on this thread before the preload starts. Otherwise two
     * threads can deadlock: the preload holds JavaCPP's loader lock while TensorFlow's JNI_OnLoad
     * initialises Pointer, and the main thread, already initialising Pointer (for FFmpeg), waits for that
     * lock in Pointer's static initialiser. Seen with the natives loaded from a folder (the package),
     * where the timing differs; each class's initialiser only loads JavaCPP's own small library once.
     */
    private static void initialiseJavaCppClasses() {
        for (Class<?> c : new Class<?>[] {org.bytedeco.javacpp.Pointer.class, org.bytedeco.javacpp.BytePointer.class,
                org.bytedeco.javacpp.IntPointer.class, org.bytedeco.javacpp.LongPointer.class,
                org.bytedeco.javacpp.FloatPointer.class, org.bytedeco.javacpp.DoublePointer.class,
                org.bytedeco.javacpp.ShortPointer.class, org.bytedeco.javacpp.CharPointer.class,
                org.bytedeco.javacpp.BoolPointer.class, org.bytedeco.javacpp.BooleanPointer.class,
                org.bytedeco.javacpp.SizeTPointer.class, org.bytedeco.javacpp.CLongPointer.class,
                org.bytedeco.javacpp.PointerPointer.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // load() meets the same failure and says what it is
            }
        }
    }

    /** Loads the natives (a no-op after the first success); throws a ModelException that says why not. */
    static void load() {
        if (loaded) {
            return;
        }
        Preload preload = preloading;
        if (preload != null) {
            preload.await(); // returns at once on the preload's own thread
            if (preloadFailure != null) {
                throw new ModelException(preloadFailure.getMessage(), preloadFailure.getCause());
            }
            if (loaded) {
                return;
            }
        }
        try {
            // JavaCPP's Pointer class first. TensorFlow's initialiser holds JavaCPP's Loader lock while its library's
            // JNI_OnLoad waits for Pointer's initialiser, which takes that lock: a thread opening FFmpeg meanwhile
            // (Pointer first) deadlocked with the preload about one start in three. Both now take Pointer first.
            org.bytedeco.javacpp.Pointer.maxBytes();
            org.tensorflow.TensorFlow.version();
            loaded = true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new ModelException(explain(messages(e), glibcVersion(), System.getProperty("os.arch")), e);
        }
    }

    /**
     * The line for a loading failure.
     *
     * @param error every message of the error and its causes
     * @param glibc this system's glibc version ("2.31"), or null when unknown (not glibc, or not Linux)
     * @param arch  the JVM's os.arch
     */
    static String explain(String error, String glibc, String arch) {
        String start = "TensorFlow's native library cannot be loaded: ";
        Matcher m = GLIBC_MISSING.matcher(error);
        boolean symbolMissing = m.find();
        if (symbolMissing || (glibc != null && older(glibc, NEEDED_GLIBC))) {
            String needed = symbolMissing && older(NEEDED_GLIBC, m.group(1)) ? m.group(1) : NEEDED_GLIBC;
            return start + "it needs glibc " + needed + " or newer and this system has "
                    + (glibc != null ? "glibc " + glibc : "an older C library")
                    + "; run Backdrop on a newer system (e.g. Debian 12, Ubuntu 22.04 or later) or in such a container";
        }
        if (error.contains("wrong ELF class") || error.contains("Possible cause: can't load")
                || error.contains("Possible cause: architecture")) {
            return start + "it is built for another processor than this one (" + arch + "); build Backdrop with the"
                    + " natives for this machine: mvn package -Dtensorflow.classifier=<platform> (e.g. linux-arm64)";
        }
        m = MISSING_FILE.matcher(error);
        if (m.find()) {
            return start + "the system library " + m.group(1) + " it needs is missing; install the package that"
                    + " provides it (e.g. apt-get install libstdc++6 for libstdc++.so.6)";
        }
        m = NOT_ON_PATH.matcher(error);
        if (m.find()) {
            return start + "its library file (" + m.group(1) + ") is not on the class path: the tensorflow-core-native"
                    + " jar for " + platform(arch) + " is missing; run ./backdrop, which builds target/lib with it,"
                    + " or add the jar";
        }
        return start + firstLine(error) + "; run with --verbose for the details";
    }

    /** Every message of the error, its causes and suppressed errors, one per line. */
    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }

    /** glibc's version ("2.36") from getconf, or null when it cannot be found. */
    static String glibcVersion() {
        try {
            Process p = new ProcessBuilder("getconf", "GNU_LIBC_VERSION").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.startsWith("glibc ")) {
                return out.substring("glibc ".length());
            }
        } catch (IOException e) {
            // no getconf: not a glibc system, or not Linux
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Whether dotted version a is older than b ("2.31" < "2.34"). */
    static boolean older(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return p < q;
            }
        }
        return false;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String platform(String arch) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String o = os.startsWith("mac") ? "macosx" : os.startsWith("windows") ? "windows" : "linux";
        String a = "amd64".equals(arch) || "x86_64".equals(arch) ? "x86_64" : "aarch64".equals(arch) ? "arm64" : arch;
        return o + "-" + a;
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("unknown error");
    }
}
