package dev.backdrop.cli;

import dev.backdrop.config.ConfigLoader;
import dev.backdrop.config.Quality;
import dev.backdrop.config.Setting;
import dev.backdrop.config.SettingValues;
import dev.backdrop.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The flags every filtering command shares: --config, --quality, and one flag for each setting that declares
 * one ({@link Setting#flag}), added from the declarations by {@link #addFlags}. A flag overrides
 * its config key and is checked by that key's rule, so a bad flag value gets the same message as a
 * bad config value.
 */
final class SettingsOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: ~/.config/backdrop/backdrop.yaml when it exists, else the bundled config/backdrop.yaml).")
    Path config;

    @Option(names = "--quality", paramLabel = "standard|best", description = "standard: the settings as"
            + " configured; best: RVM on the whole frame, averaged with its mirror image, for recordings and photos"
            + " (several times slower). Flags given beside it still apply.")
    Quality quality = Quality.STANDARD;

    /** The text of each setting's flag, as given. */
    private final Map<Setting<?>, String> given = new LinkedHashMap<>();

    /** Gives every command that mixes these options in a flag per declared setting. */
    static void addFlags(CommandLine root) {
        for (CommandLine command : root.getSubcommands().values()) {
            CommandSpec spec = command.getCommandSpec();
            for (CommandSpec mixin : spec.mixins().values()) {
                if (mixin.userObject() instanceof SettingsOptions target) {
                    for (Setting<?> s : Settings.ALL) {
                        if (s.flag() != null) {
                            spec.addOption(target.flag(s));
                        }
                    }
                }
            }
        }
    }

    private OptionSpec flag(Setting<?> setting) {
        return OptionSpec.builder(setting.flag()).paramLabel(setting.paramLabel()).type(String.class)
                .description((setting.help() + " (config " + setting.key() + ")").replace("%", "%%")) // picocli formats descriptions
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value != null) {
                            given.put(setting, (String) value);
                        }
                        return null;
                    }
                })
                .build();
    }

    /** These options as they were given, for passing on to another Backdrop command. */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        if (config != null) {
            args.addAll(List.of("--config", config.toAbsolutePath().toString()));
        }
        args.addAll(List.of("--quality", quality.name()));
        given.forEach((setting, text) -> args.addAll(List.of(setting.flag(), text)));
        return args;
    }

    /** The config file (or the bundled defaults) with these flags applied. */
    Settings resolve() {
        return Settings.from(values());
    }

    /** {@link #resolve}'s values, read again from the file each call (SIGHUP re-reads it). */
    SettingValues values() {
        Path file = configFile();
        SettingValues values = quality.over(file != null ? ConfigLoader.read(file) : SettingValues.DEFAULTS);
        for (Map.Entry<Setting<?>, String> flag : given.entrySet()) {
            values = values.withText(flag.getKey(), flag.getValue(), "the " + flag.getKey().flag() + " flag");
        }
        return values;
    }

    /** The file settings are read from: --config, else the user's, else the bundled one; null for none. */
    Path configFile() {
        return config != null ? config : Backdrop.defaultConfig();
    }
}
