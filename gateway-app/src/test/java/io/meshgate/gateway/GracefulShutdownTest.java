package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Shutdown stops accepting and lets in-flight requests finish. */
class GracefulShutdownTest {

    @TempDir
    Path config;

    @Test
    void inFlightRequestsFinishAndNewConnectionsAreRefused() throws Exception {
        AtomicBoolean received = new AtomicBoolean();
        DisposableServer slow = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    received.set(true);
                    return Mono.delay(Duration.ofMillis(1500))
                            .then(response.sendString(Mono.just("finished")).then());
                })
                .bindNow();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("slow"));
        GatewayHarness.write(config, "slow.yaml", GatewayHarness.serviceEntry("slow", Map.of("v1", slow.port())));
        GatewayHarness gateway = new GatewayHarness(config);
        int port = gateway.port(80);
        try {
            CompletableFuture<String> inFlight = gateway.client("a.example.com").get().uri("/")
                    .responseSingle((response, body) -> body.asString())
                    .toFuture();
            await().atMost(Duration.ofSeconds(5)).untilTrue(received);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

            assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("finished");
            closing.get(30, TimeUnit.SECONDS);
            assertThat(refuses(port)).isTrue();
        } finally {
            slow.disposeNow();
        }
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException refused) {
            return true;
        }
    }
}
