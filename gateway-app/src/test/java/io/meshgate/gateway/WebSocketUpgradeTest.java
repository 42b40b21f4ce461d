package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The client gets {@code 101} only after the backend agreed to the upgrade: a backend that refuses (403) or does
 * not speak WebSocket (a plain 200 or 404) gives the client that answer, never a 101 followed by a close.
 */
class WebSocketUpgradeTest {

    @TempDir
    static Path config;
    private static DisposableServer backend;
    private static GatewayHarness gateway;
    private static final CountDownLatch silentClosed = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/refuse", (request, response) -> response.status(403).send())
                        .get("/plain", (request, response) -> response.sendString(Mono.just("not a websocket")))
                        .ws("/silent", (in, out) -> {
                            in.withConnection(connection -> connection.onDispose(silentClosed::countDown));
                            return in.receive().then();
                        }, reactor.netty.http.server.WebsocketServerSpec.builder().protocols("chat").build())
                        .ws("/bye", (in, out) -> out.sendClose(4000, "bye"),
                                reactor.netty.http.server.WebsocketServerSpec.builder().protocols("chat").build())
                        .ws("/ws", (in, out) -> out.sendString(in.receive().asString().map(text -> "echo " + text)),
                                reactor.netty.http.server.WebsocketServerSpec.builder().protocols("chat").build()))
                .bindNow();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("sockets"));
        GatewayHarness.write(config, "sockets.yaml", GatewayHarness.serviceEntry("sockets",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.disposeNow();
    }

    @Test
    void aBackendRefusingTheUpgradeGivesTheClientItsAnswer() throws IOException {
        assertThat(upgradeStatus("/refuse")).startsWith("HTTP/1.1 403");
        assertThat(upgradeStatus("/plain")).startsWith("HTTP/1.1 200");
        assertThat(upgradeStatus("/missing")).startsWith("HTTP/1.1 404");
    }

    @Test
    void aBackendAcceptingTheUpgradeGives101AndRelaysWithItsSubprotocol() throws IOException {
        assertThat(upgradeStatus("/ws")).startsWith("HTTP/1.1 101");
        String answer = HttpClient.create().headers(h -> h.set("Host", "a.example.com"))
                .websocket(reactor.netty.http.client.WebsocketClientSpec.builder().protocols("chat").build())
                .uri("ws://127.0.0.1:" + gateway.port(80) + "/ws")
                .handle((in, out) -> out.sendString(Mono.just("hello")).then()
                        .thenMany(in.receive().asString().take(1))
                        .map(text -> in.selectedSubprotocol() + " " + text))
                .blockFirst(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("chat echo hello");
    }

    @Test
    void aClientVanishingRightAfterTheUpgradeClosesTheBackendConnection() throws Exception {
        assertThat(upgradeStatus("/silent")).startsWith("HTTP/1.1 101");

        // the socket is closed without a close frame; the backend never sends anything
        assertThat(silentClosed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBackendClosingTheSessionClosesTheClientsSession() {
        String closed = HttpClient.create().headers(h -> h.set("Host", "a.example.com"))
                .websocket(reactor.netty.http.client.WebsocketClientSpec.builder().protocols("chat").build())
                .uri("ws://127.0.0.1:" + gateway.port(80) + "/bye")
                .handle((in, out) -> in.receiveCloseStatus().map(status -> "closed " + status.code()))
                .blockFirst(Duration.ofSeconds(10));

        assertThat(closed).startsWith("closed ");
    }

    private static String upgradeStatus(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a.example.com\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return RawLines.line(socket.getInputStream());
        }
    }
}
