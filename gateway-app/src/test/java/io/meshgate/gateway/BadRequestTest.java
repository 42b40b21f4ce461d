package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed requests get clean 4xx answers, and the gateway keeps serving. */
class BadRequestTest {

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    private static final String ABSOLUTE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: absolute, namespace: default}
            spec:
              hosts: [absolute.example.com]
              gateways: [edge]
              http:
              - route:
                - destination: {host: absolute}
            """;

    private static TestBackend absolute;

    @BeforeAll
    static void start() {
        backend = new TestBackend("app");
        absolute = new TestBackend("absolute");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("app"));
        GatewayHarness.write(config, "app.yaml", GatewayHarness.serviceEntry("app", Map.of("v1", backend.port())));
        GatewayHarness.write(config, "absolute.yaml", ABSOLUTE + "---\n"
                + GatewayHarness.serviceEntry("absolute", Map.of("v1", absolute.port())));
        gateway = new GatewayHarness(config, "--gateway.requests.max-headers-count=100");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        absolute.close();
    }

    @Test
    void http11WithoutHostIsBadRequest() throws IOException {
        int before = backend.requests();
        assertThat(statusLine("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(statusLine("GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        // HTTP/1.0 does not require Host, but there is no host to route on and none is invented (Envoy: 400)
        assertThat(statusLine("GET / HTTP/1.0\r\n\r\n")).contains(" 400");
        assertThat(backend.requests()).isEqualTo(before);
        assertThat(statusLine("GET / HTTP/1.0\r\nHost: a.example.com\r\n\r\n")).contains(" 200");
        assertThat(gateway.prometheus()).containsPattern("istio_requests_total\\{[^}]*response_code=\"400\"");
    }

    @Test
    void twoHostHeadersAreBadRequest() throws IOException {
        int before = absolute.requests() + backend.requests();
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: a.example.com\r\nHost: absolute.example.com\r\n"
                + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(absolute.requests() + backend.requests()).isEqualTo(before);
        assertStillServing();
    }

    @Test
    void anAbsoluteFormTargetWinsOverHost() throws IOException {
        String response = head("GET http://absolute.example.com/x?y=1 HTTP/1.1\r\nHost: a.example.com\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(response.toLowerCase()).contains("x-backend: absolute").contains("x-echo-host: absolute.example.com")
                .doesNotContain("x-echo-host: a.example.com");
    }

    @Test
    void unknownTransferCodingsAreNotImplementedAndCloseTheConnection() throws IOException {
        int before = backend.requests();
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a.example.com\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a.example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 501").doesNotContain("smuggled");
        // chunked absent, not last or repeated: the length cannot be known, 400 from the decoder (RFC 9112 §6.3)
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a.example.com\r\nTransfer-Encoding: identity\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: a.example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("connection: close").doesNotContain("smuggled");
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a.example.com\r\nTransfer-Encoding: chunked\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n"
                + "Host: a.example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("connection: close").doesNotContain("smuggled");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void transferEncodingWithContentLengthIsBadRequestAndClosesTheConnection() throws IOException {
        int before = backend.requests();
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a.example.com\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a.example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 400").doesNotContain("smuggled");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void moreThanTheMaximumHeaderCountIsRequestHeaderFieldsTooLarge() throws IOException {
        int before = backend.requests();
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: a.example.com\r\n" + headers(100) + "Connection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
        assertThat(backend.requests()).isEqualTo(before);
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: a.example.com\r\n" + headers(97) + "Connection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void connectIsMethodNotAllowedAndClosesTheConnection() throws IOException {
        int before = backend.requests();
        assertThat(exchange("CONNECT a.example.com:443 HTTP/1.1\r\nHost: a.example.com:443\r\nContent-Length: 44\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: a.example.com\r\n\r\n"))
                .startsWith("HTTP/1.1 405").doesNotContain("smuggled");
        assertThat(backend.requests()).isEqualTo(before);
        assertStillServing();
    }

    @Test
    void http2HeaderFieldsAreCountedAsSent() {
        reactor.netty.http.client.HttpClient h2c = reactor.netty.http.client.HttpClient.create()
                .protocol(reactor.netty.http.HttpProtocol.H2C)
                .responseTimeout(java.time.Duration.ofSeconds(10));

        assertThat(h2cStatus(h2c, 100)).isEqualTo(431);
        // the client adds user-agent and accept; the conversion of the stream to an HTTP/1.1 request adds
        // x-http2-* headers, which do not count
        assertThat(h2cStatus(h2c, 95)).isEqualTo(200);
    }

    private static int h2cStatus(reactor.netty.http.client.HttpClient client, int extraHeaders) {
        return client.headers(h -> {
            h.set("Host", "a.example.com");
            for (int i = 0; i < extraHeaders; i++) {
                h.add("x-h" + i, "v");
            }
        }).get().uri("http://127.0.0.1:" + gateway.port(80) + "/")
                .responseSingle((response, body) -> body.then(reactor.core.publisher.Mono.just(
                        response.version().text() + " " + response.status().code())))
                .map(answer -> {
                    assertThat(answer).startsWith("HTTP/2.0");
                    return Integer.parseInt(answer.substring(answer.indexOf(' ') + 1));
                })
                .block(java.time.Duration.ofSeconds(10));
    }

    private static String headers(int count) {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < count; i++) {
            headers.append("x-h").append(i).append(": v\r\n");
        }
        return headers.toString();
    }

    @Test
    void malformedRequestLineIsBadRequest() throws IOException {
        assertThat(statusLine("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertStillServing();
    }

    @Test
    void oversizedHeadersAreRequestHeaderFieldsTooLarge() throws IOException {
        String big = "x".repeat(64 * 1024);
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: a.example.com\r\nX-Big: " + big + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
        assertStillServing();
    }

    @Test
    void invalidHostIsBadRequest() throws IOException {
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: bad host/../x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: a.example.com:99999\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertStillServing();
    }

    private static void assertStillServing() throws IOException {
        assertThat(statusLine("GET / HTTP/1.1\r\nHost: a.example.com\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    /** The response head, up to the empty line. */
    private static String head(String request) throws IOException {
        String all = exchange(request);
        int end = all.indexOf("\r\n\r\n");
        return end < 0 ? all : all.substring(0, end);
    }

    /** Everything the gateway answers until it closes the connection (bounded by the read timeout). */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(all);
            } catch (java.net.SocketTimeoutException stillOpen) {
                return all.toString(StandardCharsets.US_ASCII) + "\n[connection left open]";
            } catch (SocketException reset) {
                // closed by the gateway: what was read is the answer
            }
            return all.toString(StandardCharsets.US_ASCII);
        }
    }

    private static String statusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closedWhileWriting) {
                // the gateway may answer and close before reading an oversized request to its end
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                head.write(b);
            }
            return head.toString(StandardCharsets.US_ASCII).strip();
        }
    }
}
