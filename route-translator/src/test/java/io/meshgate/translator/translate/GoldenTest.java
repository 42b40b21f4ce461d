package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.dump.SnapshotYaml;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each {@code golden/<case>.in.yaml} is loaded and translated, and the IR with its diagnostics
 * (codes, resources, fields and lines; never message text) must equal {@code <case>.out.yaml}. Run with
 * {@code -Dgolden.update=true} to rewrite the out files and delete those whose case is gone.
 */
class GoldenTest {

    private static final Path DIR = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".in.yaml"))
                    .map(n -> n.substring(0, n.length() - ".in.yaml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesAsRecorded(String name) throws IOException {
        String input = Files.readString(DIR.resolve(name + ".in.yaml"), StandardCharsets.UTF_8);
        ResourceSet resources = ResourceLoader.loadText(name + ".in.yaml", input);
        TranslationResult result = Translator.translate(resources, TranslatorOptions.DEFAULTS);
        String actual = SnapshotYaml.writeWithDiagnostics(result.snapshot(), result.diagnostics());
        Path expected = DIR.resolve(name + ".out.yaml");
        if (UPDATE) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(expected).as("golden file for %s (run with -Dgolden.update=true to create it)", name).exists();
        assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void deleteOrphans() throws IOException {
        if (!UPDATE) {
            return;
        }
        List<String> live = cases().toList();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path out : files.filter(p -> p.toString().endsWith(".out.yaml")).toList()) {
                String name = out.getFileName().toString().replace(".out.yaml", "");
                if (!live.contains(name)) {
                    Files.delete(out);
                }
            }
        }
    }
}
