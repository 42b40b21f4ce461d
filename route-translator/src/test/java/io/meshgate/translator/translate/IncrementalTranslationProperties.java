package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.dump.SnapshotYaml;
import io.meshgate.translator.load.ResourceSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Translating only what changed gives what translating everything gives: after every change of a random sequence,
 * the {@link IncrementalTranslator}'s result equals {@link Translator#translate}'s, record for record and in its
 * dump, diagnostics and version included.
 */
class IncrementalTranslationProperties {

    @Property(tries = 200)
    void incrementalTranslationIsFullTranslation(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1_000_000) Integer> changes,
            @ForAll boolean inGatewayNamespace) {
        TranslatorOptions options = inGatewayNamespace
                ? new TranslatorOptions(Map.of("istio", "ingressgateway"), "cluster.local", Optional.of("edge"))
                : TranslatorOptions.DEFAULTS;
        ChangingConfiguration configuration = new ChangingConfiguration();
        IncrementalTranslator incremental = new IncrementalTranslator(options);
        assertSameTranslation(configuration.resources(), incremental, options);
        for (int change : changes) {
            configuration.apply(change);
            assertSameTranslation(configuration.resources(), incremental, options);
        }
    }

    private static void assertSameTranslation(ResourceSet resources, IncrementalTranslator incremental,
            TranslatorOptions options) {
        TranslationResult full = Translator.translate(resources, options);
        TranslationResult result = incremental.translate(resources);
        assertThat(SnapshotYaml.writeWithDiagnostics(result.snapshot(), result.diagnostics()))
                .isEqualTo(SnapshotYaml.writeWithDiagnostics(full.snapshot(), full.diagnostics()));
        assertThat(result).isEqualTo(full);
    }
}
