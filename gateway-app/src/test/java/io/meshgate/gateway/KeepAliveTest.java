package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Pooled upstream connections do not race the backend's idle timeout: a backend that advertises
 * {@code Keep-Alive: timeout=2} has its idle connection closed by the gateway about a second before that, while a
 * backend that advertises nothing keeps its connection for reuse.
 */
class KeepAliveTest {

    @TempDir
    static Path config;
    private static final AtomicInteger hintedOpen = new AtomicInteger();
    private static final AtomicInteger plainOpen = new AtomicInteger();
    private static DisposableServer hinted;
    private static DisposableServer plain;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        hinted = backend(hintedOpen, "timeout=2, max=100");
        plain = backend(plainOpen, null);
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.gatewayOn80("*") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: keepalive, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [edge]
                  http:
                  - match: [{uri: {prefix: /hinted}}]
                    route: [{destination: {host: hinted}}]
                  - route: [{destination: {host: plain}}]
                """);
        GatewayHarness.write(config, "hinted.yaml", GatewayHarness.serviceEntry("hinted", Map.of("v1", hinted.port())));
        GatewayHarness.write(config, "plain.yaml", GatewayHarness.serviceEntry("plain", Map.of("v1", plain.port())));
        gateway = new GatewayHarness(config);
    }

    /** A backend that counts its open connections and answers with the given Keep-Alive header, if any. */
    private static DisposableServer backend(AtomicInteger open, String keepAlive) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> {
                    open.incrementAndGet();
                    connection.onDispose(open::decrementAndGet);
                })
                .handle((request, response) -> {
                    if (keepAlive != null) {
                        response.header("Keep-Alive", keepAlive);
                    }
                    return response.sendString(Mono.just("ok")).then();
                })
                .bindNow();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        hinted.disposeNow();
        plain.disposeNow();
    }

    private static int get(String path) {
        return HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                .headers(h -> h.set("Host", "keepalive.example.com"))
                .get().uri(path).responseSingle((response, body) -> body.then()
                        .thenReturn(response.status().code())).block(Duration.ofSeconds(10));
    }

    @Test
    void anIdleConnectionIsClosedBeforeTheBackendsAdvertisedTimeout() {
        assertThat(get("/hinted")).isEqualTo(200);
        assertThat(get("/plain")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> hintedOpen.get() == 1 && plainOpen.get() == 1);

        // the backends never close a connection themselves: only the gateway, after a second idle (checked every
        // second), closes the hinted one; the bound is loose so that a busy machine does not fail the test
        await().atMost(Duration.ofSeconds(10)).until(() -> hintedOpen.get() == 0);
        assertThat(plainOpen.get()).isEqualTo(1);
        assertThat(get("/hinted")).isEqualTo(200);
    }
}
