package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * Backends that misbehave at the socket level get Envoy's answers: garbage → 502 (UPE), a closed connection →
 * 503 (UC), silence → 504 (UT) after the upstream idle timeout, also when they come after the response headers.
 * Never a hung client.
 */
class BackendFailureTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("*") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: all, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /garbage}}]
                route: [{destination: {host: garbage}}]
                retries: {attempts: 0}
              - match: [{uri: {prefix: /close}}]
                route: [{destination: {host: close}}]
                retries: {attempts: 0}
              - match: [{uri: {prefix: /silent}}]
                route: [{destination: {host: silent}}]
                retries: {attempts: 0}
              - match: [{uri: {prefix: /head-then-silence}}]
                route: [{destination: {host: head-then-silence}}]
                retries: {attempts: 0}
              - match: [{uri: {prefix: /head-then-close}}]
                route: [{destination: {host: head-then-close}}]
                retries: {attempts: 0}
            """;

    /** Response headers announcing a body that never comes. */
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nSet-Cookie: session=1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path config;
    private static final ExecutorService sockets = Executors.newCachedThreadPool();
    private static ServerSocket garbage;
    private static ServerSocket close;
    private static ServerSocket silent;
    private static ServerSocket headThenSilence;
    private static ServerSocket headThenClose;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws IOException {
        garbage = serve(socket -> socket.getOutputStream()
                .write("THIS IS NOT HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        close = serve(socket -> { });
        // says nothing until the gateway gives up and closes
        silent = serve(socket -> socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
        headThenSilence = serve(socket -> {
            socket.getOutputStream().write(HEAD);
            socket.getOutputStream().flush();
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        });
        headThenClose = serve(socket -> socket.getOutputStream().write(HEAD));
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "head-then-silence.yaml", GatewayHarness.serviceEntry("head-then-silence",
                Map.of("v1", headThenSilence.getLocalPort())));
        GatewayHarness.write(config, "head-then-close.yaml", GatewayHarness.serviceEntry("head-then-close",
                Map.of("v1", headThenClose.getLocalPort())));
        GatewayHarness.write(config, "garbage.yaml", GatewayHarness.serviceEntry("garbage",
                Map.of("v1", garbage.getLocalPort())));
        GatewayHarness.write(config, "close.yaml", GatewayHarness.serviceEntry("close",
                Map.of("v1", close.getLocalPort())));
        GatewayHarness.write(config, "silent.yaml", GatewayHarness.serviceEntry("silent",
                Map.of("v1", silent.getLocalPort())));
        gateway = new GatewayHarness(config, "--gateway.upstream-idle-timeout=1s");
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        sockets.shutdownNow();
        garbage.close();
        close.close();
        silent.close();
        headThenSilence.close();
        headThenClose.close();
    }

    @Test
    void garbageIsABadGateway() {
        assertThat(status("/garbage")).isEqualTo(502);
    }

    @Test
    void aClosedConnectionIsServiceUnavailable() {
        assertThat(status("/close")).isEqualTo(503);
    }

    @Test
    void silenceIsAGatewayTimeoutAfterTheIdleTimeout() {
        assertThat(status("/silent")).isEqualTo(504);
    }

    @Test
    void silenceAfterTheResponseHeadersIsAGatewayTimeoutWithoutTheUpstreamsHeaders() {
        var response = answer("/head-then-silence");

        assertThat(response.getKey()).isEqualTo(504);
        assertThat(response.getValue().get("set-cookie")).isNull();
        assertThat(response.getValue().get("content-length")).isEqualTo(
                String.valueOf("upstream request timeout".length()));
    }

    @Test
    void aConnectionClosedAfterTheResponseHeadersIsServiceUnavailable() {
        var response = answer("/head-then-close");

        assertThat(response.getKey()).isEqualTo(503);
        assertThat(response.getValue().get("set-cookie")).isNull();
    }

    private static Map.Entry<Integer, io.netty.handler.codec.http.HttpHeaders> answer(String path) {
        return gateway.client("a.example.com").get().uri(path)
                .responseSingle((response, body) -> body.then(Mono.just(Map.entry(response.status().code(),
                        response.responseHeaders()))))
                .block(Duration.ofSeconds(15));
    }

    private static int status(String path) {
        return gateway.client("a.example.com").get().uri(path)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block(Duration.ofSeconds(15));
    }

    /** A socket backend that reads the request head and then does {@code behaviour} and closes. */
    private static ServerSocket serve(SocketBehaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        sockets.submit(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    behaviour.act(socket);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // a closed server ends the loop
                }
            }
        });
        return server;
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** What a socket backend does after reading the request head. */
    private interface SocketBehaviour {
        void act(Socket socket) throws IOException;
    }
}
