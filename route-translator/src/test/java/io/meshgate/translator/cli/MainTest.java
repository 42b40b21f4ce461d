package io.meshgate.translator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class MainTest {

    private static final String CLEAN = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [api.mystore.com]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders}
            spec:
              hosts: [api.mystore.com]
              gateways: [public]
              http:
              - match: [{uri: {prefix: /orders}}]
                route:
                - destination: {host: orders, subset: v1}
                  weight: 90
                - destination: {host: orders, subset: v2}
                  weight: 10
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: orders}
            spec:
              hosts: [orders.default.svc.cluster.local]
              ports: [{number: 8080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: 127.0.0.1, labels: {version: v1}}
              - {address: 127.0.0.2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: orders}
            spec:
              host: orders
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            """;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void validateExitsZeroOnCleanConfig(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), CLEAN);

        assertThat(run("validate", dir.toString())).isEqualTo(Main.OK);
        assertThat(stdout()).contains("No validation issues found");
    }

    @Test
    void validateExitsOneAndPrintsLikeIstioctlWhenThereAreErrors() {
        assertThat(run("validate", "src/test/resources/seed-examples")).isEqualTo(Main.CONFIG_ERRORS);
        assertThat(stdout()).contains("Error [GW0101] VirtualService default/order-service-vs: "
                + "spec.http[0].route[0].destination.host: ")
                .contains("(src/test/resources/seed-examples/02-virtualservice-orders.yaml:15)")
                .contains("12 error(s)");
    }

    /**
     * A regex that RE2J would compile to about 10^9 instructions: validation reports it from its syntax, in this
     * JVM, instead of running out of heap; its rule is left out and the rest of the file validates.
     */
    @Test
    void validateReportsARegexTooCostlyToCompileInsteadOfExhaustingTheHeap(@TempDir Path dir) throws IOException {
        String hostile = CLEAN.replace("{uri: {prefix: /orders}}", "{uri: {regex: \"/(((a{1000}){1000}){1000})\"}}");
        Files.writeString(dir.resolve("mesh.yaml"), hostile);

        assertThat(run("validate", dir.toString())).isEqualTo(Main.CONFIG_ERRORS);
        assertThat(stdout()).contains("Error [GW0122] VirtualService default/orders: spec.http[0].match[0].uri.regex: ")
                .contains("nested repetition count: 1000000000 (expected: a product of at most 1000)")
                .contains("1 error(s)");
    }

    @Test
    void exitsTwoWhenItCannotRun() {
        assertThat(run()).isEqualTo(Main.CANNOT_RUN);
        assertThat(run("frobnicate", "x.yaml")).isEqualTo(Main.CANNOT_RUN);
        assertThat(run("explain", "x.yaml")).isEqualTo(Main.CANNOT_RUN);
        assertThat(stderr()).contains("usage:");
    }

    @Test
    void dumpPrintsTheIrAsYaml(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), CLEAN);

        assertThat(run("dump", dir.toString())).isEqualTo(Main.OK);
        Object parsed = new Yaml().load(stdout());
        assertThat(parsed).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("version", "listeners", "clusters");
        assertThat(stdout()).contains("outbound|8080|v1|orders.default.svc.cluster.local");
    }

    @Test
    void explainRoutesOnTheNormalizedPathAsTheGatewayDoes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), CLEAN);

        assertThat(run("explain", dir.toString(), "--request", "GET http://api.mystore.com/x/../%6Frders/7")).isZero();
        assertThat(stdout()).contains("Normalized:   /orders/7 (pathNormalization BASE)")
                .contains("virtualservice/default/orders/http/0/match/0");
    }

    @Test
    void explainShowsListenerServerRuleAndWeightedDestinations(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), CLEAN);

        assertThat(run("explain", dir.toString(), "--request", "GET http://api.mystore.com/orders/7")).isZero();
        assertThat(stdout()).contains("Listener:     0.0.0.0_80")
                .contains("Server:       default/public/http")
                .contains("Rule:         VirtualService default/orders spec.http[0]")
                .contains("90.0%  outbound|8080|v1|orders.default.svc.cluster.local")
                .contains("10.0%  outbound|8080|v2|orders.default.svc.cluster.local")
                .contains("1 endpoint(s)");
    }

    @Test
    void explainSaysPreciselyWhyNothingServesARequest() {
        int exit = run("explain", "src/test/resources/seed-examples", "--request",
                "GET http://api.mystore.com/orders");

        assertThat(exit).isEqualTo(Main.CONFIG_ERRORS);
        assertThat(stdout()).contains("UNKNOWN_HOST").contains("Related:      Warning [GW0209]");
    }

    @Test
    void explainListsTheTlsPassthroughRoutesOfAPort() {
        int exit = run("explain", "src/test/resources/golden/virtualservice-tls-passthrough-sni.in.yaml", "--request",
                "GET https://a.example.com:443/");

        assertThat(exit).isEqualTo(Main.CONFIG_ERRORS);
        assertThat(stdout()).contains("TLS passthrough: [a.example.com] -> [outbound|443|v1|a.internal 90%, "
                + "outbound|443|v2|a.internal 10%] (virtualservice/edge/a/tls/0/match/0)");
    }

    @Test
    void explainMatchesHeadersInTheMesh() {
        run("explain", "src/test/resources/seed-examples", "--mesh", "--request", "GET http://user-service/",
                "-H", "version: green");

        assertThat(stdout()).contains("outbound|80|green|user-service.default.svc.cluster.local");
    }

    @Test
    void explainShowsTheRateLimitsInForceInTheOrderTheyAreChecked() {
        int exit = run("explain", "src/test/resources/golden/ratelimitpolicy-gateway-target.in.yaml", "--request",
                "GET http://api.example.com/");

        assertThat(exit).isZero();
        assertThat(stdout()).contains("""
                Rate limit:   ratelimitpolicy/edge/public-edge/local/0 (local): 1000 per 1s, bucket of 1000, every \
                request
                Rate limit:   ratelimitpolicy/shop/api/global/0 (global): 10000 per 24h, bucket of 10000, every \
                request
                """);
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
