package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DestinationRule of a TLS passthrough destination governs its relayed connections as it governs requests: the
 * load balancer picks the endpoint (round robin; {@code consistentHash.useSourceIp} keeps a client address on one
 * endpoint), outlier detection ejects an endpoint whose connections fail, {@code tcp.maxConnections} closes the
 * connections beyond it, and {@code tcp.idleTimeout} closes a connection on which nothing has moved for that long,
 * never one that is in use. The backends are plain TCP servers that say their name and echo; the client sends a
 * ClientHello, which the gateway routes by its SNI name and replays to the backend.
 */
class TlsPassthroughPolicyTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-pass, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: tls, protocol: TLS}
                hosts: [rr.example.com, hash.example.com, od.example.com, limit.example.com, idle.example.com]
                tls: {mode: PASSTHROUGH}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: passthrough, namespace: default}
            spec:
              hosts: [rr.example.com, hash.example.com, od.example.com, limit.example.com, idle.example.com]
              gateways: [edge-pass]
              tls:
              - match: [{sniHosts: [rr.example.com]}]
                route: [{destination: {host: rr.internal}}]
              - match: [{sniHosts: [hash.example.com]}]
                route: [{destination: {host: hash.internal}}]
              - match: [{sniHosts: [od.example.com]}]
                route: [{destination: {host: od.internal}}]
              - match: [{sniHosts: [limit.example.com]}]
                route: [{destination: {host: limit.internal}}]
              - match: [{sniHosts: [idle.example.com]}]
                route: [{destination: {host: idle.internal}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: rr, namespace: default}
            spec:
              host: rr.internal
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: hash, namespace: default}
            spec:
              host: hash.internal
              trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: od, namespace: default}
            spec:
              host: od.internal
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                outlierDetection: {consecutiveGatewayErrors: 1, interval: 1s, baseEjectionTime: 5m,
                  maxEjectionPercent: 100}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: limit, namespace: default}
            spec:
              host: limit.internal
              trafficPolicy: {connectionPool: {tcp: {maxConnections: 2}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: idle, namespace: default}
            spec:
              host: idle.internal
              trafficPolicy: {connectionPool: {tcp: {idleTimeout: 1s}}}
            """;

    @TempDir
    static Path config;
    private static final List<NamedBackend> backends = new ArrayList<>();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0)) {
            closedPort = closed.getLocalPort();
        }
        GatewayHarness.write(config, "backends.yaml", String.join("---\n",
                serviceEntry("rr", backend("rr-1"), backend("rr-2"), backend("rr-3")),
                serviceEntry("hash", backend("hash-1"), backend("hash-2"), backend("hash-3"), backend("hash-4")),
                serviceEntry("od", backend("od-1"), closedPort, backend("od-2")),
                serviceEntry("limit", backend("limit-1")),
                serviceEntry("idle", backend("idle-1"))));
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backends.forEach(NamedBackend::close);
    }

    @Test
    void roundRobinTakesEachEndpointInTurn() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            try (Socket socket = relay("rr.example.com", InetAddress.getLoopbackAddress())) {
                counts.merge(name(socket), 1, Integer::sum);
            }
        }

        assertThat(counts).containsOnly(Map.entry("rr-1", 3), Map.entry("rr-2", 3), Map.entry("rr-3", 3));
    }

    @Test
    void useSourceIpKeepsEachClientAddressOnOneEndpoint() throws Exception {
        Set<String> used = new HashSet<>();
        for (int client = 2; client <= 21; client++) {
            InetAddress source = InetAddress.getByName("127.0.0." + client);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                try (Socket socket = relay("hash.example.com", source)) {
                    seen.add(name(socket));
                }
            }
            assertThat(seen).as("endpoints of client %s", source).hasSize(1);
            used.addAll(seen);
        }

        // 20 addresses over 4 endpoints: all on one would mean the address is not hashed
        assertThat(used).hasSizeGreaterThan(1);
    }

    @Test
    void anEndpointWhoseConnectionsFailIsEjected() throws Exception {
        int failed = 0;
        for (int i = 0; i < 3; i++) {
            failed += tryRelay("od.example.com") == null ? 1 : 0;
        }
        assertThat(failed).as("round robin reaches the closed endpoint once in three").isEqualTo(1);

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String name = tryRelay("od.example.com");
            assertThat(name).as("connection %d after the ejection", i).isNotNull();
            counts.merge(name, 1, Integer::sum);
        }
        assertThat(counts).containsOnly(Map.entry("od-1", 10), Map.entry("od-2", 10));
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosed() throws Exception {
        try (Socket first = relay("limit.example.com", InetAddress.getLoopbackAddress());
                Socket second = relay("limit.example.com", InetAddress.getLoopbackAddress())) {
            assertThat(name(first)).isEqualTo("limit-1");
            assertThat(name(second)).isEqualTo("limit-1");

            try (Socket third = relay("limit.example.com", InetAddress.getLoopbackAddress())) {
                assertThat(third.getInputStream().read()).as("first byte on the third connection").isEqualTo(-1);
            }
            assertThat(echo(first, "still open")).isEqualTo("still open");
        }
        // the two closed: their places are free again (the gateway sees the close a moment later)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String name = null;
        while (name == null && System.nanoTime() < deadline) {
            name = tryRelay("limit.example.com");
        }
        assertThat(name).isEqualTo("limit-1");
    }

    @Test
    void anIdleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        try (Socket busy = relay("idle.example.com", InetAddress.getLoopbackAddress());
                Socket idle = relay("idle.example.com", InetAddress.getLoopbackAddress())) {
            name(busy);
            name(idle);
            long opened = System.nanoTime();
            // a byte each 300 ms both ways for 2.4 s, over twice the idle timeout
            for (int i = 0; i < 8; i++) {
                Thread.sleep(300);
                assertThat(echo(busy, "x")).isEqualTo("x");
            }

            idle.setSoTimeout(1);
            assertThat(idle.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
            assertThat(System.nanoTime() - opened).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1000));

            busy.setSoTimeout(5_000);
            long quiet = System.nanoTime();
            assertThat(busy.getInputStream().read()).as("the busy one, once quiet").isEqualTo(-1);
            assertThat(System.nanoTime() - quiet).isBetween(TimeUnit.MILLISECONDS.toNanos(700),
                    TimeUnit.MILLISECONDS.toNanos(3000));
        }
    }

    /** A relayed connection from {@code source}, routed by the SNI name of the ClientHello it sends. */
    private static Socket relay(String serverName, InetAddress source) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port(443), source, 0);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(TlsPassthroughTest.clientHello(serverName));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The name of the backend a new connection reaches, or {@code null} when the gateway closes it. */
    private static String tryRelay(String serverName) throws Exception {
        try (Socket socket = relay(serverName, InetAddress.getLoopbackAddress())) {
            byte[] name = socket.getInputStream().readNBytes(NamedBackend.NAME_LENGTH);
            return name.length == 0 ? null : new String(name, StandardCharsets.US_ASCII).strip();
        }
    }

    /** What the backend says first: its name. */
    private static String name(Socket socket) throws IOException {
        byte[] name = socket.getInputStream().readNBytes(NamedBackend.NAME_LENGTH);
        assertThat(name).as("backend name").hasSize(NamedBackend.NAME_LENGTH);
        return new String(name, StandardCharsets.US_ASCII).strip();
    }

    private static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }

    private static int backend(String name) throws IOException {
        NamedBackend backend = new NamedBackend(name);
        backends.add(backend);
        return backend.port();
    }

    private static String serviceEntry(String name, int... ports) {
        StringBuilder endpoints = new StringBuilder();
        for (int port : ports) {
            endpoints.append("  - {address: 127.0.0.1, ports: {tls: ").append(port).append("}}\n");
        }
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: default}
                spec:
                  hosts: [%1$s.internal]
                  ports: [{number: 443, name: tls, protocol: TLS}]
                  resolution: STATIC
                  endpoints:
                """.formatted(name) + endpoints;
    }

    /**
     * A TCP backend on 127.0.0.1 that writes its name (padded to {@link #NAME_LENGTH} bytes) on each connection,
     * reads the replayed ClientHello (one TLS record) and then echoes what it reads.
     */
    private static final class NamedBackend implements AutoCloseable {

        static final int NAME_LENGTH = 8;

        private final ServerSocket server;

        NamedBackend(String name) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            byte[] padded = String.format("%-" + NAME_LENGTH + "s", name).getBytes(StandardCharsets.US_ASCII);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket connection = server.accept();
                        Thread serving = new Thread(() -> serve(connection, padded), "backend-" + name + "-conn");
                        serving.setDaemon(true);
                        serving.start();
                    } catch (IOException e) {
                        // closed: the loop ends
                    }
                }
            }, "backend-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(Socket connection, byte[] name) {
            try (connection) {
                OutputStream out = connection.getOutputStream();
                out.write(name);
                out.flush();
                DataInputStream in = new DataInputStream(connection.getInputStream());
                byte[] header = new byte[5];
                in.readFully(header);
                in.readFully(new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)]);
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the gateway closed the connection
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // the test is over
            }
        }
    }
}
