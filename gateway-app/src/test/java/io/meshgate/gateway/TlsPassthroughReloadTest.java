package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passthrough across reloads: new connections go where the configuration says when their ClientHello arrives,
 * connections already relayed keep their backend, and a port whose last PASSTHROUGH server goes away closes.
 */
class TlsPassthroughReloadTest {

    private static final String GATEWAY = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge-pass, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: tls, protocol: TLS}
                hosts: [a.example.com]
                tls: {mode: PASSTHROUGH}
            """;

    private static final String ROUTE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [edge-pass]
              tls:
              - match: [{sniHosts: [a.example.com]}]
                route: [{destination: {host: %s.internal}}]
            """;

    @TempDir
    Path config;
    private TlsEchoBackend first;
    private TlsEchoBackend second;
    private GatewayHarness gateway;
    private TlsClient tls;

    @BeforeEach
    void start() {
        Issued ca = TestCertificates.ca("test CA");
        first = new TlsEchoBackend(TestCertificates.issue(ca, "first", Algorithm.EC, "a.example.com"));
        second = new TlsEchoBackend(TestCertificates.issue(ca, "second", Algorithm.EC, "a.example.com"));
        GatewayHarness.write(config, "backends.yaml", first.serviceEntry("first") + "---\n"
                + second.serviceEntry("second"));
        GatewayHarness.write(config, "gateway.yaml", GATEWAY);
        GatewayHarness.write(config, "route.yaml", ROUTE.formatted("first"));
        gateway = new GatewayHarness(config);
        tls = new TlsClient(() -> gateway.port(443), ca);
    }

    @AfterEach
    void stop() {
        gateway.close();
        first.close();
        second.close();
    }

    @Test
    void newConnectionsFollowAReloadWhileRelayedOnesKeepTheirBackend() throws Exception {
        try (SSLSocket established = tls.handshake("a.example.com", null, List.of())) {
            assertThat(TlsClient.subject(established)).isEqualTo("CN=first");

            gateway.write("route.yaml", ROUTE.formatted("second"));
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (SSLSocket fresh = tls.handshake("a.example.com", null, List.of())) {
                    return TlsClient.subject(fresh).equals("CN=second");
                }
            });

            assertThat(TlsPassthroughTest.echo(established, "still relayed")).isEqualTo("still relayed");
        }
    }

    @Test
    void aPortWhosePassthroughServerGoesAwayCloses() throws Exception {
        try (SSLSocket relayed = tls.handshake("a.example.com", null, List.of())) {
            assertThat(TlsPassthroughTest.echo(relayed, "before")).isEqualTo("before");
        }

        gateway.write("gateway.yaml", GatewayHarness.gatewayOn80("a.example.com"));

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try {
                gateway.port(443);
                return false;
            } catch (java.util.NoSuchElementException e) {
                return true;
            }
        });
    }
}
