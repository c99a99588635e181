package dev.backdrop.cli;

import dev.backdrop.compose.HeadlessGl;
import dev.backdrop.segment.SegmentationModel;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code backdrop <command>}. */
@Command(name = "backdrop", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Blurs or replaces the background behind a person in video.",
        subcommands = {ProcessCommand.class, LiveCommand.class, DevicesCommand.class, SegmentCommand.class, EvalCommand.class, BenchCommand.class, TrainCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Backdrop {

    @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "On an error, also print the stack trace.")
    boolean verbose;

    /** The commands that load a model: TensorFlow's natives start loading before their options are parsed. */
    private static final java.util.Set<String> MODEL_COMMANDS = java.util.Set.of("process", "live", "segment", "eval",
            "bench", "train");
    /**
     * The commands that composite on the GL: its driver starts meanwhile too. process and live
     * composite on the CPU on a machine without a GPU (pipeline.compositor auto).
     */
    private static final java.util.Set<String> GL_COMMANDS = java.util.Set.of("segment", "eval", "bench");
    private static final java.util.Set<String> GPU_COMMANDS = java.util.Set.of("process", "live");

    public static void main(String[] args) {
        // JavaCPP refuses any native allocation once the process's resident set passes a bound it derives
        // from the heap's (3 GB under the launcher's -Xmx768m). `train` holds its photos in native memory and
        // rvm labelling large ones passes that with TensorFlow's memory, not JavaCPP's to free; JavaCPP's own
        // stays bounded by maxBytes. Set here: JavaCPP reads it once, and the preload below starts JavaCPP.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
        if (args.length > 0 && MODEL_COMMANDS.contains(args[0])) {
            SegmentationModel.preloadNatives();
        }
        if (args.length > 0 && (GL_COMMANDS.contains(args[0]) || GPU_COMMANDS.contains(args[0]) && HeadlessGl.gpuPresent())) {
            HeadlessGl.preload();
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "false");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Backdrop());
        SettingsOptions.addFlags(cli);
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --quality best
        // A user error (bad file, bad setting) is one line, not a stack trace (unless --verbose); the exit
        // code says whose fault it is (picocli itself returns ExitCode.USAGE for a flag it cannot parse).
        cli.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("backdrop: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (verbose(parse)) {
                ex.printStackTrace(line.getErr());
            }
            return FailureClassifier.exitCode(ex).code;
        });
        return cli;
    }

    private static boolean verbose(picocli.CommandLine.ParseResult parse) {
        for (picocli.CommandLine.ParseResult p = parse; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The folder holding models/, shaders/ and config/: set by the launcher (the checkout, or where the
     * package is installed), else the working folder.
     */
    static Path home() {
        String home = System.getProperty("backdrop.home");
        return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
    }

    /** The bundled config file, when present, supplies the defaults. */
    static Path bundledConfig() {
        Path file = home().resolve("config/backdrop.yaml");
        return Files.isRegularFile(file) ? file : null;
    }

    /**
     * The config file read when no --config is given: the user's ($XDG_CONFIG_HOME/backdrop/backdrop.yaml,
     * default ~/.config) when it exists, else the bundled one; null for neither.
     */
    static Path defaultConfig() {
        Path user = dev.backdrop.config.UserDirs.configFile();
        return Files.isRegularFile(user) ? user : bundledConfig();
    }
}
