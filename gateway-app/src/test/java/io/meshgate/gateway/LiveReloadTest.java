package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** Config changes apply while the gateway serves, without a restart and without failing requests. */
class LiveReloadTest {

    private static final String GATEWAY = GatewayHarness.gatewayOn80("*.mystore.com");

    private static final String ROUTE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: %s}}]
                headers: {response: {set: {x-generation: "%d"}}}
                route:
                - destination: {host: shop, subset: v1}
                  weight: %d
                - destination: {host: shop, subset: v2}
                  weight: %d
            """;

    private static final String SUBSETS = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: shop, namespace: default}
            spec:
              host: shop
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            """;

    @TempDir
    Path config;
    private TestBackend v1;
    private TestBackend v2;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        v1 = new TestBackend("shop-v1");
        v2 = new TestBackend("shop-v2");
        GatewayHarness.write(config, "gateway.yaml", GATEWAY);
        GatewayHarness.write(config, "subsets.yaml", SUBSETS);
        GatewayHarness.write(config, "shop.yaml", GatewayHarness.serviceEntry("shop",
                Map.of("v1", v1.port(), "v2", v2.port())));
        GatewayHarness.write(config, "route.yaml", ROUTE.formatted("/", 0, 100, 0));
        gateway = new GatewayHarness(config);
    }

    @AfterEach
    void stop() {
        gateway.close();
        v1.close();
        v2.close();
    }

    @Test
    void anEditedRouteAppliesWithoutRestart() {
        assertThat(backendFor("/anything")).isEqualTo("shop-v1");

        gateway.write("route.yaml", ROUTE.formatted("/", 1, 0, 100));

        await().atMost(Duration.ofSeconds(3)).until(() -> "shop-v2".equals(backendFor("/anything")));
    }

    @Test
    void aBrokenFileKeepsItsLastGoodResourcesServingAndShowsItsDiagnostics() {
        gateway.write("route.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: shop\n");
        long before = gateway.runner().current().generation();
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.runner().current().generation() > before);

        assertThat(backendFor("/still-served")).isEqualTo("shop-v1");
        String config = HttpClient.create().get()
                .uri("http://127.0.0.1:" + gateway.managementPort() + "/actuator/gatewayconfig")
                .responseContent().aggregate().asString().block();
        assertThat(config).contains("\"code\":\"GW0201\"").contains("route.yaml");
    }

    @Test
    void aDeletedFileTakesItsRoutesAway() throws IOException {
        Files.delete(config.resolve("route.yaml"));

        await().atMost(Duration.ofSeconds(3)).until(() -> status("/gone") == 404);
    }

    @Test
    void aNewGatewayPortOpensAListener() {
        gateway.write("gateway.yaml", GATEWAY + """
                  - port: {number: 8080, name: http-alt, protocol: HTTP}
                    hosts: ["*.mystore.com"]
                """);

        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.runner().current().snapshot().listeners()
                .size() == 2);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(HttpClient.create()
                .headers(h -> h.set("Host", "api.mystore.com"))
                .get().uri("http://127.0.0.1:" + gateway.port(8080) + "/x")
                .responseSingle((response, body) -> body.then(Mono.justOrEmpty(
                        response.responseHeaders().get("x-backend"))))
                .block()).isEqualTo("shop-v1"));
    }

    @Test
    void fiftyChangesUnderConcurrentLoadFailNoRequest() throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        HttpClient client = gateway.client("api.mystore.com");
        ExecutorService loaders = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            int stream = i;
            loaders.submit(() -> {
                while (running.get()) {
                    int code = client.get().uri("/load/" + stream)
                            .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                            .block();
                    if (code != 200) {
                        failures.add(String.valueOf(code));
                    }
                    served.incrementAndGet();
                }
            });
        }

        for (int change = 1; change <= 50; change++) {
            int weight = change % 2 == 0 ? 100 : 0;
            gateway.write("route.yaml", ROUTE.formatted("/", change, weight, 100 - weight));
            long generation = gateway.runner().current().generation();
            await().atMost(Duration.ofSeconds(3)).until(() -> gateway.runner().current().generation() > generation);
        }
        running.set(false);
        loaders.shutdown();
        assertThat(loaders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).isEmpty();
        assertThat(served.get()).isGreaterThan(200);
        assertThat(gateway.runner().current().generation()).isGreaterThanOrEqualTo(51);
    }

    private String backendFor(String path) {
        return gateway.client("api.mystore.com").get().uri(path)
                .responseSingle((response, body) -> body.then(Mono.justOrEmpty(
                        response.responseHeaders().get("x-backend"))))
                .block();
    }

    private int status(String path) {
        return gateway.client("api.mystore.com").get().uri(path)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block();
    }
}
