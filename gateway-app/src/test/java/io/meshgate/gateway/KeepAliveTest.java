package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept-alive HTTP/1.1 connection answers every request in order and goes on reading, however its requests
 * interleave with the answers: proxied ones, local answers the gateway writes at once, and requests that arrive
 * while the previous response is still finishing (pipelined, RFC 9112 §9.3.2).
 */
class KeepAliveTest {

    private static final String LOCAL = """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: app, namespace: default}
            spec:
              hosts: [app.test]
              gateways: [edge]
              http:
              - route:
                - destination: {host: app}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: answer, namespace: default}
            spec:
              hosts: [answer.test]
              gateways: [edge]
              http:
              - directResponse: {status: 204}
            """;

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new TestBackend("app");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.gatewayOn80("app.test", "answer.test") + LOCAL);
        GatewayHarness.write(config, "app.yaml", GatewayHarness.serviceEntry("app", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aLocalAnswerPipelinedBehindAProxiedRequestLeavesTheConnectionReading() throws IOException {
        try (Socket socket = connect()) {
            // the second request is read while the first is at the backend, and answered the moment that one ends
            send(socket, get("app.test") + get("nobody.test"));
            assertThat(TlsClient.read(socket.getInputStream()).status()).isEqualTo(200);
            assertThat(TlsClient.read(socket.getInputStream()).status()).isEqualTo(404);

            assertThat(exchange(socket, "nobody.test")).isEqualTo(404);
            assertThat(exchange(socket, "app.test")).isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequestsOfEveryKindAreAnsweredInOrder() throws IOException {
        try (Socket socket = connect()) {
            send(socket, get("answer.test") + get("app.test") + get("nobody.test") + get("app.test")
                    + get("answer.test"));
            InputStream in = socket.getInputStream();
            int[] statuses = new int[5];
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] = TlsClient.read(in).status();
            }
            assertThat(statuses).containsExactly(204, 200, 404, 200, 204);
            assertThat(exchange(socket, "answer.test")).isEqualTo(204);
        }
    }

    @Test
    void proxiedThenLocalAnswersOneAfterAnotherNeverStall() throws IOException {
        // the client sends each request as soon as it has the previous response, which can be before the gateway
        // has finished that response: the race that once left the connection unread
        try (Socket socket = connect()) {
            for (int i = 0; i < 200; i++) {
                assertThat(exchange(socket, "app.test")).as("proxied, round " + i).isEqualTo(200);
                assertThat(exchange(socket, "nobody.test")).as("no route, round " + i).isEqualTo(404);
                assertThat(exchange(socket, "answer.test")).as("direct response, round " + i).isEqualTo(204);
            }
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port(80));
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String get(String host) {
        return "GET /keep-alive HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    private static void send(Socket socket, String requests) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(requests.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static int exchange(Socket socket, String host) throws IOException {
        send(socket, get(host));
        return TlsClient.read(socket.getInputStream()).status();
    }
}
