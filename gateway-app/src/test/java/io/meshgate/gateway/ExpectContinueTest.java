package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
 * {@code Expect: 100-continue} is answered by the gateway and not forwarded, as Envoy does by default
 * ({@code proxy_100_continue: false}): the client gets one {@code 100 Continue}, the backend never sees
 * {@code Expect}.
 */
class ExpectContinueTest {

    @TempDir
    static Path config;
    private static HeaderRecordingBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new HeaderRecordingBackend();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("recorder"));
        GatewayHarness.write(config, "recorder.yaml", GatewayHarness.serviceEntry("recorder",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void theGatewayAnswersOneContinueAndTheBackendNeverSeesExpect() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: a.example.com\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThat(head(in)).startsWith("HTTP/1.1 100");
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = head(in);
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 200");
            assertThat(HeaderRecordingBackend.parse(body)).doesNotContainKey("expect").containsKey("content-length");
        }
    }

    /** Reads one response head, through its empty line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
