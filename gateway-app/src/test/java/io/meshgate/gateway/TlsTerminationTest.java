package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Gateway servers terminate TLS with real handshakes: the certificate is chosen by SNI among the servers of a port
 * (and between an RSA and an ECDSA certificate of one server), a client without a matching name gets no handshake,
 * protocol versions stay within min and max, ALPN offers h2, WebSockets pass through, and an HTTP server with
 * {@code httpsRedirect} sends its clients to HTTPS. Client certificates: {@link TlsClientCertificateTest};
 * rotation: {@link TlsCredentialRotationTest}.
 */
class TlsTerminationTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-tls, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-shop, protocol: HTTPS}
                hosts: [shop.example.com]
                tls: {mode: SIMPLE, credentialName: shop-cert}
              - port: {number: 443, name: https-api, protocol: HTTPS}
                hosts: ["*.api.example.com"]
                tls: {mode: SIMPLE, credentialName: api-cert, minProtocolVersion: TLSV1_2}
              - port: {number: 443, name: https-dual, protocol: HTTPS}
                hosts: [dual.example.com]
                tls: {mode: SIMPLE, credentialNames: [dual-rsa, dual-ec]}
              - port: {number: 443, name: https-files, protocol: HTTPS}
                hosts: [files.example.com]
                tls:
                  mode: SIMPLE
                  tlsCertificates:
                  - {serverCertificate: pem/files-rsa.crt, privateKey: pem/files-rsa.key}
                  - {serverCertificate: pem/files-ec.crt, privateKey: pem/files-ec.key}
              - port: {number: 443, name: https-legacy, protocol: HTTPS}
                hosts: [legacy.example.com]
                tls: {mode: SIMPLE, credentialName: api-cert, maxProtocolVersion: TLSV1_2}
              - port: {number: 80, name: http-shop, protocol: HTTP}
                hosts: [shop.example.com]
                tls: {httpsRedirect: true}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: tls-routes, namespace: default}
            spec:
              hosts: [shop.example.com, "*.api.example.com", dual.example.com, files.example.com, legacy.example.com]
              gateways: [edge-tls]
              http:
              - match: [{uri: {prefix: /ws}}]
                route:
                - destination: {host: wsback}
              - route:
                - destination: {host: tlsback}
            """;

    @TempDir
    static Path config;
    private static Issued ca;
    private static reactor.netty.DisposableServer wsBackend;
    private static TestBackend backend;
    private static GatewayHarness gateway;
    private static TlsClient tls;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCertificates.ca("test server CA");
        Path credentials = config.resolve("credentials");
        TestCertificates.issue(ca, "shop", Algorithm.RSA, "shop.example.com")
                .writeSecret(credentials.resolve("shop-cert"), null);
        TestCertificates.issue(ca, "api", Algorithm.EC, "*.api.example.com")
                .writeSecret(credentials.resolve("api-cert"), null);
        TestCertificates.issue(ca, "dual-rsa", Algorithm.RSA, "dual.example.com")
                .writeSecret(credentials.resolve("dual-rsa"), null);
        TestCertificates.issue(ca, "dual-ec", Algorithm.EC, "dual.example.com")
                .writeSecret(credentials.resolve("dual-ec"), null);
        Files.createDirectories(config.resolve("pem"));
        for (Algorithm algorithm : Algorithm.values()) {
            String name = "files-" + algorithm.name().toLowerCase();
            Issued issued = TestCertificates.issue(ca, name, algorithm, "files.example.com");
            Files.writeString(config.resolve("pem/" + name + ".crt"), issued.certificatePem());
            Files.writeString(config.resolve("pem/" + name + ".key"), issued.keyPem());
        }
        wsBackend = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/ws", (in, out) -> out.sendString(in.receive().asString()
                        .map(text -> "echo " + text))))
                .bindNow();
        GatewayHarness.write(config, "wsback.yaml", GatewayHarness.serviceEntry("wsback",
                Map.of("v1", wsBackend.port())));
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        backend = new TestBackend("tls-back");
        GatewayHarness.write(config, "tlsback.yaml", GatewayHarness.serviceEntry("tlsback",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
        tls = new TlsClient(() -> gateway.port(443), ca);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        wsBackend.disposeNow();
    }

    @Test
    void theCertificateIsChosenBySniAndTheRequestIsProxiedAsHttps() throws Exception {
        try (SSLSocket shop = tls.handshake("shop.example.com", null, List.of())) {
            assertThat(TlsClient.subject(shop)).isEqualTo("CN=shop");
            assertThat(TlsClient.peer(shop).getPublicKey().getAlgorithm()).isEqualTo("RSA");
            TlsClient.Response response = TlsClient.get(shop, "shop.example.com", "/cart");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).contains("x-echo-x-forwarded-proto: https").contains("tls-back GET /cart");
        }
        try (SSLSocket api = tls.handshake("orders.api.example.com", null, List.of())) {
            assertThat(TlsClient.subject(api)).isEqualTo("CN=api");
            assertThat(TlsClient.peer(api).getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(TlsClient.get(api, "orders.api.example.com", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void httpsRedirectSendsPlainHttpToHttps() {
        var answer = gateway.client("shop.example.com:80").get().uri("/cart?item=7")
                .responseSingle((response, body) -> body.then(Mono.just(Map.entry(response.status().code(),
                        String.valueOf(response.responseHeaders().get("location"))))))
                .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo(Map.entry(301, "https://shop.example.com/cart?item=7"));
    }

    @Test
    void rsaAndEcdsaCertificatesSideBySideAreChosenByWhatTheClientAccepts() throws Exception {
        try (SSLSocket ec = tls.handshake("dual.example.com", null, List.of(),
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(TlsClient.subject(ec)).isEqualTo("CN=dual-ec");
        }
        try (SSLSocket rsa = tls.handshake("dual.example.com", null, List.of(),
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(TlsClient.subject(rsa)).isEqualTo("CN=dual-rsa");
            assertThat(TlsClient.get(rsa, "dual.example.com", "/").status()).isEqualTo(200);
        }
        try (SSLSocket ec = tls.handshake("files.example.com", null, List.of(),
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(TlsClient.subject(ec)).isEqualTo("CN=files-ec");
        }
        try (SSLSocket rsa = tls.handshake("files.example.com", null, List.of(),
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(TlsClient.subject(rsa)).isEqualTo("CN=files-rsa");
        }
    }

    @Test
    void aClientWithoutSniOrWithAnUnknownNameGetsNoHandshake() {
        assertThatThrownBy(() -> tls.handshake(null, null, List.of()).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tls.handshake("other.example.com", null, List.of()).close())
                .isInstanceOf(IOException.class);
    }

    @Test
    void alpnOffersHttp2() throws Exception {
        try (SSLSocket socket = tls.handshake("shop.example.com", null, List.of("h2", "http/1.1"))) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        }
        var version = HttpClient.create()
                .protocol(reactor.netty.http.HttpProtocol.H2)
                .secure(spec -> spec.sslContext(reactor.netty.http.Http2SslContextSpec.forClient()
                                .configure(builder -> builder.trustManager(ca.certificate())))
                        .serverNames(new SNIHostName("shop.example.com")))
                .headers(h -> h.set("Host", "shop.example.com"))
                .get().uri("https://127.0.0.1:" + gateway.port(443) + "/h2")
                .responseSingle((response, body) -> body.then(Mono.just(response.version().text())))
                .block(Duration.ofSeconds(10));
        assertThat(version).isEqualTo("HTTP/2.0");
    }

    @Test
    void protocolVersionsOutsideMinAndMaxGetNoHandshake() throws Exception {
        try (SSLSocket tls12 = tls.handshake("legacy.example.com", null, List.of(), null, "TLSv1.2")) {
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        assertThatThrownBy(() -> tls.handshake("legacy.example.com", null, List.of(), null, "TLSv1.3").close())
                .isInstanceOf(IOException.class);
        try (SSLSocket tls13 = tls.handshake("shop.example.com", null, List.of(), null, "TLSv1.3")) {
            assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void webSocketsPassThroughATlsListener() {
        String answer = HttpClient.create()
                .secure(spec -> spec.sslContext(reactor.netty.http.Http11SslContextSpec.forClient()
                                .configure(builder -> builder.trustManager(ca.certificate())))
                        .serverNames(new SNIHostName("shop.example.com")))
                .headers(h -> h.set("Host", "shop.example.com"))
                .websocket().uri("wss://127.0.0.1:" + gateway.port(443) + "/ws")
                .handle((in, out) -> out.sendString(Mono.just("over tls"))
                        .then().thenMany(in.receive().asString().take(1)))
                .blockFirst(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("echo over tls");
    }

}
