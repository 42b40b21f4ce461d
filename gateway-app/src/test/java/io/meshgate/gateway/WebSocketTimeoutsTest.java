package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A WebSocket through the gateway leaves the connection's request deadlines behind once upgraded: neither the
 * request headers timeout (2 s here) nor the idle timeout (3 s) closes it, whether it is quiet or carries a message a
 * second; only the stream idle timeout (6 s) closes a quiet one, as Envoy applies only that to upgraded streams.
 */
class WebSocketTimeoutsTest {

    @TempDir
    static Path config;
    private static DisposableServer backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/ws",
                        (in, out) -> out.sendString(in.receive().asString().map(text -> "echo " + text))))
                .bindNow();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("sockets"));
        GatewayHarness.write(config, "sockets.yaml", GatewayHarness.serviceEntry("sockets",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config, "--gateway.limits.request-headers-timeout=2s",
                "--gateway.limits.idle-timeout=3s", "--gateway.limits.stream-idle-timeout=6s");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.disposeNow();
    }

    @Test
    void aQuietWebSocketOutlivesTheConnectionTimeoutsAndEndsAtTheStreamIdleTimeout() throws Exception {
        Client client = Client.open(gateway.port(80));
        client.socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.received.contains("echo hello"));
        long quietSince = System.nanoTime();

        // past the request headers timeout and the idle timeout, short of the stream idle timeout
        await().during(Duration.ofMillis(4500)).atMost(Duration.ofSeconds(5)).until(() -> !client.closed.get());
        await().atMost(Duration.ofSeconds(10)).until(client.closed::get);
        assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aWebSocketWithAMessageASecondStaysOpen() throws Exception {
        Client client = Client.open(gateway.port(80));
        int messages = 9;
        for (int i = 0; i < messages; i++) {
            String text = "m" + i;
            client.socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> client.received.contains("echo " + text)
                    || client.closed.get());
            assertThat(client.closed).as("closed after %d messages", i).isFalse();
            Thread.sleep(1000); // the pace of the traffic, not a wait for a condition
        }
        assertThat(client.received).hasSize(messages);
        assertThat(client.closed).isFalse();
        client.socket.abort();
    }

    /** The JDK's WebSocket client, recording what it receives and whether the connection went. */
    private record Client(WebSocket socket, List<String> received, AtomicBoolean closed) {

        static Client open(int port) throws Exception {
            List<String> received = new CopyOnWriteArrayList<>();
            AtomicBoolean closed = new AtomicBoolean();
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    received.add(data.toString());
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closed.set(true);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closed.set(true);
                }
            };
            WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener).get(10, TimeUnit.SECONDS);
            return new Client(socket, received, closed);
        }
    }
}
