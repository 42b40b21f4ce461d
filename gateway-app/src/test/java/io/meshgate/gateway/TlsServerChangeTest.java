package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection made with a server's TLS settings does not outlive them: once a SIMPLE server becomes MUTUAL, a
 * connection that handshook without a client certificate gets 421 and is closed, as Envoy drains the connections of a
 * filter chain that changed, instead of keeping the backend reachable without a certificate.
 */
class TlsServerChangeTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-echo, protocol: HTTPS}
                hosts: [echo.test]
                tls: {mode: %s, credentialName: echo-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: echo, namespace: default}
            spec:
              hosts: [echo.test]
              gateways: [edge]
              http:
              - route:
                - destination: {host: echo}
            """;

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;
    private static TlsClient tls;

    @BeforeAll
    static void start() {
        Issued ca = TestCertificates.ca("change server CA");
        Issued clientCa = TestCertificates.ca("change client CA");
        TestCertificates.issue(ca, "echo", Algorithm.EC, "echo.test")
                .writeSecret(config.resolve("credentials/echo-cert"), clientCa);
        backend = new TestBackend("echo");
        GatewayHarness.write(config, "routes.yaml", CONFIG.formatted("SIMPLE"));
        GatewayHarness.write(config, "echo.yaml", GatewayHarness.serviceEntry("echo", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
        tls = new TlsClient(() -> gateway.port(443), ca);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aServerMadeMutualRefusesTheConnectionsMadeWithoutACertificate() throws Exception {
        try (SSLSocket socket = tls.handshake("echo.test", null, List.of("http/1.1"))) {
            assertThat(TlsClient.get(socket, "echo.test", "/").status()).isEqualTo(200);

            GatewayHarness.write(config, "routes.yaml", CONFIG.formatted("MUTUAL"));
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.runner().current().snapshot().listeners()
                    .get(0).servers().get(0).tls().orElseThrow().mode().equals("MUTUAL"));
            int before = backend.requests();

            TlsClient.Response refused = TlsClient.get(socket, "echo.test", "/");
            assertThat(refused.status()).isEqualTo(421);
            assertThat(refused.text()).contains("connection: close");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(backend.requests()).isEqualTo(before);
        }
    }
}
