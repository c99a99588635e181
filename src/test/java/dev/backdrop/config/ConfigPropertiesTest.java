package dev.backdrop.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The config parser given arbitrary text or arbitrary keys and values: a result or a ConfigException, nothing else. */
class ConfigPropertiesTest {

    @Property(tries = 500, seed = "20261125")
    void arbitraryTextIsParsedOrRefusedClearly(@ForAll String text) {
        parseOrRefuse(text);
    }

    @Property(tries = 500, seed = "20261125")
    void arbitrarySettingsAreParsedOrRefusedClearly(@ForAll("yaml") String yaml) {
        parseOrRefuse(yaml);
    }

    @Provide
    Arbitrary<String> yaml() {
        Arbitrary<String> section = Arbitraries.of("segmentation", "compose", "output", "pipeline", "colour", "");
        Arbitrary<String> key = Arbitraries.of(Settings.ALL.stream()
                .map(s -> s.key().substring(s.key().indexOf('.') + 1)).toList())
                .injectDuplicates(0.1).edgeCases(e -> e.add("nope"));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.integers().between(-1000, 100000).map(String::valueOf),
                Arbitraries.doubles().between(-10, 10).map(String::valueOf),
                Arbitraries.of("selfie", "rvm", "cover", "inward", "transparent", "#00b140", "\"\"", "[1, 2]", "{a: 1}",
                        "null", "true", "~", "'text'", "veryfast"),
                Arbitraries.strings().ofMaxLength(12));
        return Combinators.combine(section, key, value).as((s, k, v) -> s + ":\n  " + k + ": " + v + "\n")
                .list().ofMaxSize(4).map(parts -> String.join("", parts));
    }

    private static void parseOrRefuse(String text) {
        try {
            Settings s = ConfigLoader.parse(text, "fuzz.yaml");
            if (s == null) {
                throw new AssertionError("null settings for: " + text);
            }
        } catch (ConfigException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a message for: " + text);
            }
        }
    }
}
