package io.meshgate.translator.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.translate.TranslationResult;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Bad input never throws out of the loader or the translator: truncated, mutated and random YAML gives
 * diagnostics, never an exception.
 */
class LoaderFuzzProperties {

    private static final List<String> VALID = validInputs();

    @Property(tries = 300)
    void truncatedYamlNeverThrows(@ForAll("truncated") String text) {
        assertLoadsWithoutThrowing(text);
    }

    @Property(tries = 300)
    void mutatedYamlNeverThrows(@ForAll("mutated") String text) {
        assertLoadsWithoutThrowing(text);
    }

    @Property(tries = 200)
    void randomTextNeverThrows(@ForAll("random") String text) {
        assertLoadsWithoutThrowing(text);
    }

    private static void assertLoadsWithoutThrowing(String text) {
        ResourceSet resources = ResourceLoader.loadText("fuzz.yaml", text);
        TranslationResult result = Translator.translate(resources, TranslatorOptions.DEFAULTS);
        assertThat(result.diagnostics()).allSatisfy(d -> assertThat(d.format()).isNotBlank());
        assertThat(result.snapshot()).isNotNull();
    }

    @Provide
    Arbitrary<String> truncated() {
        return Arbitraries.of(VALID).flatMap(text -> Arbitraries.integers().between(0, text.length())
                .map(cut -> text.substring(0, cut)));
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> base = Arbitraries.of(VALID);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 100_000);
        Arbitrary<String> insert = Arbitraries.of(":", "- ", "\n", "  ", "{", "}", "[", "]", "\"", "'", "*a",
                "&a ", "!!int ", "---\n", "? ", "|", ">", "#", "\t", "null", "-1", "1e999", "ñ", "\u0000");
        return Combinators.combine(base, position, insert, Arbitraries.integers().between(1, 4))
                .as((text, at, piece, times) -> {
                    StringBuilder out = new StringBuilder(text);
                    int index = at % (text.length() + 1);
                    for (int i = 0; i < times; i++) {
                        out.insert(Math.min(index + i * 7, out.length()), piece);
                    }
                    return out.toString();
                });
    }

    @Provide
    Arbitrary<String> random() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz:-{}[]\"' \n\t*&!|>#0123456789.,/")
                .ofMaxLength(400);
    }

    private static List<String> validInputs() {
        Path[] dirs = {Path.of("src/test/resources/seed-examples"), Path.of("src/test/resources/golden")};
        try {
            List<String> texts = new java.util.ArrayList<>();
            for (Path dir : dirs) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                        if (!file.toString().endsWith(".out.yaml")) {
                            texts.add(Files.readString(file, StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
