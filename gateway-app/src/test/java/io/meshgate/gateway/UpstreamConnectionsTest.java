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
 * Pooled upstream connections: they do not race the backend's idle timeout (a backend that advertises
 * {@code Keep-Alive: timeout=2} has its idle connection closed by the gateway about a second before that, while a
 * backend that advertises nothing keeps its connection for reuse), and a DestinationRule's {@code connectionPool}
 * bounds them: {@code maxRequestsPerConnection}, {@code http.idleTimeout} and {@code tcp.connectTimeout}.
 */
class UpstreamConnectionsTest {

    @TempDir
    static Path config;
    private static final AtomicInteger hintedOpen = new AtomicInteger();
    private static final AtomicInteger plainOpen = new AtomicInteger();
    private static DisposableServer hinted;
    private static DisposableServer plain;
    private static final AtomicInteger singleOpened = new AtomicInteger();
    private static final AtomicInteger idleOpen = new AtomicInteger();
    private static DisposableServer single;
    private static DisposableServer idle;
    private static java.net.ServerSocket stuck;
    private static final java.util.List<java.net.Socket> backlog = new java.util.ArrayList<>();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        hinted = backend(hintedOpen, "timeout=2, max=100");
        plain = backend(plainOpen, null);
        single = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> singleOpened.incrementAndGet())
                .handle((request, response) -> response.sendString(Mono.just("ok")).then())
                .bindNow();
        idle = backend(idleOpen, null);
        stuck = fullBacklog();
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
                  - match: [{uri: {prefix: /single}}]
                    route: [{destination: {host: single}}]
                  - match: [{uri: {prefix: /idle}}]
                    route: [{destination: {host: idle}}]
                  - match: [{uri: {prefix: /stuck}}]
                    route: [{destination: {host: stuck}}]
                    retries: {attempts: 0}
                  - route: [{destination: {host: plain}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: single, namespace: default}
                spec:
                  host: single.default.svc.cluster.local
                  trafficPolicy:
                    connectionPool: {http: {maxRequestsPerConnection: 1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: idle, namespace: default}
                spec:
                  host: idle.default.svc.cluster.local
                  trafficPolicy:
                    connectionPool: {http: {idleTimeout: 1s}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: stuck, namespace: default}
                spec:
                  host: stuck.default.svc.cluster.local
                  trafficPolicy:
                    connectionPool: {tcp: {connectTimeout: 300ms}}
                """);
        GatewayHarness.write(config, "single.yaml", GatewayHarness.serviceEntry("single", Map.of("v1", single.port())));
        GatewayHarness.write(config, "idle.yaml", GatewayHarness.serviceEntry("idle", Map.of("v1", idle.port())));
        GatewayHarness.write(config, "stuck.yaml", GatewayHarness.serviceEntry("stuck",
                Map.of("v1", stuck.getLocalPort())));
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

    /**
     * A listening socket that never accepts, its one-place backlog filled: the kernel drops further connection
     * attempts, so they hang until the client's connect timeout.
     */
    private static java.net.ServerSocket fullBacklog() {
        try {
            java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            for (int i = 0; i < 4; i++) {
                java.net.Socket socket = new java.net.Socket();
                try {
                    socket.connect(server.getLocalSocketAddress(), 200);
                    backlog.add(socket);
                } catch (java.io.IOException e) {
                    socket.close();
                }
            }
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        hinted.disposeNow();
        plain.disposeNow();
        single.disposeNow();
        idle.disposeNow();
        for (java.net.Socket socket : backlog) {
            try {
                socket.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
        }
        try {
            stuck.close();
        } catch (java.io.IOException e) {
            // closing anyway
        }
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

    @Test
    void maxRequestsPerConnectionOneOpensAConnectionPerRequest() {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/single")).isEqualTo(200);
        }
        assertThat(singleOpened.get()).isEqualTo(5);
    }

    @Test
    void anIdleTimeoutClosesTheClustersIdleConnections() {
        assertThat(get("/idle")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> idleOpen.get() == 0);
    }

    @Test
    void aConnectTimeoutEndsAConnectionAttemptThatHangs() {
        long start = System.nanoTime();
        assertThat(get("/stuck")).isEqualTo(503);
        // far below the gateway-wide 10 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
