package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
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
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A request on a TLS connection reaches only the virtual hosts of the Gateway server its handshake selected, as each
 * Istio server has its own filter chain and routes: a client that handshakes with a SIMPLE server's name and asks for
 * a MUTUAL server's host gets 404 over HTTP/1.1 and 421 over HTTP/2, and the MUTUAL server's backend sees nothing.
 */
class TlsServerScopeTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-echo, protocol: HTTPS}
                hosts: [echo.test]
                tls: {mode: SIMPLE, credentialName: echo-cert}
              - port: {number: 443, name: https-other, protocol: HTTPS}
                hosts: [other.test]
                tls: {mode: MUTUAL, credentialName: other-cert}
              - port: {number: 443, name: https-wild, protocol: HTTPS}
                hosts: ["*.wild.test"]
                tls: {mode: SIMPLE, credentialName: shared-cert}
              - port: {number: 443, name: https-shared, protocol: HTTPS}
                hosts: [shared.test]
                tls: {mode: SIMPLE, credentialName: shared-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: any, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 8080, name: https-any, protocol: HTTPS}
                hosts: ["*"]
                tls: {mode: SIMPLE, credentialName: any-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: secure, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 8080, name: https-secret, protocol: HTTPS}
                hosts: [secret.test]
                tls: {mode: MUTUAL, credentialName: other-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: public, namespace: default}
            spec:
              hosts: [echo.test, "*.wild.test", shared.test]
              gateways: [edge]
              http:
              - route:
                - destination: {host: public}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: other, namespace: default}
            spec:
              hosts: [other.test]
              gateways: [edge]
              http:
              - route:
                - destination: {host: mutual}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: any, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [any]
              http:
              - route:
                - destination: {host: public}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: secret, namespace: default}
            spec:
              hosts: [secret.test]
              gateways: [secure]
              http:
              - route:
                - destination: {host: mutual}
            """;

    @TempDir
    static Path config;
    private static Issued ca;
    private static Issued client;
    private static TestBackend publicBackend;
    private static TestBackend mutualBackend;
    private static GatewayHarness gateway;
    private static TlsClient tls;
    private static TlsClient tlsOn8080;

    @BeforeAll
    static void start() {
        ca = TestCertificates.ca("scope server CA");
        Issued clientCa = TestCertificates.ca("scope client CA");
        client = TestCertificates.issue(clientCa, "client", Algorithm.EC);
        Path credentials = config.resolve("credentials");
        TestCertificates.issue(ca, "echo", Algorithm.EC, "echo.test").writeSecret(credentials.resolve("echo-cert"), null);
        TestCertificates.issue(ca, "other", Algorithm.EC, "other.test", "secret.test")
                .writeSecret(credentials.resolve("other-cert"), clientCa);
        TestCertificates.issue(ca, "shared", Algorithm.EC, "*.wild.test", "shared.test")
                .writeSecret(credentials.resolve("shared-cert"), null);
        TestCertificates.issue(ca, "any", Algorithm.EC, "*.test").writeSecret(credentials.resolve("any-cert"), null);
        publicBackend = new TestBackend("public");
        mutualBackend = new TestBackend("mutual");
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        GatewayHarness.write(config, "public.yaml", GatewayHarness.serviceEntry("public",
                Map.of("v1", publicBackend.port())));
        GatewayHarness.write(config, "mutual.yaml", GatewayHarness.serviceEntry("mutual",
                Map.of("v1", mutualBackend.port())));
        gateway = new GatewayHarness(config);
        tls = new TlsClient(() -> gateway.port(443), ca);
        tlsOn8080 = new TlsClient(() -> gateway.port(8080), ca);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        publicBackend.close();
        mutualBackend.close();
    }

    @Test
    void http11WithTheSimpleServersNameCannotReachTheMutualServersHost() throws Exception {
        int before = mutualBackend.requests();
        try (SSLSocket socket = tls.handshake("echo.test", null, List.of("http/1.1"))) {
            assertThat(TlsClient.get(socket, "echo.test", "/").status()).isEqualTo(200);
            assertThat(TlsClient.get(socket, "other.test", "/admin").status()).isEqualTo(404);
            assertThat(TlsClient.get(socket, "other.test:443", "/admin").status()).isEqualTo(404);
            assertThat(TlsClient.get(socket, "nobody.test", "/").status()).isEqualTo(404);
        }
        assertThat(mutualBackend.requests()).isEqualTo(before);
        assertThat(gateway.prometheus()).containsPattern(
                "istio_requests_total\\{[^}]*response_code=\"404\",response_flags=\"NR\"");
    }

    @Test
    void http2WithTheSimpleServersNameIsMisdirectedFromTheMutualServersHost() {
        int before = mutualBackend.requests();
        HttpClient h2 = http2("echo.test", ConnectionProvider.create("scope-h2", 1));

        assertThat(status(h2, "echo.test")).isEqualTo(200);
        assertThat(status(h2, "other.test")).isEqualTo(421);
        assertThat(status(h2, "nobody.test")).isEqualTo(404);
        assertThat(mutualBackend.requests()).isEqualTo(before);
        assertThat(gateway.prometheus()).containsPattern(
                "istio_requests_total\\{[^}]*response_code=\"421\",response_flags=\"NR\"");
    }

    @Test
    void aClientCertificateThroughTheMutualServersNameReachesItsHost() throws Exception {
        int before = mutualBackend.requests();
        try (SSLSocket socket = tls.handshake("other.test", client, List.of("http/1.1"))) {
            TlsClient.Response response = TlsClient.get(socket, "other.test", "/admin");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).contains("mutual GET /admin");
            // and the MUTUAL server does not serve the SIMPLE server's host either
            assertThat(TlsClient.get(socket, "echo.test", "/").status()).isEqualTo(404);
        }
        assertThat(mutualBackend.requests()).isEqualTo(before + 1);
    }

    @Test
    void aWildcardServerServesItsHostsAndNoOtherServers() throws Exception {
        int before = mutualBackend.requests();
        try (SSLSocket socket = tls.handshake("a.wild.test", null, List.of("http/1.1"))) {
            assertThat(TlsClient.get(socket, "b.wild.test", "/").text()).contains("public GET /");
            assertThat(TlsClient.get(socket, "other.test", "/").status()).isEqualTo(404);
            assertThat(TlsClient.get(socket, "shared.test", "/").status()).isEqualTo(404);
        }
        assertThat(mutualBackend.requests()).isEqualTo(before);
    }

    @Test
    void twoServersSharingACredentialKeepTheirOwnHosts() {
        HttpClient h2 = http2("shared.test", ConnectionProvider.create("scope-shared", 1));

        assertThat(status(h2, "shared.test")).isEqualTo(200);
        // the certificate covers *.wild.test too, so an HTTP/2 client may reuse the connection: 421 sends it to a new one
        assertThat(status(h2, "a.wild.test")).isEqualTo(421);
        assertThat(status(http2("a.wild.test", ConnectionProvider.create("scope-wild", 1)), "a.wild.test"))
                .isEqualTo(200);
    }

    @Test
    void theCatchAllServerRoutesOnlyWithItsOwnRoutes() throws Exception {
        int before = mutualBackend.requests();
        try (SSLSocket socket = tlsOn8080.handshake(null, null, List.of("http/1.1"))) {
            TlsClient.Response response = TlsClient.get(socket, "secret.test", "/");
            assertThat(response.text()).contains("public GET /");
        }
        try (SSLSocket socket = tlsOn8080.handshake("unknown.test", null, List.of("http/1.1"))) {
            assertThat(TlsClient.get(socket, "secret.test", "/").text()).contains("public GET /");
        }
        assertThat(mutualBackend.requests()).isEqualTo(before);
        try (SSLSocket socket = tlsOn8080.handshake("secret.test", client, List.of("http/1.1"))) {
            assertThat(TlsClient.get(socket, "secret.test", "/").text()).contains("mutual GET /");
        }
        assertThat(mutualBackend.requests()).isEqualTo(before + 1);
    }

    private static HttpClient http2(String serverName, ConnectionProvider pool) {
        return HttpClient.create(pool)
                .protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()
                                .configure(builder -> builder.trustManager(ca.certificate())))
                        .serverNames(new SNIHostName(serverName)))
                .responseTimeout(Duration.ofSeconds(10));
    }

    private static int status(HttpClient client, String host) {
        return client.headers(h -> h.set("Host", host))
                .get().uri("https://127.0.0.1:" + gateway.port(443) + "/")
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block(Duration.ofSeconds(10));
    }
}
