package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * DestinationRule {@code trafficPolicy.tls}: the gateway originates TLS to backends with real handshakes — SIMPLE
 * with the backend's certificate checked against the CA and {@code subjectAltNames} and the given {@code sni},
 * MUTUAL with the gateway's client certificate from a credential directory, {@code insecureSkipVerify}; a backend
 * whose certificate does not check out (wrong name, on the {@code caCrl}) is a connection failure (503 UF), never a
 * request sent in the clear. {@code ISTIO_MUTUAL}, which needs a mesh certificate the gateway does not have yet, fails
 * closed: 503 UF, and the plaintext backend behind it never hears of the request.
 */
class UpstreamTlsTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("*") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: upstream-tls, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /simple}}]
                route: [{destination: {host: simple}}]
              - match: [{uri: {prefix: /mutual}}]
                route: [{destination: {host: mutual}}]
              - match: [{uri: {prefix: /wrong-san}}]
                route: [{destination: {host: wrongsan}}]
              - match: [{uri: {prefix: /insecure}}]
                route: [{destination: {host: insecure}}]
              - match: [{uri: {prefix: /revoked}}]
                route: [{destination: {host: revoked}}]
              - match: [{uri: {prefix: /mesh}}]
                route: [{destination: {host: mesh}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: simple, namespace: default}
            spec:
              host: simple.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: SIMPLE, caCertificates: ca/server-ca.pem, sni: backend.internal,
                      subjectAltNames: [backend.internal]}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: mutual, namespace: default}
            spec:
              host: mutual.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: MUTUAL, credentialName: gateway-client, sni: backend.internal}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: wrongsan, namespace: default}
            spec:
              host: wrongsan.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: SIMPLE, caCertificates: ca/server-ca.pem, subjectAltNames: [other.internal]}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: revoked, namespace: default}
            spec:
              host: revoked.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: SIMPLE, caCertificates: ca/server-ca.pem, caCrl: ca/server-ca.crl}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: insecure, namespace: default}
            spec:
              host: insecure.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: SIMPLE, insecureSkipVerify: true}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: mesh, namespace: default}
            spec:
              host: mesh.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: ISTIO_MUTUAL}
            """;

    @TempDir
    static Path config;
    private static DisposableServer simple;
    private static DisposableServer mutual;
    private static DisposableServer untrusted;
    private static DisposableServer plaintext;
    private static final AtomicInteger plaintextRequests = new AtomicInteger();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        Issued serverCa = TestCertificates.ca("backend CA");
        Issued clientCa = TestCertificates.ca("gateway client CA");
        Issued backendCert = TestCertificates.issue(serverCa, "backend", Algorithm.EC, "backend.internal");
        Issued gatewayClient = TestCertificates.issue(clientCa, "gateway", Algorithm.RSA);
        Issued selfSigned = TestCertificates.issue(TestCertificates.ca("nobody"), "untrusted", Algorithm.EC,
                "backend.internal");

        simple = backend(backendCert, null);
        mutual = backend(backendCert, clientCa);
        untrusted = backend(selfSigned, null);
        plaintext = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    plaintextRequests.incrementAndGet();
                    return response.sendString(Mono.just("plaintext"));
                })
                .bindNow();

        Files.createDirectories(config.resolve("ca"));
        Files.writeString(config.resolve("ca/server-ca.pem"), serverCa.certificatePem());
        Files.writeString(config.resolve("ca/server-ca.crl"), TestCertificates.crl(serverCa, backendCert));
        gatewayClient.writeSecret(config.resolve("credentials/gateway-client"), serverCa);
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "simple.yaml", GatewayHarness.serviceEntry("simple", Map.of("v1", simple.port())));
        GatewayHarness.write(config, "mutual.yaml", GatewayHarness.serviceEntry("mutual", Map.of("v1", mutual.port())));
        GatewayHarness.write(config, "wrongsan.yaml", GatewayHarness.serviceEntry("wrongsan",
                Map.of("v1", simple.port())));
        GatewayHarness.write(config, "revoked.yaml", GatewayHarness.serviceEntry("revoked",
                Map.of("v1", simple.port())));
        GatewayHarness.write(config, "insecure.yaml", GatewayHarness.serviceEntry("insecure",
                Map.of("v1", untrusted.port())));
        GatewayHarness.write(config, "mesh.yaml", GatewayHarness.serviceEntry("mesh",
                Map.of("v1", plaintext.port())));
        gateway = new GatewayHarness(config);
    }

    /** A TLS backend answering with the SNI name it was asked for and the client certificate it got, if any. */
    private static DisposableServer backend(Issued certificate, Issued clientCa) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(certificate.keys().getPrivate(),
                        certificate.certificate()).configure(builder -> {
                            if (clientCa != null) {
                                builder.clientAuth(ClientAuth.REQUIRE).trustManager(clientCa.certificate());
                            }
                        })))
                .handle((request, response) -> {
                    StringBuilder seen = new StringBuilder("tls");
                    request.withConnection(connection -> {
                        var session = connection.channel().pipeline().get(SslHandler.class).engine().getSession();
                        if (session instanceof ExtendedSSLSession extended) {
                            extended.getRequestedServerNames().forEach(name -> seen.append(" sni=")
                                    .append(((SNIHostName) name).getAsciiName()));
                        }
                        String client;
                        try {
                            client = ((java.security.cert.X509Certificate) session.getPeerCertificates()[0])
                                    .getSubjectX500Principal().getName();
                        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                            client = "none";
                        }
                        seen.append(" client=").append(client);
                    });
                    return response.sendString(Mono.just(seen.toString()));
                })
                .bindNow();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        simple.disposeNow();
        mutual.disposeNow();
        untrusted.disposeNow();
        plaintext.disposeNow();
    }

    private static Map.Entry<Integer, String> get(String path) {
        return gateway.client("a.example.com").get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> Map.entry(response.status().code(), text)))
                .block(Duration.ofSeconds(15));
    }

    @Test
    void simpleTlsChecksTheBackendAndSendsTheSni() {
        assertThat(get("/simple")).isEqualTo(Map.entry(200, "tls sni=backend.internal client=none"));
    }

    @Test
    void mutualTlsPresentsTheGatewaysClientCertificate() {
        assertThat(get("/mutual")).isEqualTo(Map.entry(200, "tls sni=backend.internal client=CN=gateway"));
    }

    @Test
    void aCertificateWithoutTheExpectedNameIsAConnectionFailure() {
        var answer = get("/wrong-san");

        assertThat(answer.getKey()).isEqualTo(503);
        assertThat(answer.getValue()).contains("connection failure");
    }

    @Test
    void aBackendCertificateOnTheCaCrlIsAConnectionFailure() {
        var answer = get("/revoked");

        assertThat(answer.getKey()).isEqualTo(503);
        assertThat(answer.getValue()).contains("connection failure");
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() {
        assertThat(get("/insecure")).isEqualTo(Map.entry(200, "tls client=none"));
    }

    @Test
    void istioMutualFailsClosedAndNeverSendsPlaintext() {
        for (int i = 0; i < 3; i++) {
            var answer = get("/mesh");

            assertThat(answer.getKey()).isEqualTo(503);
            assertThat(answer.getValue()).contains("connection failure");
        }
        assertThat(plaintextRequests).hasValue(0);
        assertThat(gateway.prometheus()).containsPattern("istio_requests_total\\{destination_service="
                + "\"mesh.default.svc.cluster.local\"[^}]*response_code=\"503\",response_flags=\"UF[^\"]*\"} 3\\.0");
    }
}
