package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A request body the client breaks (a malformed chunk, a body shorter than its {@code Content-Length}) resets the
 * upstream request: the backend sees its body fail, never a complete request it would act on.
 */
class RequestBodyErrorTest {

    @TempDir
    static Path config;
    private static final List<String> outcomes = new CopyOnWriteArrayList<>();
    private static final List<String> started = new CopyOnWriteArrayList<>();
    private static DisposableServer backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> Mono.fromRunnable(() -> started.add(request.uri()))
                        .then(request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .doOnNext(body -> outcomes.add("complete " + request.uri() + " " + body))
                        .doOnError(error -> outcomes.add("aborted " + request.uri()))
                        .flatMap(body -> response.sendString(Mono.just("done")).then())))
                .bindNow();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("orders"));
        GatewayHarness.write(config, "orders.yaml", GatewayHarness.serviceEntry("orders",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.disposeNow();
    }

    @BeforeEach
    void clear() {
        outcomes.clear();
        started.clear();
    }

    @Test
    void aMalformedChunkResetsTheUpstreamRequest() throws IOException {
        String answer = exchange("POST /transfer HTTP/1.1\r\nHost: a.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n", "zz\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 400");
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly("aborted /transfer");
    }

    @Test
    void aBodyCutShortByTheClientResetsTheUpstreamRequest() throws IOException {
        exchange("POST /cut HTTP/1.1\r\nHost: a.example.com\r\nContent-Length: 100\r\n\r\nhel", "lo", true);

        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly("aborted /cut");
    }

    @Test
    void aMalformedChunkAfterTheBackendHasTheRequestResetsIt() throws IOException {
        String answer = exchange("POST /late HTTP/1.1\r\nHost: a.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n", "zz\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 400");
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly("aborted /late");
    }

    /**
     * Sends {@code head}; for a path other than {@code /transfer}, waits until the backend has the request; sends
     * {@code rest}; then closes the connection ({@code close}) or reads the status line of the answer.
     */
    private static String exchange(String head, String rest, boolean close) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            if (!head.startsWith("POST /transfer ")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());
            }
            socket.getOutputStream().write(rest.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            if (close) {
                return "";
            }
            return RawLines.line(socket.getInputStream());
        }
    }
}
