package dev.backdrop.compose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads shader text: from a directory on disk when it has the file (edit without rebuilding), else the classpath. */
final class ShaderSource {
    private static final String CLASSPATH_FOLDER = "/shaders/";

    private ShaderSource() {
    }

    /**
     * The file's text with each {@code #include "name"} line replaced by that file's text (from the
     * same places), so passes can share a function and still be one pass per file.
     */
    static String load(Path shaderDir, String fileName) {
        StringBuilder out = new StringBuilder();
        for (String line : loadRaw(shaderDir, fileName).split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#include \"") && trimmed.endsWith("\"")) {
                String included = trimmed.substring("#include \"".length(), trimmed.length() - 1);
                if (included.equals(fileName)) {
                    throw new IllegalStateException("shader " + fileName + " includes itself");
                }
                out.append(load(shaderDir, included)).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String loadRaw(Path shaderDir, String fileName) {
        if (shaderDir != null) {
            Path file = shaderDir.resolve(fileName);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read shader " + file.toAbsolutePath(), e);
                }
            }
        }
        try (InputStream in = ShaderSource.class.getResourceAsStream(CLASSPATH_FOLDER + fileName)) {
            if (in == null) {
                throw new IllegalStateException("shader " + fileName + " not found in "
                        + (shaderDir == null ? "" : shaderDir.toAbsolutePath() + " nor ") + "classpath " + CLASSPATH_FOLDER);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shader " + fileName + " from the classpath", e);
        }
    }
}
