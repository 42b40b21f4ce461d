package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.ScriptedBackend.Behavior;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

/**
 * DestinationRule {@code loadBalancer.warmup} (slow start) with real backends: an endpoint that joins a running
 * cluster starts with a tenth of its share, while the endpoints the cluster started with are served in full.
 */
class WarmupTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("*") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: warm, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - route: [{destination: {host: warm}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: warm, namespace: default}
            spec:
              host: warm.default.svc.cluster.local
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 120s}}
            """;

    @TempDir
    static Path config;
    private static final Map<String, ScriptedBackend> backends = new TreeMap<>();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        for (String name : new String[] {"w1", "w2", "w3"}) {
            backends.put(name, new ScriptedBackend(name, Behavior.OK));
        }
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "warm.yaml", GatewayHarness.serviceEntry("warm",
                Map.of("w1", backends.get("w1").port(), "w2", backends.get("w2").port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backends.values().forEach(ScriptedBackend::close);
    }

    private static String get() {
        return HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                .headers(h -> h.set("Host", "warm.example.com")).responseTimeout(Duration.ofSeconds(5))
                .get().uri("/").responseSingle((response, body) -> body.then()
                        .thenReturn(String.valueOf(response.responseHeaders().get("x-backend"))))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void anEndpointThatJoinsGetsASmallShareWhileItWarmsUp() {
        for (int i = 0; i < 20; i++) {
            get();
        }
        long before = gateway.runner().current().generation();
        GatewayHarness.write(config, "warm.yaml", GatewayHarness.serviceEntry("warm", Map.of(
                "w1", backends.get("w1").port(), "w2", backends.get("w2").port(), "w3", backends.get("w3").port())));
        // wait for the reload, not for w3's first request: at a tenth of its share that can take a hundred tries
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.runner().current().generation() > before);

        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            counts.merge(get(), 1, Integer::sum);
        }
        // round robin would give w3 a third (133); warming up it gets about a tenth of that
        assertThat(counts.getOrDefault("w3", 0)).isBetween(1, 49);
        assertThat(counts.get("w1") + counts.get("w2")).isGreaterThan(350);
    }
}
