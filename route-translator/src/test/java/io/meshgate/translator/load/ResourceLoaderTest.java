package io.meshgate.translator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceLoaderTest {

    private static final String GATEWAY = """
            apiVersion: networking.istio.io/%s
            kind: Gateway
            metadata: {name: %s}
            spec:
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [a.example.com]
            """;

    @Test
    void loadsEveryIstioVersionIntoTheSameModel() {
        String text = String.join("---\n", GATEWAY.formatted("v1", "one"), GATEWAY.formatted("v1beta1", "two"),
                GATEWAY.formatted("v1alpha3", "three"));

        ResourceSet set = ResourceLoader.loadText("gw.yaml", text);

        assertThat(set.diagnostics()).isEmpty();
        assertThat(set.gateways()).extracting(g -> g.ref().name()).containsExactly("one", "three", "two");
        assertThat(set.gateways()).allSatisfy(g -> assertThat(g.resource().getSpec().getServers()).hasSize(1));
    }

    @Test
    void everyResourceKnowsItsFileAndLine() {
        String text = "# comment\n" + GATEWAY.formatted("v1", "one") + "---\n" + GATEWAY.formatted("v1", "two");

        ResourceSet set = ResourceLoader.loadText("gw.yaml", text);

        assertThat(set.gateways().get(0).locate("")).contains(new SourceLocation("gw.yaml", 2));
        assertThat(set.gateways().get(1).locate("")).contains(new SourceLocation("gw.yaml", 10));
        assertThat(set.gateways().get(1).locate("spec.servers[0].hosts")).contains(new SourceLocation("gw.yaml", 16));
    }

    @Test
    void aSyntaxErrorLosesOnlyItsOwnDocument() {
        String broken = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: bad\nspec: {}\n";
        String text = GATEWAY.formatted("v1", "one") + "---\n" + broken + "---\n" + GATEWAY.formatted("v1", "two");

        ResourceSet set = ResourceLoader.loadText("gw.yaml", text);

        assertThat(set.gateways()).extracting(g -> g.ref().name()).containsExactly("one", "two");
        assertThat(set.diagnostics()).extracting(Diagnostic::code).containsExactly(Code.YAML_SYNTAX_ERROR);
        assertThat(set.diagnostics().get(0).location().map(SourceLocation::line)).get()
                .satisfies(line -> assertThat(line).isBetween(9, 12));
    }

    @Test
    void unknownFieldsAndWrongTypesRejectTheResourceWithTheirPath() {
        String text = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs}
                spec:
                  hosts: [a.example.com]
                  http:
                  - route:
                    - destination: {host: a, prot: {number: 80}}
                      weight: "90"
                """;

        ResourceSet set = ResourceLoader.loadText("vs.yaml", text);

        assertThat(set.virtualServices()).isEmpty();
        assertThat(set.diagnostics()).extracting(Diagnostic::code, Diagnostic::fieldPath, d -> d.location())
                .containsExactlyInAnyOrder(
                        tuple(Code.UNKNOWN_FIELD, "spec.http[0].route[0].destination.prot",
                                Optional.of(new SourceLocation("vs.yaml", 8))),
                        tuple(Code.SCHEMA_VALIDATION_ERROR, "spec.http[0].route[0].weight",
                                Optional.of(new SourceLocation("vs.yaml", 9))));
    }

    @Test
    void unknownAndNotAppliedKindsAreReportedAndSkipped() {
        String text = """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all}
                spec: {}
                ---
                apiVersion: networking.istio.io/v2
                kind: Gateway
                metadata: {name: future}
                """;

        ResourceSet set = ResourceLoader.loadText("k.yaml", text);

        assertThat(set.resources()).isEmpty();
        assertThat(set.diagnostics()).extracting(Diagnostic::code, d -> d.resource().name()).containsExactly(
                tuple(Code.UNKNOWN_KIND, "w"), tuple(Code.KIND_NOT_APPLIED, "deny-all"),
                tuple(Code.UNKNOWN_KIND, "future"));
    }

    @Test
    void aResourceDefinedTwiceKeepsTheFirst(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), GATEWAY.formatted("v1", "same"));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.yml"), GATEWAY.formatted("v1beta1", "same"));
        Files.writeString(dir.resolve("notes.txt"), "not yaml: [");

        ResourceSet set = ResourceLoader.load(List.of(dir));

        assertThat(set.gateways()).singleElement()
                .satisfies(g -> assertThat(g.positions().file()).endsWith("a.yaml"));
        assertThat(set.diagnostics()).extracting(Diagnostic::code).containsExactly(Code.DUPLICATE_RESOURCE);
    }

    @ParameterizedTest
    @CsvSource({"2024-01-01T00:00:00Z, 2025-06-01T00:00:00Z, old", "2025-06-01T00:00:00Z, 2024-01-01T00:00:00Z, new"})
    void aResourceDefinedTwiceKeepsTheOlderByCreationTimestampInEitherOrder(String first, String second,
            String kept) {
        // the first document is "old" and the second "new" by position; the timestamps decide which is older
        String text = gatewayCreated("old", first) + "---\n" + gatewayCreated("new", second);

        ResourceSet set = ResourceLoader.loadText("dup.yaml", text);

        assertThat(set.gateways()).singleElement().satisfies(g -> assertThat(g.resource().getSpec().getServers()
                .get(0).getPort().getName()).isEqualTo(kept));
        assertThat(set.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(Code.DUPLICATE_RESOURCE);
            assertThat(d.isError()).isTrue();
            // reported where the definition left out is
            assertThat(d.location().orElseThrow().line()).isEqualTo(kept.equals("old") ? 9 : 1);
        });
    }

    private static String gatewayCreated(String port, String created) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: same, creationTimestamp: "%s"}
                spec:
                  servers:
                  - port: {number: 80, name: %s, protocol: HTTP}
                    hosts: [a.example.com]
                """.formatted(created, port);
    }

    @Test
    void aMissingPathIsADiagnosticNotAnException() {
        ResourceSet set = ResourceLoader.load(List.of(Path.of("does/not/exist")));

        assertThat(set.resources()).isEmpty();
        assertThat(set.diagnostics()).extracting(Diagnostic::code).containsExactly(Code.YAML_SYNTAX_ERROR);
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [");
            bomb.append(("*" + previous + ", ").repeat(9)).append("*").append(previous).append("]\n");
        }

        ResourceSet set = ResourceLoader.loadText("bomb.yaml", bomb.toString());

        assertThat(set.resources()).isEmpty();
        assertThat(set.diagnostics()).extracting(Diagnostic::code).containsExactly(Code.YAML_SYNTAX_ERROR);
    }
}
