package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Gateway servers terminate TLS with real handshakes: the certificate is chosen by SNI among the servers of a port
 * (and between an RSA and an ECDSA certificate of one server), a client without a matching name gets no handshake, MUTUAL requires a client
 * certificate of the configured CA, ALPN offers h2, a replaced credential serves new handshakes within two
 * seconds while a broken one leaves the last good one serving, and an HTTP server with {@code httpsRedirect} sends
 * its clients to HTTPS.
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
              - port: {number: 443, name: https-secure, protocol: HTTPS}
                hosts: [secure.example.com]
                tls: {mode: MUTUAL, credentialName: secure-cert}
              - port: {number: 443, name: https-rotate, protocol: HTTPS}
                hosts: [rotate.example.com]
                tls: {mode: SIMPLE, credentialName: rotate-cert}
              - port: {number: 443, name: https-dual, protocol: HTTPS}
                hosts: [dual.example.com]
                tls: {mode: SIMPLE, credentialNames: [dual-rsa, dual-ec]}
              - port: {number: 443, name: https-swap, protocol: HTTPS}
                hosts: [swap.example.com]
                tls: {mode: SIMPLE, credentialName: swap-cert}
              - port: {number: 443, name: https-files, protocol: HTTPS}
                hosts: [files.example.com]
                tls:
                  mode: SIMPLE
                  tlsCertificates:
                  - {serverCertificate: pem/files-rsa.crt, privateKey: pem/files-rsa.key}
                  - {serverCertificate: pem/files-ec.crt, privateKey: pem/files-ec.key}
              - port: {number: 443, name: https-load, protocol: HTTPS}
                hosts: [load.example.com]
                tls: {mode: SIMPLE, credentialName: load-cert}
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
              hosts: [shop.example.com, "*.api.example.com", secure.example.com, rotate.example.com, dual.example.com,
                      swap.example.com, files.example.com, legacy.example.com, load.example.com]
              gateways: [edge-tls]
              http:
              - match: [{uri: {prefix: /ws}}]
                route:
                - destination: {host: wsback}
              - route:
                - destination: {host: tlsback}
            """;

    /** MUTUAL servers that want more than a chain to the CA: a SAN, or a pinned public key. */
    private static final String PINNED = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-pinned, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-san, protocol: HTTPS}
                hosts: [pinned.example.com]
                tls:
                  mode: MUTUAL
                  credentialName: pinned-cert
                  subjectAltNames: [spiffe://cluster.local/ns/default/sa/allowed]
              - port: {number: 443, name: https-spki, protocol: HTTPS}
                hosts: [spki.example.com]
                tls:
                  mode: MUTUAL
                  credentialName: pinned-cert
                  verifyCertificateSpki: [%s]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: pinned-routes, namespace: default}
            spec:
              hosts: [pinned.example.com, spki.example.com]
              gateways: [edge-pinned]
              http:
              - route:
                - destination: {host: tlsback}
            """;

    @TempDir
    static Path config;
    private static Issued ca;
    private static Issued clientCa;
    private static Issued client;
    private static TestBackend backend;
    private static reactor.netty.DisposableServer wsBackend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        ca = TestCertificates.ca("test server CA");
        clientCa = TestCertificates.ca("test client CA");
        client = TestCertificates.issue(clientCa, "client-1", Algorithm.EC);
        Path credentials = config.resolve("credentials");
        TestCertificates.issue(ca, "shop", Algorithm.RSA, "shop.example.com")
                .writeSecret(credentials.resolve("shop-cert"), null);
        TestCertificates.issue(ca, "api", Algorithm.EC, "*.api.example.com")
                .writeSecret(credentials.resolve("api-cert"), null);
        TestCertificates.issue(ca, "secure", Algorithm.EC, "secure.example.com")
                .writeSecret(credentials.resolve("secure-cert"), clientCa);
        TestCertificates.issue(ca, "rotate", Algorithm.RSA, "rotate.example.com")
                .writeSecret(credentials.resolve("rotate-cert"), null);
        TestCertificates.issue(ca, "load-1", Algorithm.RSA, "load.example.com")
                .writeSecret(credentials.resolve("load-cert"), null);
        secretVolume(credentials.resolve("swap-cert"), "..v1",
                TestCertificates.issue(ca, "swap-1", Algorithm.EC, "swap.example.com"));
        try {
            Files.createDirectories(config.resolve("pem"));
            for (Algorithm algorithm : Algorithm.values()) {
                String name = "files-" + algorithm.name().toLowerCase();
                Issued issued = TestCertificates.issue(ca, name, algorithm, "files.example.com");
                Files.writeString(config.resolve("pem/" + name + ".crt"), issued.certificatePem());
                Files.writeString(config.resolve("pem/" + name + ".key"), issued.keyPem());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TestCertificates.issue(ca, "dual-rsa", Algorithm.RSA, "dual.example.com")
                .writeSecret(credentials.resolve("dual-rsa"), null);
        TestCertificates.issue(ca, "dual-ec", Algorithm.EC, "dual.example.com")
                .writeSecret(credentials.resolve("dual-ec"), null);
        backend = new TestBackend("tls-back");
        wsBackend = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/ws", (in, out) -> out.sendString(in.receive().asString()
                        .map(text -> "echo " + text))))
                .bindNow();
        GatewayHarness.write(config, "wsback.yaml", GatewayHarness.serviceEntry("wsback",
                Map.of("v1", wsBackend.port())));
        String spki = java.util.Base64.getEncoder().encodeToString(sha256(client.certificate().getPublicKey()
                .getEncoded()));
        TestCertificates.issue(ca, "pinned", Algorithm.EC, "pinned.example.com", "spki.example.com")
                .writeSecret(credentials.resolve("pinned-cert"), clientCa);
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        GatewayHarness.write(config, "pinned.yaml", PINNED.formatted(spki));
        GatewayHarness.write(config, "tlsback.yaml", GatewayHarness.serviceEntry("tlsback",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        wsBackend.disposeNow();
    }

    @Test
    void theCertificateIsChosenBySniAndTheRequestIsProxiedAsHttps() throws Exception {
        try (SSLSocket shop = handshake("shop.example.com", null, List.of())) {
            assertThat(subject(shop)).isEqualTo("CN=shop");
            assertThat(peer(shop).getPublicKey().getAlgorithm()).isEqualTo("RSA");
            Response response = get(shop, "shop.example.com", "/cart");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).contains("x-echo-x-forwarded-proto: https").contains("tls-back GET /cart");
        }
        try (SSLSocket api = handshake("orders.api.example.com", null, List.of())) {
            assertThat(subject(api)).isEqualTo("CN=api");
            assertThat(peer(api).getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(get(api, "orders.api.example.com", "/").status()).isEqualTo(200);
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
        try (SSLSocket ec = handshake("dual.example.com", null, List.of(),
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(subject(ec)).isEqualTo("CN=dual-ec");
        }
        try (SSLSocket rsa = handshake("dual.example.com", null, List.of(),
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(subject(rsa)).isEqualTo("CN=dual-rsa");
            assertThat(get(rsa, "dual.example.com", "/").status()).isEqualTo(200);
        }
        try (SSLSocket ec = handshake("files.example.com", null, List.of(),
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(subject(ec)).isEqualTo("CN=files-ec");
        }
        try (SSLSocket rsa = handshake("files.example.com", null, List.of(),
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(subject(rsa)).isEqualTo("CN=files-rsa");
        }
    }

    @Test
    void aClientWithoutSniOrWithAnUnknownNameGetsNoHandshake() {
        assertThatThrownBy(() -> handshake(null, null, List.of()).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> handshake("other.example.com", null, List.of()).close())
                .isInstanceOf(IOException.class);
    }

    @Test
    void alpnOffersHttp2() throws Exception {
        try (SSLSocket socket = handshake("shop.example.com", null, List.of("h2", "http/1.1"))) {
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
        try (SSLSocket tls12 = handshake("legacy.example.com", null, List.of(), null, "TLSv1.2")) {
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        assertThatThrownBy(() -> handshake("legacy.example.com", null, List.of(), null, "TLSv1.3").close())
                .isInstanceOf(IOException.class);
        try (SSLSocket tls13 = handshake("shop.example.com", null, List.of(), null, "TLSv1.3")) {
            assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void anExpiredClientCertificateIsRefused() {
        Issued expired = TestCertificates.issue(clientCa, "expired", Algorithm.EC, Duration.ofSeconds(-30));

        assertThatThrownBy(() -> {
            try (SSLSocket socket = handshake("secure.example.com", expired, List.of())) {
                get(socket, "secure.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void rotationUnderLoadFailsNoRequest() throws Exception {
        Path dir = config.resolve("credentials").resolve("load-cert");
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        Thread load = new Thread(() -> {
            for (int i = 0; i < 150; i++) {
                try (SSLSocket socket = handshake("load.example.com", null, List.of())) {
                    if (get(socket, "load.example.com", "/load").status() == 200) {
                        served.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        });
        load.start();
        for (int i = 2; i <= 4 && load.isAlive(); i++) {
            Issued next = TestCertificates.issue(ca, "load-" + i, i % 2 == 0 ? Algorithm.EC : Algorithm.RSA,
                    "load.example.com");
            TestCertificates.write(dir, "tls.key", next.keyPem());
            TestCertificates.write(dir, "tls.crt", next.certificatePem());
            String expected = "CN=load-" + i;
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (SSLSocket fresh = handshake("load.example.com", null, List.of())) {
                    return subject(fresh).equals(expected);
                }
            });
        }
        load.join(60_000);

        assertThat(failures.get()).isZero();
        assertThat(served.get()).isEqualTo(150);
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

    @Test
    void mutualTlsNeedsAClientCertificateOfTheConfiguredCa() throws Exception {
        try (SSLSocket socket = handshake("secure.example.com", client, List.of())) {
            assertThat(get(socket, "secure.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = handshake("secure.example.com", null, List.of())) {
                get(socket, "secure.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
        Issued stranger = TestCertificates.issue(TestCertificates.ca("other CA"), "stranger", Algorithm.EC);
        assertThatThrownBy(() -> {
            try (SSLSocket socket = handshake("secure.example.com", stranger, List.of())) {
                get(socket, "secure.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void clientCertificatesAreCheckedForSubjectAltNamesAndPinnedKeys() throws Exception {
        Issued allowed = TestCertificates.issue(clientCa, "allowed", Algorithm.EC,
                "spiffe://cluster.local/ns/default/sa/allowed");
        Issued other = TestCertificates.issue(clientCa, "other", Algorithm.EC,
                "spiffe://cluster.local/ns/default/sa/other");
        try (SSLSocket socket = handshake("pinned.example.com", allowed, List.of())) {
            assertThat(get(socket, "pinned.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = handshake("pinned.example.com", other, List.of())) {
                get(socket, "pinned.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
        try (SSLSocket socket = handshake("spki.example.com", client, List.of())) {
            assertThat(get(socket, "spki.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = handshake("spki.example.com", allowed, List.of())) {
                get(socket, "spki.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRotatedCertificateServesNewHandshakesAndOldConnectionsKeepWorking() throws Exception {
        Path dir = config.resolve("credentials").resolve("rotate-cert");
        try (SSLSocket old = handshake("rotate.example.com", null, List.of())) {
            assertThat(get(old, "rotate.example.com", "/before").status()).isEqualTo(200);
            Issued rotated = TestCertificates.issue(ca, "rotate-2", Algorithm.EC, "rotate.example.com");
            TestCertificates.write(dir, "tls.key", rotated.keyPem());
            TestCertificates.write(dir, "tls.crt", rotated.certificatePem());

            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (SSLSocket fresh = handshake("rotate.example.com", null, List.of())) {
                    return subject(fresh).equals("CN=rotate-2");
                }
            });
            assertThat(subject(old)).isEqualTo("CN=rotate");
            assertThat(get(old, "rotate.example.com", "/after").status()).isEqualTo(200);
        }
    }

    /**
     * Writes a credential as Kubernetes mounts a Secret: the files in a versioned directory, {@code ..data} a link
     * to it, and {@code tls.crt}, {@code tls.key} links through {@code ..data}. An update writes a new version and
     * swaps {@code ..data} in one rename.
     */
    private static void secretVolume(Path dir, String version, Issued credential) {
        try {
            credential.writeSecret(dir.resolve(version), null);
            Path swap = dir.resolve("..data_tmp");
            Files.deleteIfExists(swap);
            Files.createSymbolicLink(swap, Path.of(version));
            Files.move(swap, dir.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (String file : List.of("tls.crt", "tls.key")) {
                if (!Files.exists(dir.resolve(file), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(dir.resolve(file), Path.of("..data", file));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSecretVolumeUpdateServesTheNewCertificate() throws Exception {
        secretVolume(config.resolve("credentials").resolve("swap-cert"), "..v2",
                TestCertificates.issue(ca, "swap-2", Algorithm.EC, "swap.example.com"));

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (SSLSocket fresh = handshake("swap.example.com", null, List.of())) {
                return subject(fresh).equals("CN=swap-2");
            }
        });
    }

    @Test
    void aBrokenCredentialLeavesTheLastGoodOneServingAndIsReported() throws Exception {
        Path dir = config.resolve("credentials").resolve("api-cert");
        TestCertificates.write(dir, "tls.crt", "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");

        await().atMost(Duration.ofSeconds(5)).until(() -> gatewayConfig().contains("not PEM X.509"));
        try (SSLSocket api = handshake("orders.api.example.com", null, List.of())) {
            assertThat(subject(api)).isEqualTo("CN=api");
        }
        TestCertificates.issue(ca, "api", Algorithm.EC, "*.api.example.com").writeSecret(dir, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> !gatewayConfig().contains("not PEM X.509"));
    }

    @Test
    void expiryAndProviderAreMetrics() {
        String metrics = management("/actuator/prometheus");

        assertThat(metrics).containsPattern(
                "meshgate_tls_certificate_expiry_seconds\\{credential=\"secure-cert\",server=\"[^\"]+\"} 259\\d{4}\\.0");
        // BoringSSL through netty-tcnative where the platform has it (Linux x86-64 and arm64), else the JDK
        String provider = io.netty.handler.ssl.OpenSsl.isAvailable() ? "OPENSSL" : "JDK";
        assertThat(metrics).contains("meshgate_tls_provider{provider=\"" + provider + "\"} 1.0");
    }

    private static String gatewayConfig() {
        return management("/actuator/gatewayconfig");
    }

    private static String management(String path) {
        return HttpClient.create().get().uri("http://127.0.0.1:" + gateway.managementPort() + path)
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    /** A TLS connection to Gateway port 443 that trusts the test CA, with the given SNI name (none if null). */
    private static SSLSocket handshake(String serverName, Issued clientCertificate, List<String> alpn)
            throws Exception {
        return handshake(serverName, clientCertificate, alpn, null);
    }

    /** The same, limited to TLS 1.2 and one cipher suite when {@code tls12Suite} is given. */
    private static SSLSocket handshake(String serverName, Issued clientCertificate, List<String> alpn,
            String tls12Suite) throws Exception {
        return handshake(serverName, clientCertificate, alpn, tls12Suite, null);
    }

    /** The same, limited to one protocol version when {@code protocol} is given. */
    private static SSLSocket handshake(String serverName, Issued clientCertificate, List<String> alpn,
            String tls12Suite, String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (clientCertificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", clientCertificate.keys().getPrivate(), new char[0],
                    new X509Certificate[] {clientCertificate.certificate()});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port(443));
        socket.setSoTimeout(5000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (!alpn.isEmpty()) {
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        if (tls12Suite != null) {
            parameters.setProtocols(new String[] {"TLSv1.2"});
            parameters.setCipherSuites(new String[] {tls12Suite});
        }
        if (protocol != null) {
            parameters.setProtocols(new String[] {protocol});
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private static X509Certificate peer(SSLSocket socket) throws Exception {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private static String subject(SSLSocket socket) throws Exception {
        return peer(socket).getSubjectX500Principal().getName();
    }

    private record Response(int status, String text) {
    }

    /** One HTTP/1.1 request on the connection, keeping it open; the response is read to its Content-Length. */
    private static Response get(SSLSocket socket, String host, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        int status = Integer.parseInt(headers.substring(9, 12));
        return new Response(status, headers.toLowerCase() + new String(body, StandardCharsets.UTF_8));
    }
}
