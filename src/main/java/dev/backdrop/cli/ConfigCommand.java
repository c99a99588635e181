package dev.backdrop.cli;

import dev.backdrop.config.SettingsDoc;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backdrop config}: every setting with its default, range and meaning, from the declarations. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the config file with every setting at its default and explained (config/backdrop.yaml).")
final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "Print the settings as a Markdown table instead (README's).")
    boolean markdown;

    @Override
    public Integer call() {
        System.out.print(markdown ? SettingsDoc.markdownTable() : SettingsDoc.yaml());
        return 0;
    }
}
