package dev.backdrop.cli;

import dev.backdrop.config.SettingsDoc;
import dev.backdrop.config.UserDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backdrop config}: every setting with its default, range and meaning, from the declarations;
 * {@code --init} writes that as the user's config file, {@code --path} says which file a run reads.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the config file with every setting at its default and explained (config/backdrop.yaml).",
                "A run reads --config FILE, else $XDG_CONFIG_HOME/backdrop/backdrop.yaml (default ~/.config) when it"
                        + " exists, else the bundled config/backdrop.yaml."})
final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "Print the settings as a Markdown table instead (README's).")
    boolean markdown;

    @Option(names = "--init", description = "Write the commented config file to $XDG_CONFIG_HOME/backdrop/backdrop.yaml"
            + " (default ~/.config), to edit; an existing one is kept unless --force.")
    boolean init;

    @Option(names = "--force", description = "With --init: overwrite an existing config file.")
    boolean force;

    @Option(names = "--path", description = "Print the path of the config file a run reads (none: the defaults).")
    boolean path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (force && !init) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--force goes with --init");
        }
        if (init) {
            return init(UserDirs.configFile());
        }
        if (path) {
            Path file = Backdrop.defaultConfig();
            System.out.println(file != null ? file : "none (the built-in defaults)");
            return 0;
        }
        System.out.print(markdown ? SettingsDoc.markdownTable() : SettingsDoc.yaml());
        return 0;
    }

    private int init(Path file) throws IOException {
        if (Files.exists(file) && !force) {
            spec.commandLine().getErr().println("backdrop: " + file + " exists; it is left as it is (--force overwrites it)");
            return ExitCode.USAGE.code;
        }
        Files.createDirectories(file.getParent());
        // Written beside it and moved into place: an interrupted write never leaves half a config file.
        Path tmp = Files.createTempFile(file.getParent(), ".backdrop", ".yaml.tmp");
        try {
            Files.writeString(tmp, SettingsDoc.yaml());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        System.out.println("wrote " + file);
        return 0;
    }
}
