package dev.backdrop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every thread of a process (this one, or a child JVM running {@code backdrop live}),
 * native ones included (TensorFlow's pool, llvmpipe's rasterisers, x264's encoder threads), read
 * from /proc/PID/task and grouped by what the thread works for. Sampled during a run, so threads
 * that end before the run does are still counted.
 */
final class ThreadCpu {

    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on Linux x86-64

    private final Map<String, Long> lastTicksByThread = new HashMap<>();
    private final Map<String, Long> startTicksByThread = new HashMap<>();
    private final Path tasks;
    private boolean baselineTaken;

    /** This process's threads. */
    ThreadCpu() {
        this(ProcessHandle.current().pid());
    }

    /** The threads of process pid. */
    ThreadCpu(long pid) {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
    }

    /** Takes a sample; call at the start, every few hundred ms, and at the end. */
    void sample() {
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                    String key = task.getFileName() + " " + name;
                    // threads alive at the first sample count from there; later ones from their start
                    startTicksByThread.putIfAbsent(key, baselineTaken ? 0L : ticks);
                    lastTicksByThread.put(key, ticks);
                } catch (IOException | RuntimeException threadEnded) {
                    // the thread ended between listing and reading: its last sample stands
                }
            }
        } catch (IOException e) {
            // no /proc: CPU shares are simply not reported
        }
        baselineTaken = true;
    }

    /** Seconds of CPU of all threads since the first sample. */
    double totalSeconds() {
        return secondsByGroup().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Seconds of CPU per group since the first sample: inference, compose, encode, decode, other. */
    Map<String, Double> secondsByGroup() {
        Map<String, Double> groups = new TreeMap<>();
        for (Map.Entry<String, Long> e : lastTicksByThread.entrySet()) {
            long ticks = e.getValue() - startTicksByThread.getOrDefault(e.getKey(), 0L);
            groups.merge(group(e.getKey().substring(e.getKey().indexOf(' ') + 1)), ticks * TICK_NANOS / 1e9, Double::sum);
        }
        return groups;
    }

    /** Thread names as Linux truncates them (15 characters) mapped to the stage they serve. */
    static String group(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.startsWith("llvmpipe") || n.contains("gallium") || n.startsWith("lp_")) {
            return "compose (GL driver threads)";
        }
        if (n.startsWith("tf_") || n.contains("eigen") || n.contains("tensorflow")) {
            return "inference (TensorFlow pool)";
        }
        if (n.startsWith("encoder") || n.contains("x264") || n.startsWith("lookahead")) {
            return "encode (x264 threads)";
        }
        if (n.startsWith("segment model")) { // live: the model runs beside the segment stage, bounded in time
            return "inference (model thread)";
        }
        if (n.startsWith("stage-1")) {
            return "inference (segment stage)";
        }
        if (n.startsWith("stage-2")) {
            return "compose (compose stage)";
        }
        if (n.startsWith("stage-3")) {
            return "encode (output stage)";
        }
        if (n.startsWith("output ")) {
            return "output (sinks: conversion, writing)";
        }
        if (n.equals("main")) {
            return "main (set-up, reports)";
        }
        if (n.startsWith("capture") || n.startsWith("av:") || n.startsWith("dec")) {
            return "decode";
        }
        if (n.startsWith("c1 compiler") || n.startsWith("c2 compiler")) { // compiling still, after start-up
            return "JVM (JIT)";
        }
        if (n.startsWith("gc ") || n.startsWith("g1 ") || n.startsWith("vm ")) {
            return "JVM (GC, VM thread)";
        }
        return "other";
    }
}
