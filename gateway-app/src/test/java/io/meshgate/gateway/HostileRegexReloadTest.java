package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.translator.diag.Code;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live reload that adds a regex RE2J would compile to about 10^9 instructions ({@code (((a{1000}){1000}){1000})}):
 * the gateway reports it (GW0122), leaves its rule out and keeps serving every other route, instead of running out
 * of heap while it builds the matcher.
 */
class HostileRegexReloadTest {

    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
            %s  - match: [{uri: {prefix: /orders}}]
                route:
                - destination: {host: shop}
            """;

    private static final String HOSTILE_RULE = """
              - match: [{uri: {regex: "/(((a{1000}){1000}){1000})"}}]
                route:
                - destination: {host: shop}
            """;

    @TempDir
    Path config;
    private TestBackend shop;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        shop = new TestBackend("shop");
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(config, "shop.yaml", GatewayHarness.serviceEntry("shop", Map.of("v1", shop.port())));
        GatewayHarness.write(config, "route.yaml", ROUTES.formatted(""));
        gateway = new GatewayHarness(config);
    }

    @AfterEach
    void stop() {
        gateway.close();
        shop.close();
    }

    @Test
    void aReloadWithAHugeRegexIsReportedAndTheOtherRoutesKeepServing() {
        assertThat(status("/orders/1")).isEqualTo(200);
        long before = gateway.runner().current().generation();

        gateway.write("route.yaml", ROUTES.formatted(HOSTILE_RULE));

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.runner().current().generation() > before);
        assertThat(gateway.runner().current().diagnostics())
                .anySatisfy(d -> {
                    assertThat(d.code()).isEqualTo(Code.INVALID_REGEXP);
                    assertThat(d.fieldPath()).isEqualTo("spec.http[0].match[0].uri.regex");
                });
        assertThat(status("/orders/1")).isEqualTo(200);
        assertThat(status("/" + "a".repeat(10))).isEqualTo(404);
    }

    private int status(String path) {
        return gateway.client("api.mystore.com").get().uri(path).response().map(r -> r.status().code())
                .block(Duration.ofSeconds(10));
    }
}
