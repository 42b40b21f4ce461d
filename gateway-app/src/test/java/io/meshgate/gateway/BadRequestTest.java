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

    @BeforeAll
    static void start() {
        backend = new TestBackend("app");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("app"));
        GatewayHarness.write(config, "app.yaml", GatewayHarness.serviceEntry("app", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
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
