package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-address connection cap: the connection beyond it from one address is closed unanswered, another address
 * (127.0.0.3, loopback too) is still served, and a closed connection gives its place back. A trusted proxy
 * (127.0.0.2), which carries the connections of many clients, is not capped.
 */
class ConnectionCapTest {

    private static final int CAP = 5;

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new TestBackend("echo");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("echo"));
        GatewayHarness.write(config, "echo.yaml", GatewayHarness.serviceEntry("echo", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config, "--gateway.limits.max-connections-per-source=" + CAP,
                "--gateway.forwarding.trusted-proxies=127.0.0.2/32");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void theConnectionBeyondTheCapOfOneAddressIsRefusedAndOthersAreServed() throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                Socket socket = connect("127.0.0.1");
                assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
                held.add(socket);
            }
            try (Socket beyond = connect("127.0.0.1")) {
                assertThat(exchange(beyond)).isEmpty();
            }
            try (Socket other = connect("127.0.0.3")) {
                assertThat(exchange(other)).startsWith("HTTP/1.1 200");
            }

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Socket again = connect("127.0.0.1")) {
                    return exchange(again).startsWith("HTTP/1.1 200");
                }
            });
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aTrustedProxyIsNotCappedWhileAnUntrustedAddressIs() throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3 * CAP; i++) {
                Socket socket = connect("127.0.0.2");
                assertThat(exchange(socket)).as("trusted connection %d", i).startsWith("HTTP/1.1 200");
                held.add(socket);
            }
            for (int i = 0; i < CAP; i++) {
                // the places of another test's connections come back as the gateway sees them close
                await().atMost(Duration.ofSeconds(10)).until(() -> served("127.0.0.1", held));
            }
            try (Socket beyond = connect("127.0.0.1")) {
                assertThat(exchange(beyond)).isEmpty();
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Whether a new connection from {@code from} is answered; kept open in {@code held} when it is. */
    private static boolean served(String from, List<Socket> held) throws IOException {
        Socket socket = connect(from);
        if (exchange(socket).startsWith("HTTP/1.1 200")) {
            held.add(socket);
            return true;
        }
        socket.close();
        return false;
    }

    private static Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port(80)), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends a request and returns the response head; empty when the connection is closed without an answer. */
    private static String exchange(Socket socket) {
        try {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return "";
                }
                head.append((char) b);
            }
            return head.toString();
        } catch (IOException e) {
            return "";
        }
    }
}
