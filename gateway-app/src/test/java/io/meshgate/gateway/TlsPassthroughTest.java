package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

/**
 * TLS passthrough with real handshakes: the client handshakes through the gateway with the backend its SNI name
 * routes to (it sees the backend's certificate, never a gateway one), by exact and wildcard names; a name no route
 * takes, a client without SNI and a backend that is down each get their connection closed with no data; a large
 * transfer arrives intact both ways, and a half-close goes through while the answer comes back; a port that also
 * terminates TLS lets the SNI name decide; metrics count it all.
 * Reloads: {@link TlsPassthroughReloadTest}.
 */
class TlsPassthroughTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-pass, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: tls, protocol: TLS}
                hosts: [a.example.com, b.example.com, "*.wild.example.com", down.example.com, metrics.example.com,
                  raw.example.com]
                tls: {mode: PASSTHROUGH}
              - port: {number: 8080, name: https-shop, protocol: HTTPS}
                hosts: [shop.example.com]
                tls: {mode: SIMPLE, credentialName: shop-cert}
              - port: {number: 8080, name: https-db, protocol: HTTPS}
                hosts: [db.example.com]
                tls: {mode: PASSTHROUGH}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: passthrough, namespace: default}
            spec:
              hosts: [a.example.com, b.example.com, "*.wild.example.com", down.example.com, metrics.example.com,
                db.example.com, raw.example.com]
              gateways: [edge-pass]
              tls:
              - match: [{sniHosts: [a.example.com]}]
                route: [{destination: {host: backend-a.internal}}]
              - match: [{sniHosts: [b.example.com]}]
                route: [{destination: {host: backend-b.internal}}]
              - match: [{sniHosts: ["*.wild.example.com"]}]
                route: [{destination: {host: backend-wild.internal}}]
              - match: [{sniHosts: [down.example.com]}]
                route: [{destination: {host: backend-down.internal}}]
              - match: [{sniHosts: [metrics.example.com]}]
                route: [{destination: {host: backend-metrics.internal}}]
              - match: [{sniHosts: [raw.example.com]}]
                route: [{destination: {host: backend-raw.internal}}]
              - match: [{sniHosts: [db.example.com], port: 8080}]
                route: [{destination: {host: backend-a.internal}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [shop.example.com]
              gateways: [edge-pass]
              http:
              - directResponse: {status: 200, body: {string: "served by the gateway"}}
            """;

    @TempDir
    static Path config;
    private static Issued ca;
    private static TlsEchoBackend backendA;
    private static TlsEchoBackend backendB;
    private static TlsEchoBackend backendWild;
    private static TlsEchoBackend backendMetrics;
    private static ServerSocket backendRaw;
    private static GatewayHarness gateway;
    private static TlsClient tls;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCertificates.ca("test CA");
        backendA = new TlsEchoBackend(TestCertificates.issue(ca, "backend-a", Algorithm.EC, "a.example.com",
                "db.example.com"));
        backendB = new TlsEchoBackend(TestCertificates.issue(ca, "backend-b", Algorithm.EC, "b.example.com"));
        backendWild = new TlsEchoBackend(TestCertificates.issue(ca, "backend-wild", Algorithm.RSA,
                "*.wild.example.com"));
        backendMetrics = new TlsEchoBackend(TestCertificates.issue(ca, "backend-metrics", Algorithm.EC,
                "metrics.example.com"));
        TestCertificates.issue(ca, "shop", Algorithm.EC, "shop.example.com")
                .writeSecret(config.resolve("credentials").resolve("shop-cert"), null);
        backendRaw = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread raw = new Thread(TlsPassthroughTest::countUntilEndOfInput, "raw-backend");
        raw.setDaemon(true);
        raw.start();
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0)) {
            closedPort = closed.getLocalPort();
        }
        GatewayHarness.write(config, "backends.yaml", String.join("---\n", backendA.serviceEntry("backend-a"),
                backendB.serviceEntry("backend-b"), backendWild.serviceEntry("backend-wild"),
                backendMetrics.serviceEntry("backend-metrics"), TlsEchoBackend.serviceEntry("backend-down",
                        closedPort), TlsEchoBackend.serviceEntry("backend-raw", backendRaw.getLocalPort())));
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        gateway = new GatewayHarness(config);
        tls = new TlsClient(() -> gateway.port(443), ca);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backendA.close();
        backendB.close();
        backendWild.close();
        backendMetrics.close();
        try {
            backendRaw.close();
        } catch (IOException e) {
            // the test is over
        }
    }

    /** The raw backend: reads a connection to its end, answers how many bytes came, and closes it. */
    private static void countUntilEndOfInput() {
        while (!backendRaw.isClosed()) {
            try (Socket connection = backendRaw.accept()) {
                int count = connection.getInputStream().readAllBytes().length;
                connection.getOutputStream().write(("got " + count + " bytes").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    @Test
    void theClientHandshakesWithTheBackendItsServerNameRoutesTo() throws Exception {
        try (SSLSocket a = tls.handshake("a.example.com", null, List.of())) {
            assertThat(TlsClient.subject(a)).isEqualTo("CN=backend-a");
            assertThat(echo(a, "hello a")).isEqualTo("hello a");
        }
        try (SSLSocket b = tls.handshake("b.example.com", null, List.of())) {
            assertThat(TlsClient.subject(b)).isEqualTo("CN=backend-b");
            assertThat(echo(b, "hello b")).isEqualTo("hello b");
        }
    }

    @Test
    void aWildcardSniHostTakesEveryNameUnderIt() throws Exception {
        try (SSLSocket wild = tls.handshake("x.wild.example.com", null, List.of())) {
            assertThat(TlsClient.subject(wild)).isEqualTo("CN=backend-wild");
            assertThat(echo(wild, "hello wildcard")).isEqualTo("hello wildcard");
        }
    }

    @Test
    void aNameNoRouteTakesAndAClientWithoutSniAreClosedWithNoData() throws Exception {
        assertClosedWithoutData(gateway.port(443), clientHello("unknown.example.com"));
        assertClosedWithoutData(gateway.port(443), clientHello("wild.example.com"));
        assertClosedWithoutData(gateway.port(443), clientHello(null));
        assertClosedWithoutData(gateway.port(443), "GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aBackendThatIsDownGetsTheConnectionClosed() throws Exception {
        assertClosedWithoutData(gateway.port(443), clientHello("down.example.com"));
    }

    @Test
    void aLargeTransferArrivesIntactBothWays() throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        try (SSLSocket a = tls.handshake("a.example.com", null, List.of())) {
            a.setSoTimeout(30_000);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = a.getOutputStream();
                    for (int offset = 0; offset < payload.length; offset += 64 * 1024) {
                        out.write(payload, offset, Math.min(64 * 1024, payload.length - offset));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] echoed = a.getInputStream().readNBytes(payload.length);
            sending.get(30, TimeUnit.SECONDS);
            assertThat(echoed.length).isEqualTo(payload.length);
            assertThat(MessageDigest.getInstance("SHA-256").digest(echoed))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
        }
    }

    @Test
    void theClientHelloIsReplayedAndAHalfCloseGoesThroughWhileTheAnswerComesBack() throws Exception {
        byte[] hello = clientHello("raw.example.com");
        try (Socket socket = new Socket("127.0.0.1", gateway.port(443))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(hello);
            socket.getOutputStream().write("and more".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("got " + (hello.length + 8) + " bytes");
        }
    }

    @Test
    void onAPortThatAlsoTerminatesTlsTheServerNameDecides() throws Exception {
        TlsClient mixed = new TlsClient(() -> gateway.port(8080), ca);
        try (SSLSocket shop = mixed.handshake("shop.example.com", null, List.of())) {
            assertThat(TlsClient.subject(shop)).isEqualTo("CN=shop");
            TlsClient.Response response = TlsClient.get(shop, "shop.example.com", "/");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).contains("served by the gateway");
        }
        try (SSLSocket db = mixed.handshake("db.example.com", null, List.of())) {
            assertThat(TlsClient.subject(db)).isEqualTo("CN=backend-a");
            assertThat(echo(db, "hello db")).isEqualTo("hello db");
        }
    }

    @Test
    void connectionsAndBytesAreCountedAsIstioTcpMetrics() throws Exception {
        try (SSLSocket relayed = tls.handshake("metrics.example.com", null, List.of())) {
            assertThat(echo(relayed, "x".repeat(5000))).hasSize(5000);
        }
        assertClosedWithoutData(gateway.port(443), clientHello("nobody.example.com"));
        assertClosedWithoutData(gateway.port(443), clientHello("down.example.com"));

        String service = "destination_service=\"backend-metrics.internal\"[^}]*";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = metrics();
            assertThat(value(metrics, "istio_tcp_connections_opened_total\\{" + service + "response_flags=\"-\""))
                    .isEqualTo(1.0);
            assertThat(value(metrics, "istio_tcp_connections_closed_total\\{" + service + "response_flags=\"-\""))
                    .isEqualTo(1.0);
            assertThat(value(metrics, "istio_tcp_received_bytes_total\\{" + service)).isGreaterThan(5000.0);
            assertThat(value(metrics, "istio_tcp_sent_bytes_total\\{" + service)).isGreaterThan(5000.0);
            assertThat(value(metrics, "istio_tcp_connections_closed_total\\{destination_service=\"unknown\""
                    + "[^}]*request_protocol=\"tcp\",response_flags=\"NR\"")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "istio_tcp_connections_closed_total\\{destination_service="
                    + "\"backend-down.internal\"[^}]*response_flags=\"UF\"")).isGreaterThanOrEqualTo(1.0);
        });
    }

    /** Writes a line and reads back as many bytes: the backends echo. */
    static String echo(SSLSocket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    /** The first flight of a TLS client: a ClientHello with the given SNI name, or none. */
    static byte[] clientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /** Sends the bytes on a plain socket and expects the gateway to close the connection without a byte back. */
    static void assertClosedWithoutData(int port, byte[] firstBytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(firstBytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("first byte back").isEqualTo(-1);
        }
    }

    private static double value(String metrics, String seriesPattern) {
        Matcher matcher = Pattern.compile("(?m)^" + seriesPattern + "[^}]*} ([0-9.E]+)$").matcher(metrics);
        assertThat(matcher.find()).as(seriesPattern).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static String metrics() {
        return HttpClient.create().get().uri("http://127.0.0.1:" + gateway.managementPort() + "/actuator/prometheus")
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }
}
