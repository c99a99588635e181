package dev.backdrop.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line for tests: in this JVM, capturing what it prints, or in a JVM of its own. */
public final class BackdropCli {

    /** README.md's exit codes, as a script sees them (the numbers, not ExitCode's: they are the contract). */
    public static final int USAGE = 2;
    public static final int INPUT = 3;
    public static final int OUTPUT = 4;
    public static final int SYSTEM = 5;

    /** Exit code, standard output (summaries) and standard error (picocli's error line). */
    public record Result(int exitCode, String out, String err) {
    }

    private BackdropCli() {
    }

    public static synchronized Result run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            picocli.CommandLine cli = Backdrop.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    /** The command line that runs Backdrop in a JVM of its own, on this test run's class path. */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.backdrop.cli.Backdrop"));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts Backdrop in a JVM of its own (for signals and process limits), standard output and error into log. */
    public static Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
