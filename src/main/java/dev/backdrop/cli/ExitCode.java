package dev.backdrop.cli;

import picocli.CommandLine;

/**
 * What a run's exit status tells a script: whether to fix the command line, the input, the output
 * or the system, or to report a bug. README.md's "Exit codes" table lists the same rows (a test
 * keeps the two equal). {@link FailureKind} decides which row a failure belongs to.
 */
enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error: a bug in Backdrop; run again with `--verbose` and report the stack trace"),
    /** The same code picocli returns for a flag it cannot parse. */
    USAGE(CommandLine.ExitCode.USAGE, "usage error: an unknown or malformed flag, a setting out of range, a bad"
            + " config file, options that do not go together"),
    INPUT(3, "input error: the input video or photo is missing, empty, corrupt or has no video; the camera is"
            + " not there; the model, a background image or video, or training data cannot be used"),
    OUTPUT(4, "output error: the output cannot be written: its folder is missing, the disk is full, the reader"
            + " of a pipe went away, the stream server cannot be reached, no display for `--window`"),
    SYSTEM(5, "system error: a library Backdrop needs is missing or cannot load: OpenGL (EGL) drivers,"
            + " TensorFlow's native library");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
