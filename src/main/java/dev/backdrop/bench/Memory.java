package dev.backdrop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory from /proc/self/status and the Java heap in use. */
final class Memory {

    private Memory() {
    }

    /** VmHWM: the peak resident set since the process started, in bytes; -1 without /proc. */
    static long peakRss() {
        return statusBytes("VmHWM:");
    }

    /** VmRSS: the resident set now, in bytes; -1 without /proc. */
    static long rss() {
        return statusBytes("VmRSS:");
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
