package dev.backdrop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The man page and the bash completion the package installs, made from the command line's own model
 * (every command, option and description as --help shows them), so they cannot drift from it.
 * Run by packaging/build-dist.sh: {@code InstallDocs man OUT.1} and {@code InstallDocs bash-completion OUT}.
 */
public final class InstallDocs {

    private InstallDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: InstallDocs man|bash-completion OUT");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        String text = switch (args[0]) {
            case "man" -> manPage(Backdrop.commandLine());
            case "bash-completion" -> AutoComplete.bash("backdrop", Backdrop.commandLine());
            default -> throw new IllegalArgumentException("unknown document " + args[0]);
        };
        Files.writeString(out, text);
    }

    /** backdrop(1): the synopsis, each command's help, files, environment and exit status. */
    static String manPage(CommandLine cli) {
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Written by InstallDocs from Backdrop's command line; do not edit.\n");
        m.append(".TH BACKDROP 1 \"").append(LocalDate.now()).append("\" \"backdrop ").append(Versions.backdrop())
                .append("\" \"User Commands\"\n");
        m.append(".SH NAME\nbackdrop \\- blur or replace the background behind a person in video\n");
        m.append(".SH SYNOPSIS\n");
        for (String name : cli.getSubcommands().keySet()) {
            if (!name.equals("help")) {
                m.append(".B backdrop ").append(name).append("\n.RI [ OPTIONS ]\n.br\n");
            }
        }
        m.append(".SH DESCRIPTION\n");
        m.append(text(String.join(" ", cli.getCommandSpec().usageMessage().description()))).append("\n");
        m.append("Every part runs on a plain CPU: FFmpeg decodes and encodes, TensorFlow finds the person in each frame, "
                + "OpenGL (Mesa's EGL, no display needed) composites.\n");
        m.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            m.append(".SS ").append(sub.getKey()).append("\n");
            m.append(".nf\n").append(preformatted(sub.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF))).append(".fi\n");
        }
        m.append(".SH FILES\n");
        m.append(".TP\n.I $XDG_CONFIG_HOME/backdrop/backdrop.yaml\n")
                .append("The user's settings (default ~/.config/backdrop/backdrop.yaml), read when no --config FILE is given. "
                        + "\\fBbackdrop config \\-\\-init\\fR writes a commented one; \\fBbackdrop config \\-\\-path\\fR "
                        + "prints the file a run reads.\n");
        m.append(".TP\n.I INSTALL/config/backdrop.yaml\n")
                .append("The packaged defaults (/opt/backdrop for the Debian package), read when the user has no config file.\n");
        m.append(".TP\n.I $XDG_DATA_HOME/backdrop/models\n")
                .append("The user's models (default ~/.local/share/backdrop/models), one folder each, "
                        + "found by name (\\-\\-model NAME) after the bundled ones in INSTALL/models.\n");
        m.append(".TP\n.I $XDG_CONFIG_HOME/backdrop/vcam.env\n")
                .append("BACKDROP_VCAM_ARGS=...: more \\fBlive\\fR flags for the virtual camera the systemd user unit "
                        + "backdrop\\-vcam.service starts on /dev/video10 "
                        + "(systemctl \\-\\-user enable \\-\\-now backdrop\\-vcam).\n");
        m.append(".SH ENVIRONMENT\n");
        m.append(".TP\n.B XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME\nWhere the files above are.\n");
        m.append(".TP\n.B BACKDROP_JAVA_OPTS\nThe Java VM's options (default \\-Xmx768m \\-Xmn16m).\n");
        m.append(".SH EXIT STATUS\n");
        for (ExitCode code : ExitCode.values()) {
            m.append(".TP\n.B ").append(code.code).append("\n").append(text(code.meaning.replace("`", ""))).append("\n");
        }
        m.append(".SH SEE ALSO\n/usr/share/doc/backdrop/README.md\n");
        return m.toString();
    }

    /** Text for a roff paragraph: backslashes and hyphens escaped, no line starting with a control character. */
    private static String text(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        return t.lines().map(l -> l.startsWith(".") || l.startsWith("'") ? "\\&" + l : l)
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String preformatted(String help) {
        StringBuilder b = new StringBuilder();
        for (String line : help.lines().toList()) {
            b.append(text(line.stripTrailing()))
                    .append('\n');
        }
        return b.toString();
    }
}
