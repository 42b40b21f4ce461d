package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config file written in place, not renamed into place, is read only once it has stopped changing; and a change
 * that leaves a resource with errors is refused for that resource, whose last good version keeps serving, as
 * Istio's validating webhook would have refused it.
 */
class InPlaceEditTest {

    private static final String HEAD = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /}}]
            """;

    /** The action of the rule {@link #HEAD} ends with. */
    private static final String ROUTE_TO_V1 = "    route:\n    - destination: {host: shop-v1}\n";
    private static final String ROUTE_TO_V2 = "    route:\n    - destination: {host: shop-v2}\n";
    private static final String GENERATION_HEADER = "    headers: {response: {set: {x-generation: \"2\"}}}\n";
    /** A second rule, after the first one left without an action. */
    private static final String SECOND_RULE_TO_V2 = "  - route:\n    - destination: {host: shop-v2}\n";

    @TempDir
    Path config;
    private TestBackend v1;
    private TestBackend v2;
    private GatewayHarness gateway;

    @BeforeEach
    void backends() {
        v1 = new TestBackend("shop-v1");
        v2 = new TestBackend("shop-v2");
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(config, "services.yaml", GatewayHarness.serviceEntry("shop-v1",
                Map.of("v1", v1.port())) + "---\n" + GatewayHarness.serviceEntry("shop-v2", Map.of("v1", v2.port())));
        GatewayHarness.write(config, "route.yaml", HEAD + ROUTE_TO_V1);
    }

    @AfterEach
    void stop() {
        gateway.close();
        v1.close();
        v2.close();
    }

    @Test
    void aFileRewrittenInPlaceWithAPauseLongerThanTheSettleTimeNeverAnswers500() throws Exception {
        gateway = new GatewayHarness(config, "--gateway.poll-interval=100ms",
                "--gateway.config-watch.file-settle-time=300ms");
        try (Traffic traffic = Traffic.expecting200(gateway.client("api.mystore.com"), "/")) {
            long generation = gateway.runner().current().generation();
            try (FileChannel file = FileChannel.open(config.resolve("route.yaml"), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(file, HEAD);                       // a rule without its action: an Error (GW0106)
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> gateway.runner().current().generation() > generation);
                assertThat(gateway.runner().rejected()).extracting(r -> r.display())
                        .containsExactly("VirtualService default/shop");
                write(file, ROUTE_TO_V2);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> "shop-v2".equals(backend()));
            assertThat(traffic.answered()).isPositive();
            assertThat(traffic.stop()).isEmpty();
        }
        assertThat(gateway.runner().rejected()).isEmpty();
    }

    @Test
    void aFileCaughtMidWriteIsNotReadUntilItSettles() throws Exception {
        gateway = new GatewayHarness(config, "--gateway.poll-interval=100ms",
                "--gateway.config-watch.file-settle-time=3s");
        // the first half alone is a valid route to v2, without the header the whole file sets
        Traffic traffic = new Traffic(gateway.client("api.mystore.com"), "/", r -> {
            boolean v2 = "shop-v2".equals(r.responseHeaders().get("x-backend"));
            return v2 && !"2".equals(r.responseHeaders().get("x-generation")) ? "the first half applied" : "";
        });
        try (traffic) {
            try (FileChannel file = FileChannel.open(config.resolve("route.yaml"), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(file, HEAD + ROUTE_TO_V2);
                long written = System.nanoTime();
                // the writer's pause (part of the scenario, not a wait for a condition): polls see the half file
                Thread.sleep(800);
                assertThat(System.nanoTime() - written).isLessThan(Duration.ofMillis(2500).toNanos());
                write(file, GENERATION_HEADER);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(generation()));
            assertThat(traffic.answered()).isPositive();
            assertThat(traffic.stop()).isEmpty();
        }
    }

    @Test
    void aResourceEditedIntoAnErrorStateKeepsRoutingAsBeforeUntilFixed() throws Exception {
        gateway = new GatewayHarness(config, "--gateway.config-watch.file-settle-time=200ms");
        try (Traffic traffic = Traffic.expecting200(gateway.client("api.mystore.com"), "/")) {
            long generation = gateway.runner().current().generation();
            gateway.write("route.yaml", HEAD + SECOND_RULE_TO_V2);
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.runner().current().generation() > generation);

            assertThat(backend()).isEqualTo("shop-v1");
            String shown = gateway.actuatorConfig();
            assertThat(shown).contains("\"rejected\":[\"VirtualService default/shop\"]")
                    .contains("\"code\":\"GW0106\"").contains("\"code\":\"GW0218\"");
            assertThat(gateway.prometheus()).containsPattern("meshgate_config_rejected_resources(\\{[^}]*})? 1\\.0")
                    .containsPattern("meshgate_config_reload_failures_total\\{reason=\"resource_rejected\""
                            + "[^}]*} 1\\.0");

            gateway.write("route.yaml", HEAD + ROUTE_TO_V2);
            await().atMost(Duration.ofSeconds(5)).until(() -> "shop-v2".equals(backend()));
            assertThat(traffic.stop()).isEmpty();
        }
        assertThat(gateway.actuatorConfig()).contains("\"rejected\":[]").doesNotContain("GW0218");
    }

    private static void write(FileChannel file, String text) throws IOException {
        file.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        file.force(false);
    }

    private String backend() {
        return gateway.responseHeader("api.mystore.com", "/", "x-backend");
    }

    private String generation() {
        return gateway.responseHeader("api.mystore.com", "/", "x-generation");
    }
}
