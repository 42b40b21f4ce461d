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
 * MUTUAL Gateway servers accept only client certificates of the configured CA that are valid and, when the server
 * lists them, carry one of its subject alternative names or match its pinned public keys, and are not on the CA's
 * revocation list (which is reloaded when it changes); the certificates served
 * show up as expiry metrics.
 */
class TlsClientCertificateTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-tls, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-secure, protocol: HTTPS}
                hosts: [secure.example.com]
                tls: {mode: MUTUAL, credentialName: secure-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: tls-routes, namespace: default}
            spec:
              hosts: [secure.example.com]
              gateways: [edge-tls]
              http:
              - route:
                - destination: {host: tlsback}
            """;

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
              - port: {number: 443, name: https-crl, protocol: HTTPS}
                hosts: [crl.example.com]
                tls: {mode: MUTUAL, credentialName: crl-cert}
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
              hosts: [pinned.example.com, spki.example.com, crl.example.com]
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
    private static Issued revoked;
    private static TestBackend backend;
    private static GatewayHarness gateway;
    private static TlsClient tls;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCertificates.ca("test server CA");
        Path credentials = config.resolve("credentials");
        clientCa = TestCertificates.ca("test client CA");
        client = TestCertificates.issue(clientCa, "client-1", Algorithm.EC);
        TestCertificates.issue(ca, "secure", Algorithm.EC, "secure.example.com")
                .writeSecret(credentials.resolve("secure-cert"), clientCa);
        String spki = java.util.Base64.getEncoder().encodeToString(sha256(client.certificate().getPublicKey()
                .getEncoded()));
        TestCertificates.issue(ca, "pinned", Algorithm.EC, "pinned.example.com", "spki.example.com")
                .writeSecret(credentials.resolve("pinned-cert"), clientCa);
        revoked = TestCertificates.issue(clientCa, "revoked", Algorithm.EC);
        Path crlCredential = credentials.resolve("crl-cert");
        TestCertificates.issue(ca, "crl", Algorithm.EC, "crl.example.com").writeSecret(crlCredential, clientCa);
        Files.writeString(crlCredential.resolve("ca.crl"), TestCertificates.crl(clientCa, revoked));
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        GatewayHarness.write(config, "pinned.yaml", PINNED.formatted(spki));
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
    }

    @Test
    void mutualTlsNeedsAClientCertificateOfTheConfiguredCa() throws Exception {
        try (SSLSocket socket = tls.handshake("secure.example.com", client, List.of())) {
            assertThat(TlsClient.get(socket, "secure.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("secure.example.com", null, List.of())) {
                TlsClient.get(socket, "secure.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
        Issued stranger = TestCertificates.issue(TestCertificates.ca("other CA"), "stranger", Algorithm.EC);
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("secure.example.com", stranger, List.of())) {
                TlsClient.get(socket, "secure.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void clientCertificatesAreCheckedForSubjectAltNamesAndPinnedKeys() throws Exception {
        Issued allowed = TestCertificates.issue(clientCa, "allowed", Algorithm.EC,
                "spiffe://cluster.local/ns/default/sa/allowed");
        Issued other = TestCertificates.issue(clientCa, "other", Algorithm.EC,
                "spiffe://cluster.local/ns/default/sa/other");
        try (SSLSocket socket = tls.handshake("pinned.example.com", allowed, List.of())) {
            assertThat(TlsClient.get(socket, "pinned.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("pinned.example.com", other, List.of())) {
                TlsClient.get(socket, "pinned.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
        try (SSLSocket socket = tls.handshake("spki.example.com", client, List.of())) {
            assertThat(TlsClient.get(socket, "spki.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("spki.example.com", allowed, List.of())) {
                TlsClient.get(socket, "spki.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void aRevokedClientCertificateIsRefusedAndANewRevocationListTakesEffect() throws Exception {
        try (SSLSocket socket = tls.handshake("crl.example.com", client, List.of())) {
            assertThat(TlsClient.get(socket, "crl.example.com", "/").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("crl.example.com", revoked, List.of())) {
                TlsClient.get(socket, "crl.example.com", "/");
            }
        }).isInstanceOf(IOException.class);

        Issued later = TestCertificates.issue(clientCa, "revoked-later", Algorithm.EC);
        try (SSLSocket socket = tls.handshake("crl.example.com", later, List.of())) {
            assertThat(TlsClient.get(socket, "crl.example.com", "/").status()).isEqualTo(200);
        }
        TestCertificates.write(config.resolve("credentials/crl-cert"), "ca.crl",
                TestCertificates.crl(clientCa, revoked, later));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("crl.example.com", later, List.of())) {
                TlsClient.get(socket, "crl.example.com", "/");
            }
        }).isInstanceOf(IOException.class));
        try (SSLSocket socket = tls.handshake("crl.example.com", client, List.of())) {
            assertThat(TlsClient.get(socket, "crl.example.com", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void anExpiredClientCertificateIsRefused() {
        Issued expired = TestCertificates.issue(clientCa, "expired", Algorithm.EC, Duration.ofSeconds(-30));

        assertThatThrownBy(() -> {
            try (SSLSocket socket = tls.handshake("secure.example.com", expired, List.of())) {
                TlsClient.get(socket, "secure.example.com", "/");
            }
        }).isInstanceOf(IOException.class);
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

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String management(String path) {
        return HttpClient.create().get().uri("http://127.0.0.1:" + gateway.managementPort() + path)
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

}
