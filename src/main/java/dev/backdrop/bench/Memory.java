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
        return peakRss(ProcessHandle.current().pid());
    }

    /** VmHWM of process pid, in bytes; -1 once it has ended or without /proc. */
    static long peakRss(long pid) {
        return statusBytes(pid, "VmHWM:");
    }

    /** VmRSS: the resident set now, in bytes; -1 without /proc. */
    static long rss() {
        return rss(ProcessHandle.current().pid());
    }

    /** VmRSS of process pid, in bytes; -1 once it has ended or without /proc. */
    static long rss(long pid) {
        return statusBytes(pid, "VmRSS:");
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long statusBytes(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
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
