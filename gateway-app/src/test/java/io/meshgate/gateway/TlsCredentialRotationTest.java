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
 * Credentials change under a running gateway: a replaced certificate, or a Secret volume's {@code ..data} swap, serves
 * new handshakes within two seconds while established connections keep theirs, no request fails while it happens
 * under load, and a broken credential leaves the last good one serving and is reported.
 */
class TlsCredentialRotationTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-tls, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-api, protocol: HTTPS}
                hosts: ["*.api.example.com"]
                tls: {mode: SIMPLE, credentialName: api-cert}
              - port: {number: 443, name: https-rotate, protocol: HTTPS}
                hosts: [rotate.example.com]
                tls: {mode: SIMPLE, credentialName: rotate-cert}
              - port: {number: 443, name: https-swap, protocol: HTTPS}
                hosts: [swap.example.com]
                tls: {mode: SIMPLE, credentialName: swap-cert}
              - port: {number: 443, name: https-load, protocol: HTTPS}
                hosts: [load.example.com]
                tls: {mode: SIMPLE, credentialName: load-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: tls-routes, namespace: default}
            spec:
              hosts: ["*.api.example.com", rotate.example.com, swap.example.com, load.example.com]
              gateways: [edge-tls]
              http:
              - route:
                - destination: {host: tlsback}
            """;

    @TempDir
    static Path config;
    private static Issued ca;
    private static TestBackend backend;
    private static GatewayHarness gateway;
    private static TlsClient tls;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCertificates.ca("test server CA");
        Path credentials = config.resolve("credentials");
        TestCertificates.issue(ca, "api", Algorithm.EC, "*.api.example.com")
                .writeSecret(credentials.resolve("api-cert"), null);
        TestCertificates.issue(ca, "rotate", Algorithm.RSA, "rotate.example.com")
                .writeSecret(credentials.resolve("rotate-cert"), null);
        TestCertificates.issue(ca, "load-1", Algorithm.RSA, "load.example.com")
                .writeSecret(credentials.resolve("load-cert"), null);
        secretVolume(credentials.resolve("swap-cert"), "..v1",
                TestCertificates.issue(ca, "swap-1", Algorithm.EC, "swap.example.com"));
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
    }

    @Test
    void aRotatedCertificateServesNewHandshakesAndOldConnectionsKeepWorking() throws Exception {
        Path dir = config.resolve("credentials").resolve("rotate-cert");
        try (SSLSocket old = tls.handshake("rotate.example.com", null, List.of())) {
            assertThat(TlsClient.get(old, "rotate.example.com", "/before").status()).isEqualTo(200);
            Issued rotated = TestCertificates.issue(ca, "rotate-2", Algorithm.EC, "rotate.example.com");
            TestCertificates.write(dir, "tls.key", rotated.keyPem());
            TestCertificates.write(dir, "tls.crt", rotated.certificatePem());

            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (SSLSocket fresh = tls.handshake("rotate.example.com", null, List.of())) {
                    return TlsClient.subject(fresh).equals("CN=rotate-2");
                }
            });
            assertThat(TlsClient.subject(old)).isEqualTo("CN=rotate");
            assertThat(TlsClient.get(old, "rotate.example.com", "/after").status()).isEqualTo(200);
        }
    }

    @Test
    void aSecretVolumeUpdateServesTheNewCertificate() throws Exception {
        secretVolume(config.resolve("credentials").resolve("swap-cert"), "..v2",
                TestCertificates.issue(ca, "swap-2", Algorithm.EC, "swap.example.com"));

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (SSLSocket fresh = tls.handshake("swap.example.com", null, List.of())) {
                return TlsClient.subject(fresh).equals("CN=swap-2");
            }
        });
    }

    @Test
    void rotationUnderLoadFailsNoRequest() throws Exception {
        Path dir = config.resolve("credentials").resolve("load-cert");
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        Thread load = new Thread(() -> {
            for (int i = 0; i < 150; i++) {
                try (SSLSocket socket = tls.handshake("load.example.com", null, List.of())) {
                    if (TlsClient.get(socket, "load.example.com", "/load").status() == 200) {
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
                try (SSLSocket fresh = tls.handshake("load.example.com", null, List.of())) {
                    return TlsClient.subject(fresh).equals(expected);
                }
            });
        }
        load.join(60_000);

        assertThat(failures.get()).isZero();
        assertThat(served.get()).isEqualTo(150);
    }

    @Test
    void aBrokenCredentialLeavesTheLastGoodOneServingAndIsReported() throws Exception {
        Path dir = config.resolve("credentials").resolve("api-cert");
        TestCertificates.write(dir, "tls.crt", "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");

        await().atMost(Duration.ofSeconds(5)).until(() -> gatewayConfig().contains("not PEM X.509"));
        try (SSLSocket api = tls.handshake("orders.api.example.com", null, List.of())) {
            assertThat(TlsClient.subject(api)).isEqualTo("CN=api");
        }
        TestCertificates.issue(ca, "api", Algorithm.EC, "*.api.example.com").writeSecret(dir, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> !gatewayConfig().contains("not PEM X.509"));
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

    private static String gatewayConfig() {
        return management("/actuator/gatewayconfig");
    }

    private static String management(String path) {
        return HttpClient.create().get().uri("http://127.0.0.1:" + gateway.managementPort() + path)
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

}
