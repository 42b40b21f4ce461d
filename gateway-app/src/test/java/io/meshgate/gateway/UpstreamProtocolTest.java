package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The protocol spoken to a backend follows its service port's protocol, as in Istio, whatever the client speaks:
 * {@code HTTP} → HTTP/1.1, {@code HTTP2} (and {@code GRPC}) → HTTP/2, over cleartext with prior knowledge or over
 * TLS with ALPN {@code h2} when a DestinationRule originates TLS. Clients may speak HTTP/1.1, h2c with prior
 * knowledge or h2c by upgrade. Large bodies cross HTTP/2 flow control both ways intact.
 */
class UpstreamProtocolTest {

    private static final String CONFIG = GatewayHarness.gatewayOn80("*") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: protocols, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /h1}}]
                route: [{destination: {host: h1.example.internal}}]
              - match: [{uri: {prefix: /h2tls}}]
                route: [{destination: {host: h2tls.example.internal}}]
              - match: [{uri: {prefix: /h2}}]
                route: [{destination: {host: h2.example.internal}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: h2tls, namespace: default}
            spec:
              host: h2tls.example.internal
              trafficPolicy:
                tls: {mode: SIMPLE, insecureSkipVerify: true}
            """;

    @TempDir
    static Path config;
    private static DisposableServer cleartext;
    private static DisposableServer secure;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        cleartext = backend(HttpServer.create().protocol(HttpProtocol.HTTP11, HttpProtocol.H2C));
        Issued certificate = TestCertificates.issue(TestCertificates.ca("backend CA"), "backend", Algorithm.EC,
                "backend.internal");
        secure = backend(HttpServer.create().protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                .secure(spec -> spec.sslContext(Http2SslContextSpec.forServer(certificate.keys().getPrivate(),
                        certificate.certificate()))));
        GatewayHarness.write(config, "routes.yaml", CONFIG);
        GatewayHarness.write(config, "services.yaml", service("h1", "HTTP", cleartext.port()) + "---\n"
                + service("h2", "HTTP2", cleartext.port()) + "---\n" + service("h2tls", "HTTP2", secure.port()));
        gateway = new GatewayHarness(config);
    }

    /** Answers with the HTTP version it was spoken to in; a POST gets the SHA-256 of its body and 4 MiB back. */
    private static DisposableServer backend(HttpServer server) {
        return server.host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    if (request.method().name().equals("POST")) {
                        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                                .flatMap(body -> response.header("x-body-sha256", sha256(body))
                                        .send(ByteBufFlux.fromString(Mono.just("x".repeat(4 << 20)))).then());
                    }
                    return response.sendString(Mono.just(request.version().text())).then();
                })
                .bindNow();
    }

    private static String service(String name, String protocol, int port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: default}
                spec:
                  hosts: [%1$s.example.internal]
                  ports: [{number: 8080, name: web, protocol: %2$s}]
                  resolution: STATIC
                  endpoints:
                  - address: 127.0.0.1
                    ports: {web: %3$d}
                """.formatted(name, protocol, port);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        cleartext.disposeNow();
        secure.disposeNow();
    }

    private static String versionSeenByBackend(HttpProtocol[] clientProtocols, String path) {
        return gateway.client("any.example.com").protocol(clientProtocols).get().uri(path)
                .responseSingle((response, body) -> body.asString()
                        .map(text -> response.version().text() + " -> " + text))
                .block(Duration.ofSeconds(10));
    }

    private static HttpProtocol[] http11() {
        return new HttpProtocol[] {HttpProtocol.HTTP11};
    }

    @Test
    void anHttpPortIsSpokenToInHttp11WhateverTheClientSpeaks() {
        assertThat(versionSeenByBackend(http11(), "/h1")).isEqualTo("HTTP/1.1 -> HTTP/1.1");
        assertThat(versionSeenByBackend(new HttpProtocol[] {HttpProtocol.H2C}, "/h1"))
                .isEqualTo("HTTP/2.0 -> HTTP/1.1");
    }

    @Test
    void anHttp2PortIsSpokenToInHttp2WhateverTheClientSpeaks() {
        assertThat(versionSeenByBackend(http11(), "/h2")).isEqualTo("HTTP/1.1 -> HTTP/2.0");
        assertThat(versionSeenByBackend(new HttpProtocol[] {HttpProtocol.H2C}, "/h2"))
                .isEqualTo("HTTP/2.0 -> HTTP/2.0");
    }

    @Test
    void aClientMayUpgradeToH2c() {
        assertThat(versionSeenByBackend(new HttpProtocol[] {HttpProtocol.HTTP11, HttpProtocol.H2C}, "/h2"))
                .isEqualTo("HTTP/2.0 -> HTTP/2.0");
    }

    @Test
    void anHttp2PortBehindTlsIsSpokenToInHttp2NegotiatedWithAlpn() {
        assertThat(versionSeenByBackend(http11(), "/h2tls")).isEqualTo("HTTP/1.1 -> HTTP/2.0");
    }

    @Test
    void largeBodiesCrossHttp2FlowControlBothWaysIntact() {
        byte[] upload = new byte[6 << 20];
        new Random(7).nextBytes(upload);
        for (String path : new String[] {"/h2", "/h2tls"}) {
            var answer = HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                    .responseTimeout(Duration.ofSeconds(20))
                    .post().uri(path).send(ByteBufFlux.fromInbound(Mono.just(upload)))
                    .responseSingle((response, body) -> body.asByteArray().map(bytes -> response.responseHeaders()
                            .get("x-body-sha256") + " " + bytes.length))
                    .block(Duration.ofSeconds(30));

            assertThat(answer).as(path).isEqualTo(sha256(upload) + " " + (4 << 20));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
