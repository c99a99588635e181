package dev.backdrop.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;

/** Runs the command line in this JVM for tests, capturing what it prints. */
public final class BackdropCli {

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
}
