package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client connections that do not get on with it are closed (raw sockets, limits of a second or two): one that sends
 * nothing, a half-sent request line, slowloris (a header byte at a time, faster than any idle timeout), a request
 * body that stops coming, an HTTP/2 connection left without streams (GOAWAY); kept-alive traffic at a normal pace is
 * not touched.
 */
class ClientTimeoutsTest {

    /** Longer than every limit here, shorter than the test's patience. */
    private static final int PATIENCE_MILLIS = 10_000;

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new TestBackend("echo");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("echo"));
        GatewayHarness.write(config, "echo.yaml", GatewayHarness.serviceEntry("echo", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config, "--gateway.limits.request-headers-timeout=1s",
                "--gateway.limits.idle-timeout=2s", "--gateway.limits.stream-idle-timeout=2s");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(closedWithin(socket, PATIENCE_MILLIS)).isTrue();
        }
    }

    @Test
    void aHalfSentRequestLineIsClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /slow HT");
            assertThat(closedWithin(socket, PATIENCE_MILLIS)).isTrue();
        }
    }

    /** A byte every 200 ms: no idle timeout ever fires, the request headers timeout (1 s) does. */
    @Test
    void slowlorisIsClosedAtTheHeadersTimeoutThoughBytesKeepComing() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET / HTTP/1.1\r\nHost: a.example.com\r\nX-Slow: ");
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                try {
                    send(socket, "a");
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = closedWithin(socket, 200);
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).isTrue();
            // well before the 2 s idle timeouts could have applied, had bytes stopped
            assertThat(elapsedMillis).isLessThan(PATIENCE_MILLIS / 2);
        }
    }

    @Test
    void aRequestBodyThatStopsComingIsResetAtTheStreamIdleTimeout() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST /upload HTTP/1.1\r\nHost: a.example.com\r\nContent-Length: 100\r\n\r\n0123456789");
            assertThat(closedWithin(socket, PATIENCE_MILLIS)).isTrue();
        }
    }

    /** Requests 300 ms apart on one connection, for longer than every limit: all answered, none cut. */
    @Test
    void keptAliveTrafficAtANormalPaceIsUnaffected() throws Exception {
        try (Socket socket = connect()) {
            for (int i = 0; i < 12; i++) {
                send(socket, "GET /n" + i + " HTTP/1.1\r\nHost: a.example.com\r\n\r\n");
                assertThat(readResponse(socket)).startsWith("HTTP/1.1 200").endsWith("echo GET /n" + i);
                Thread.sleep(300); // the pace of the client under test, not a wait for the gateway
            }
        }
    }

    @Test
    void anHttp2ConnectionWithoutStreamsGetsGoawayAtTheIdleTimeout() throws IOException {
        try (RawH2 client = new RawH2(gateway.port(80), 65536, 65535)) {
            client.get(1, "a.example.com", "/h2");
            boolean goaway = false;
            for (int i = 0; i < 100 && !goaway; i++) {
                goaway = client.read().type() == RawH2.GOAWAY;
            }
            assertThat(goaway).isTrue();
            assertThat(closedWithin(client.socket(), PATIENCE_MILLIS)).isTrue();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port(80)), 5000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Whether the gateway closed (or reset) the connection within the time, reading and dropping what it sent. */
    static boolean closedWithin(Socket socket, int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[8192];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }
    }

    /** One response with a {@code content-length} body, as text. */
    private static String readResponse(Socket socket) throws IOException {
        socket.setSoTimeout(PATIENCE_MILLIS);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.US_ASCII);
    }
}
