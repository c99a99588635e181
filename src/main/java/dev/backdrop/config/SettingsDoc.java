package dev.backdrop.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The docs written from the declarations: the commented config file (config/backdrop.yaml) and
 * README's table of settings. Tests check that both committed copies match; `backdrop config`
 * prints them.
 */
public final class SettingsDoc {

    private static final int WIDTH = 100;

    /** Notes on sections rather than keys. */
    private static final Map<String, String> SECTION_NOTES = Map.of(
            "segmentation.limits", "A model is untrusted input: one beyond these limits is refused before TensorFlow"
                    + " reads it. Far above the bundled models (rvm: 4.2 MiB, 1009 nodes, 454 deep); raise one only for"
                    + " a model you trust.");

    private SettingsDoc() {
    }

    /** The config file with every key at its default, each under its help text. */
    public static String yaml() {
        StringBuilder out = new StringBuilder()
                .append("# Backdrop settings. Every key is optional; a missing key keeps the default shown here.\n")
                .append("# Command-line flags override this file (e.g. --blur, --background, --model).\n")
                .append("# Pass another file with --config FILE. Unknown keys, wrong types and out-of-range values are errors.\n")
                .append("# Written by `backdrop config` from the settings' declarations (src/main/java/dev/backdrop/config).\n");
        List<String> open = new ArrayList<>(); // the sections the previous key was in
        for (Setting<?> s : Settings.ALL) {
            String[] parts = s.key().split("\\.");
            int common = 0;
            while (common < open.size() && common < parts.length - 1 && open.get(common).equals(parts[common])) {
                common++;
            }
            for (int depth = common; depth < parts.length - 1; depth++) {
                if (depth == 0) {
                    out.append('\n');
                }
                String section = String.join(".", List.of(parts).subList(0, depth + 1));
                if (SECTION_NOTES.containsKey(section)) {
                    comment(out, "  ".repeat(depth), SECTION_NOTES.get(section));
                }
                out.append("  ".repeat(depth)).append(parts[depth]).append(":\n");
            }
            open = new ArrayList<>(List.of(parts).subList(0, parts.length - 1));
            String indent = "  ".repeat(parts.length - 1);
            String allowed = s.allowed();
            comment(out, indent, s.help() + (allowed.isEmpty() ? "" : " (" + allowed + ")"));
            out.append(indent).append(parts[parts.length - 1]).append(": ").append(formatDefault(s)).append('\n');
        }
        return out.toString();
    }

    /** README's table: key, flag, default, allowed values, what it does. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| key | flag | default | allowed | what it does |\n|---|---|---|---|---|\n");
        for (Setting<?> s : Settings.ALL) {
            out.append("| `").append(s.key()).append("` | ")
                    .append(s.flag() == null ? "" : "`" + s.flag() + "`").append(" | `")
                    .append(formatDefault(s)).append("` | ")
                    .append(s.allowed().replace("|", "\\|")).append(" | ")
                    .append(s.help().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    private static <T> String formatDefault(Setting<T> s) {
        return s.format(s.defaultValue());
    }

    /** Help text as '# ' lines wrapped to the page width. */
    private static void comment(StringBuilder out, String indent, String text) {
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && indent.length() + 2 + line.length() + 1 + word.length() > WIDTH) {
                out.append(indent).append("# ").append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        out.append(indent).append("# ").append(line).append('\n');
    }
}
